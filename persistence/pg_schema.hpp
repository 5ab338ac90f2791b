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

// The whole store, as `owner`: the log's schema (when it is not there yet), the tables beside
// it, and the read models, generated from the declarations SQLite's are. Read models declared
// otherwise than they were made are dropped, made again and filled from the log, as on SQLite.
// Idempotent, and one install at a time. The database must compare text byte by byte (its
// collation C), as SQLite does.
void install_store(Connection& owner, const std::string& app_role);

// Throws std::runtime_error, saying what to do, unless `db` holds a store this careledger
// installed (its read models as this build declares them).
void check_store(Connection& db);

// SQLite's DDL of the generated read models as PostgreSQL reads it: INTEGER is BIGINT (pence
// and day numbers), and no WITHOUT ROWID.
std::string ddl(const std::string& sqlite_ddl);

}  // namespace careledger::persistence::pg
