#pragma once
// What the store keeps of Client Level Data imports (CLD.md §6) beside the events they record:
// each file imported (its report), the key of each row's event, the people an LA's own id names,
// and the rows careledger could not represent, as sent.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "domain/calendar.hpp"
#include "domain/strong.hpp"
#include "persistence/connection.hpp"

namespace careledger::persistence {

// A registered person by NHS number (the first registered, if several share it).
std::optional<domain::PersonId> person_by_nhs_number(Connection& db, const std::string& nhs_number);
// The person an earlier import registered for a council's own id.
std::optional<domain::PersonId> imported_person(Connection& db, const std::string& la_code,
                                                const std::string& la_id);
void record_imported_person(Connection& db, const std::string& la_code, const std::string& la_id,
                            const domain::PersonId& person);

// The event a row key names, and the period end of the file that last set it.
struct ImportedRowKey {
  std::string stream_id;
  domain::Date period_end;
};
std::optional<ImportedRowKey> imported_row(Connection& db, const std::string& row_key);
// Records (or moves on) a row key, inside the append that records its event.
void record_imported_row(Connection& db, const std::string& row_key, const std::string& stream_id,
                         domain::Date period_end, const std::string& import_id, std::int64_t line);

struct StoredImport {
  std::string id;
  std::string file_sha256;
  std::string imported_by;
  std::string imported_at;
  std::string report;  // JSON, as first answered
};
std::optional<StoredImport> import_by_sha256(Connection& db, const std::string& sha256);
std::optional<StoredImport> import_by_id(Connection& db, const std::string& id);
void record_import(Connection& db, const StoredImport& import);

void record_unrepresented(Connection& db, const std::string& import_id, std::int64_t line,
                          const std::string& reason, const std::string& row);
// In line order.
void each_unrepresented(Connection& db, const std::string& import_id,
                        const std::function<void(std::int64_t line, const std::string& reason,
                                                 const std::string& row)>& each);

}  // namespace careledger::persistence
