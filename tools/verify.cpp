#include "tools/verify.hpp"

#include <fstream>
#include <ostream>
#include <stdexcept>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/projections.hpp"

namespace careledger::tools {

namespace {

bool integrity_holds(persistence::Connection& db, std::ostream& out) {
  if (db.engine() == persistence::Engine::postgresql) {
    out << "integrity_check: skipped (SQLite's check; PostgreSQL keeps its own)\n";
    return true;
  }
  const std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
  out << "integrity_check: " << integrity << "\n";
  return integrity == "ok";
}

bool read_models_match_a_rebuild(persistence::Connection& db, std::ostream& out) {
  persistence::Transaction tx(db, persistence::Transaction::Mode::write);
  const std::string live = persistence::dump_read_models(db);
  persistence::rebuild_read_models(db);
  const bool same = persistence::dump_read_models(db) == live;
  out << "read models " << (same ? "match" : "DO NOT match") << " a rebuild from "
      << persistence::event_count(db) << " events\n";
  return same;
}  // rolled back

bool expected_streams_present(persistence::Connection& db, const std::string& path,
                              std::ostream& out) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  constexpr std::size_t named_at_most = 10;
  std::size_t listed = 0, missing = 0;
  for (std::string stream; std::getline(in, stream);) {
    if (stream.empty()) continue;
    ++listed;
    // A stream is in the log once it has a version.
    if (persistence::stream_version(db, stream) == domain::Version{}) {
      if (++missing <= named_at_most) out << "missing: " << stream << "\n";
    }
  }
  out << listed - missing << " of " << listed << " acknowledged streams present\n";
  return missing == 0;
}

}  // namespace

bool verify(const VerifyOptions& options, std::ostream& out) {
  auto db = persistence::open_writer(options.db_path);
  bool ok = integrity_holds(*db, out);
  ok = read_models_match_a_rebuild(*db, out) && ok;
  if (options.expect_streams)
    ok = expected_streams_present(*db, *options.expect_streams, out) && ok;
  return ok;
}

}  // namespace careledger::tools
