#include "persistence/cld_imports.hpp"

#include <SQLiteCpp/Statement.h>

namespace careledger::persistence {

std::optional<domain::PersonId> person_by_nhs_number(Connection& db,
                                                     const std::string& nhs_number) {
  Prepared q(db, "SELECT id FROM rm_people WHERE nhs_number = ? ORDER BY id LIMIT 1");
  q->bind(1, nhs_number);
  if (!q->executeStep()) return std::nullopt;
  return domain::PersonId{q->getColumn(0).getString()};
}

std::optional<domain::PersonId> imported_person(Connection& db, const std::string& la_code,
                                                const std::string& la_id) {
  Prepared q(db, "SELECT person_id FROM cld_import_people WHERE la_code = ? AND la_id = ?");
  q->bind(1, la_code);
  q->bind(2, la_id);
  if (!q->executeStep()) return std::nullopt;
  return domain::PersonId{q->getColumn(0).getString()};
}

void record_imported_person(Connection& db, const std::string& la_code, const std::string& la_id,
                            const domain::PersonId& person) {
  Prepared q(db,
             "INSERT INTO cld_import_people (la_code, la_id, person_id) VALUES (?, ?, ?) "
             "ON CONFLICT (la_code, la_id) DO NOTHING");
  q->bind(1, la_code);
  q->bind(2, la_id);
  q->bind(3, person.str());
  q->exec();
}

std::optional<ImportedRowKey> imported_row(Connection& db, const std::string& row_key) {
  Prepared q(db, "SELECT stream_id, period_end FROM cld_import_rows WHERE row_key = ?");
  q->bind(1, row_key);
  if (!q->executeStep()) return std::nullopt;
  return ImportedRowKey{q->getColumn(0).getString(),
                        *domain::parse_date(q->getColumn(1).getString())};
}

void record_imported_row(Connection& db, const std::string& row_key, const std::string& stream_id,
                         domain::Date period_end, const std::string& import_id, std::int64_t line) {
  Prepared q(db,
             "INSERT INTO cld_import_rows (row_key, stream_id, period_end, import_id, line) "
             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (row_key) DO UPDATE SET "
             "stream_id = excluded.stream_id, period_end = excluded.period_end, "
             "import_id = excluded.import_id, line = excluded.line");
  q->bind(1, row_key);
  q->bind(2, stream_id);
  q->bind(3, domain::format_date(period_end));
  q->bind(4, import_id);
  q->bind(5, line);
  q->exec();
}

namespace {
std::optional<StoredImport> import_where(Connection& db, const char* sql, const std::string& arg) {
  Prepared q(db, sql);
  q->bind(1, arg);
  if (!q->executeStep()) return std::nullopt;
  return StoredImport{q->getColumn(0).getString(), q->getColumn(1).getString(),
                      q->getColumn(2).getString(), q->getColumn(3).getString(),
                      q->getColumn(4).getString()};
}
}  // namespace

std::optional<StoredImport> import_by_sha256(Connection& db, const std::string& sha256) {
  return import_where(db,
                      "SELECT id, file_sha256, imported_by, imported_at, report FROM cld_imports "
                      "WHERE file_sha256 = ?",
                      sha256);
}

std::optional<StoredImport> import_by_id(Connection& db, const std::string& id) {
  return import_where(db,
                      "SELECT id, file_sha256, imported_by, imported_at, report FROM cld_imports "
                      "WHERE id = ?",
                      id);
}

void record_import(Connection& db, const StoredImport& import) {
  Prepared q(db,
             "INSERT INTO cld_imports (id, file_sha256, imported_by, imported_at, report) "
             "VALUES (?, ?, ?, ?, ?)");
  q->bind(1, import.id);
  q->bind(2, import.file_sha256);
  q->bind(3, import.imported_by);
  q->bind(4, import.imported_at);
  q->bind(5, import.report);
  q->exec();
}

void record_unrepresented(Connection& db, const std::string& import_id, std::int64_t line,
                          const std::string& reason, const std::string& row) {
  Prepared q(db,
             "INSERT INTO cld_import_unrepresented (import_id, line, reason, row) "
             "VALUES (?, ?, ?, ?)");
  q->bind(1, import_id);
  q->bind(2, line);
  q->bind(3, reason);
  q->bind(4, row);
  q->exec();
}

void each_unrepresented(Connection& db, const std::string& import_id,
                        const std::function<void(std::int64_t line, const std::string& reason,
                                                 const std::string& row)>& each) {
  Prepared q(db,
             "SELECT line, reason, row FROM cld_import_unrepresented WHERE import_id = ? "
             "ORDER BY line");
  q->bind(1, import_id);
  while (q->executeStep()) {
    each(q->getColumn(0).getInt64(), q->getColumn(1).getString(), q->getColumn(2).getString());
  }
}

}  // namespace careledger::persistence
