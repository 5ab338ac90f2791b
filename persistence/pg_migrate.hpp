#pragma once
// Moving a council's store from its SQLite file to PostgreSQL (`careledger migrate-store`):
// the whole store, as it stands, copied in one transaction and checked before it commits.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "persistence/pg_connection.hpp"

namespace careledger::persistence::pg {

struct TableCopied {
  std::string table;
  std::int64_t rows = 0;
};

struct Migration {
  std::int64_t events = 0;
  std::vector<TableCopied> tables;  // the log first, then every table beside it
};

// Copies the SQLite store in `sqlite_file` (brought to this version's schema first, as opening
// it does) into the PostgreSQL database `owner` connects to as the tables' owner. Installs the
// store there for `app_role` (install_store), then in one transaction copies, as they stand in
// one snapshot of the file:
// - the log, each event at its own position with its own recorded_at;
// - the users and their history of changes, the teams, the dashboard's sessions, the
//   idempotency keys, the CLD imports' records (so a file imported before is known as imported),
//   the access log, with their own positions (later ones follow on);
// - the read models, as the file keeps them.
// Before committing, it checks that every table there holds exactly the file's rows (an
// order-free checksum of each row as COPY writes it, and their count) and that the log reads
// back as the file's. Refuses with std::runtime_error, changing nothing: a database that holds
// a store already, a file written to while it was copied (a server was serving from it), or a
// table in the file it does not know how to copy. `progress` is told what it is doing.
Migration migrate_from_sqlite(const std::string& sqlite_file, Connection& owner,
                              const std::string& app_role,
                              const std::function<void(const std::string&)>& progress = {});

}  // namespace careledger::persistence::pg
