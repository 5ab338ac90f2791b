#pragma once
// `careledger verify`: the checks a database file must pass after a crash or a restore.
// Opens its own writer connection; callable from any thread.

#include <iosfwd>
#include <optional>
#include <string>

namespace careledger::tools {

struct VerifyOptions {
  std::string db_path;
  // A file of stream ids, one per line (blank lines ignored), each acknowledged to a client and
  // so required in the log.
  std::optional<std::string> expect_streams;
};

// Checks PRAGMA integrity_check, that every read model equals a rebuild from the log (the
// rebuild is rolled back: nothing changes), and that every expected stream is in the log.
// Says what it found on `out` (naming up to 10 missing streams); true when all hold.
// Throws std::runtime_error when the expected-streams file cannot be read.
bool verify(const VerifyOptions& options, std::ostream& out);

}  // namespace careledger::tools
