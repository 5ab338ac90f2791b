#pragma once
// Reading the access log (API.md 1.1): admins, newest first.

#include <vector>

#include "persistence/access_log.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

std::vector<persistence::AccessEntry> audit(Context& store, const Actor& actor,
                                            const persistence::AccessQuery& query);

}  // namespace careledger::services
