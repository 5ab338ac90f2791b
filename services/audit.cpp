#include "services/audit.hpp"

#include "services/access.hpp"

namespace careledger::services {

std::vector<persistence::AccessEntry> audit(Context& store, const Actor& actor,
                                            const persistence::AccessQuery& query) {
  require_purpose(actor, Purpose::administration);
  auto db = store.readers.acquire();
  return persistence::read_access(*db, query);
}

}  // namespace careledger::services
