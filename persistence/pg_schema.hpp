#pragma once
// The store's tables on PostgreSQL (issue 16), beside the log (pg_event_log.hpp): the same
// tables and columns as the SQLite store's (database.cpp, kept_lists.cpp, running_totals.cpp),
// so that careledger's SQL is shared, apart from the generated read models. Owned by one role;
// the role careledger connects with gets only what careledger does to each table, and the
// access log and the user changes are append-only, for the owner too.

#include <string>

#include "persistence/pg_connection.hpp"

namespace careledger::persistence::pg {

// Creates the store's tables beside the log (users, teams, sessions, the access log, CLD import
// records, kept lists, running totals...) as `owner`, granting `app_role` what careledger needs.
// Idempotent: running it on a database that already has them changes nothing.
// The log's schema must be installed first (install_log_schema): the append-only tables use its
// refusal. `app_role` is an existing role, named with a-z 0-9 _ (else std::invalid_argument).
void install_store_schema(Connection& owner, const std::string& app_role);

}  // namespace careledger::persistence::pg
