#pragma once
// Loading a council's earlier Client Level Data files (CLD.md §6): a file is read twice from
// disk, never held in memory. The first pass checks every row (refusals by line) and stages the
// rows in a scratch database beside the store, ordered by person; the second records each
// person's rows, a row's records in one append with the row's key beside them, so that a file
// imported again, or a later file, records only what changed.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/strong.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

struct CldImportOptions {
  std::optional<domain::Team> team;  // where people the file names and the store lacks are added
  bool skip_rows = false;            // on_error=skip_row: record the rows not refused
  bool dry_run = false;              // check the file and count; record nothing
  bool windows_1252 = false;         // the file is in Windows-1252, not UTF-8
};

// A row refused, by line (the header is line 1) and the field at fault.
struct CldRefusal {
  std::size_t line = 0;
  std::string field;
  std::string message;
};

// A row careledger cannot represent, kept as it was sent.
struct CldUnrepresented {
  std::size_t line = 0;
  std::string reason;
  std::string row;  // the record as CSV, as read
};

struct CldImportReport {
  std::string import_id;  // empty for a dry run and a rejected file: nothing is kept
  std::string file_sha256;
  std::string imported_by;
  std::string imported_at;  // RFC 3339, UTC
  bool dry_run = false;
  bool rejected = false;  // reject_file with refusals: nothing recorded (the API's 422)
  bool repeat = false;    // this file was imported before: its first report, nothing recorded
  long long rows = 0;     // records of the file, the header not counted
  long long recorded = 0;
  long long unchanged = 0;
  long long superseded = 0;
  long long unrepresented = 0;
  long long refused_total = 0;      // every refusal
  std::vector<CldRefusal> refused;  // the first 1,000 of them, by line
};

// The report as the API answers it and the store keeps it: {"import_id" (null for a dry run or a
// refused file), "file_sha256", "imported_by", "imported_at", "dry_run", "repeat", "rows",
// "recorded", "unchanged", "superseded", "unrepresented", "refused_total", "refused": [{"line",
// "field", "message"}]}.
boost::json::object cld_report_json(const CldImportReport& report);

// A file to read from its start, as often as asked (twice: to check it, then to record it).
using OpenFile = std::function<std::unique_ptr<std::istream>()>;

// Thread-safe: one import at a time is run (a second waits for the first); on PostgreSQL one at a
// time in every process serving the store (persistence::lock_cld_imports).
class CldImports {
 public:
  // `scratch_directory`: where a file's rows are staged while it is imported (beside the
  // database). `workers`: people recorded at once (1 for a BulkLoader, which is not shared
  // between threads); the server's writer gathers their appends into shared commits.
  CldImports(Context& store, std::string scratch_directory, int workers);

  // Admins only. Failure(conflict) naming cld.la_code when the council's code is not configured;
  // Failure(invalid) naming `team` when a person must be added and no team, or an unknown one,
  // is given. A refused file answers with `rejected` set and its refusals (nothing recorded).
  CldImportReport import(const Actor& actor, const OpenFile& file, const CldImportOptions& options);

  // An earlier import's report, and its unrepresented rows one at a time (admins only).
  std::optional<CldImportReport> find(const Actor& actor, const std::string& import_id);
  void each_unrepresented(const Actor& actor, const std::string& import_id,
                          const std::function<void(const CldUnrepresented&)>& each);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace careledger::services
