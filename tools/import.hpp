#pragma once
// Loading a generated file (tools/synthetic.hpp) through the API's routes, in process
// (Api::submit: no HTTP text, no token), as the user `import`. Each line is sent with an
// Idempotency-Key made from its own text, so loading a file again, or a longer version of it,
// records only the lines not recorded before, and a repeated line is answered as the first time
// (same ids, so later lines' references resolve). One import at a time per database file; not
// shared between threads.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "services/cld_import.hpp"

namespace careledger::tools {

struct ImportReport {
  std::size_t lines = 0;
  std::size_t recorded = 0;  // lines that recorded something new
  std::size_t already = 0;   // lines recorded by an earlier import: answered again, nothing written
  std::size_t refused = 0;
  std::int64_t events = 0;  // recorded by this import
};

// The Idempotency-Key line text is sent with, when `earlier_same` earlier lines of the file had
// the same text: a file may hold the same request twice on purpose (two identical reviews),
// and each is one request.
std::string line_key(std::string_view text, std::size_t earlier_same);

// Loads NDJSON lines into the database. A refused line is reported on `errors` with its number
// and records nothing; the rest go on. `progress` is called now and then with lines done.
ImportReport import_lines(const std::string& db_path, std::istream& in, std::ostream& errors,
                          const std::function<void(std::size_t)>& progress);

struct ImportFileOptions {
  std::string db_path;
  std::string input;
  bool progress_bar = false;  // drawn on `errors`: for a terminal
};

// `careledger import`: loads the file, reports refusals (and progress) on `errors` and the
// outcome on `out`. Throws std::runtime_error when the file cannot be read.
ImportReport import_file(const ImportFileOptions& options, std::ostream& out, std::ostream& errors);

// The user an import records as, made on first use (disabled: no token of it ever works).
services::Actor import_user(const std::string& db_path);

struct CldImportFileOptions {
  std::string db_path;
  std::string input;
  std::string la_code;
  services::CldImportOptions options;
};

// `careledger cld import`: a council's CLD file loaded as the API's POST /v1/imports/cld loads it
// (CLD.md §6), in bulk. Throws std::runtime_error when the file cannot be read, and
// services::Failure as the service does.
services::CldImportReport import_cld_file(const CldImportFileOptions& options);

}  // namespace careledger::tools
