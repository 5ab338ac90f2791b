#pragma once
// A synthetic council's casework, for trying careledger at a realistic size, and loading such
// casework through the API's own rules.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include "domain/reports.hpp"

namespace careledger::api {

struct GenerateOptions {
  double scale = 1.0;  // 1.0 is about the seed council: ~10,000 requests, ~7,000 concerns a year
  int years = 1;
  std::uint64_t seed = 1;
  domain::FinancialYear last_year;  // the last financial year generated
};

// Writes one API request per line (NDJSON), in an order where every line's references have
// been created by earlier lines: {"ref"?, "method", "path", "body"}; "@REF" in a path or a
// string field stands for the id the line with that ref was given, "@REF.x_id" for another id
// its answer named (a decision's enquiry_id). Deterministic for a seed.
// Returns the number of lines.
std::size_t generate(const GenerateOptions& options, std::ostream& out);

struct ImportReport {
  std::size_t lines = 0;
  std::size_t recorded = 0;
  std::size_t refused = 0;
  std::int64_t events = 0;
};

// Loads a generated file into the database through the API's handlers (same rules, same
// refusals) as the user `import`. A refused line is reported with its number and records
// nothing; the rest go on. `progress` is called now and then with lines done.
ImportReport import_file(const std::string& db_path, std::istream& in, std::ostream& errors,
                         const std::function<void(std::size_t)>& progress);

}  // namespace careledger::api
