#pragma once
// The persistence tests that run on both engines (parameterised by persistence::Engine): a new,
// empty store of the engine a test is run for, either a SQLite file or a database of its own on
// the cluster CARELEDGER_TEST_POSTGRES names, installed by its owner and served as the app role,
// as careledger serves it.
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "persistence/connection.hpp"
#include "persistence/pg_schema.hpp"
#include "tests/persistence/pg_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::persistence {

// The engine's name in a test's name and messages.
inline std::string engine_name(Engine engine) {
  return engine == Engine::sqlite ? "sqlite" : "postgresql";
}
inline void PrintTo(Engine engine, std::ostream* out) {
  *out << engine_name(engine);
}

}  // namespace careledger::persistence

namespace careledger::testing {

class EmptyStore {
 public:
  // Throws std::runtime_error when a PostgreSQL store is asked for and the cluster is not named.
  explicit EmptyStore(persistence::Engine engine) {
    if (engine == persistence::Engine::sqlite) {
      url_ = dir_.file("store.db");
      return;
    }
    database_ = std::make_unique<ThrowawayDatabase>();
    persistence::pg::Connection owner(database_->url_as(database_->owner_role()));
    persistence::pg::install_store(owner, database_->app_role());
    url_ = database_->url_as(database_->app_role());
  }
  // What careledger is given as --db: a file's path, or a postgresql:// URL.
  const std::string& url() const { return url_; }
  // A path in a directory of the test's own, for files beside the store.
  std::string file(const std::string& name) const { return dir_.file(name); }

 private:
  TempDir dir_;
  std::unique_ptr<ThrowawayDatabase> database_;
  std::string url_;
};

// INSTANTIATE_TEST_SUITE_P(BothEngines, Suite, both_engines, engine_test_name).
inline const auto both_engines =
    ::testing::Values(persistence::Engine::sqlite, persistence::Engine::postgresql);
inline std::string engine_test_name(const ::testing::TestParamInfo<persistence::Engine>& info) {
  return persistence::engine_name(info.param);
}

}  // namespace careledger::testing
