#include "persistence/store_locks.hpp"

#include "persistence/database.hpp"
#include "persistence/pg_locks.hpp"

namespace careledger::persistence {

std::unique_ptr<StoreLock> lock_cld_imports(const std::string& url) {
  if (is_postgresql(url)) return pg::hold(url, pg::SessionLock::cld_imports);
  return std::make_unique<StoreLock>();
}

}  // namespace careledger::persistence
