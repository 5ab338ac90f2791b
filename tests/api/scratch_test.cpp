// An Api given no spool directory (a PostgreSQL store's, or a loader's) spools and stages in a
// directory of its own under the temporary directory, and leaves alone what another process
// stages there: it once cleared every CLD import's staging file from the shared directory.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>

#include "api/api.hpp"
#include "persistence/database.hpp"
#include "persistence/event_writer.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::api {
namespace {

namespace fs = std::filesystem;

TEST(ApiScratch, WithoutASpoolDirectoryItUsesItsOwnAndTouchesNoOneElses) {
  testing::TempDir tmp, store;
  const char* before = std::getenv("TMPDIR");
  const std::string kept_tmpdir = before ? before : "";
  ::setenv("TMPDIR", tmp.path().c_str(), 1);
  // Another process's import, under way: its staging file in the shared directory.
  const auto others = tmp.path() / "careledger-import-cldi_other.staging";
  std::ofstream(others) << "personal data";
  std::string own;
  {
    const std::string db = store.file("api.db");
    persistence::open_writer(db);
    auto writer = persistence::open_appender(db);
    persistence::ReaderPool readers(db);
    services::Context context{*writer, readers, services::london_today, {}};
    Api api(context, ApiOptions{});
    own = api.spool_directory();
    EXPECT_EQ(fs::path(own).parent_path(), tmp.path());
    EXPECT_TRUE(fs::is_directory(own));
    EXPECT_TRUE(fs::exists(others)) << "another process's staging file was removed";
  }
  EXPECT_FALSE(fs::exists(own)) << "its own directory outlived it";
  EXPECT_TRUE(fs::exists(others));
  if (before) {
    ::setenv("TMPDIR", kept_tmpdir.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
}

}  // namespace
}  // namespace careledger::api
