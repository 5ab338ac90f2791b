#pragma once
// A synthetic council's casework, for trying careledger at a realistic size. Loading it is
// tools/import.hpp. Free functions with no shared state: callable from any thread.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "domain/reports.hpp"

namespace careledger::tools {

struct GenerateOptions {
  // 1.0 is about the seed council: ~10,000 assessment requests, ~7,000 concerns a year, and the
  // requests for support before them (most assessments start from one's outcome)
  double scale = 1.0;
  int years = 1;
  std::uint64_t seed = 1;
  domain::FinancialYear last_year;  // the last financial year generated
};

// Writes one API request per line (NDJSON), in an order where every line's references have
// been created by earlier lines: {"ref"?, "method", "path", "body"}; "@REF" in a path or a
// string field stands for the id the line with that ref was given, "@REF.x_id" for another id
// its answer named (a decision's enquiry_id, a request outcome's assessment_id). Every person has
// the Client Level Data details (CLD.md §3), so a generated council's CLD file fails no check.
// Deterministic for a seed.
// Returns the number of lines.
std::size_t generate(const GenerateOptions& options, std::ostream& out);

// `careledger generate`: writes the file at `path` and says on `out` what it wrote.
// Throws std::runtime_error when the file cannot be written.
void generate_file(const GenerateOptions& options, const std::string& path, std::ostream& out);

}  // namespace careledger::tools
