// A process's own scratch directory: two live side by side untouched, each removed when it goes,
// and one whose process ended without removing it is removed by the next made.
#include "services/scratch_directory.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace careledger::services {
namespace {

namespace fs = std::filesystem;

TEST(ScratchDirectory, TwoLiveSideBySideAndEachIsRemovedWhenItGoes) {
  testing::TempDir tmp;
  auto one = std::make_unique<ScratchDirectory>(tmp.path().string());
  std::ofstream(fs::path(one->path()) / "staged") << "personal data";
  auto two = std::make_unique<ScratchDirectory>(tmp.path().string());
  EXPECT_NE(one->path(), two->path());
  EXPECT_EQ(fs::path(one->path()).parent_path(), tmp.path());
  EXPECT_TRUE(fs::exists(fs::path(one->path()) / "staged")) << "another's was touched";
  EXPECT_EQ(fs::status(two->path()).permissions() & fs::perms::all, fs::perms::owner_all);
  const std::string gone = two->path();
  two.reset();
  EXPECT_FALSE(fs::exists(gone));
  EXPECT_TRUE(fs::exists(fs::path(one->path()) / "staged"));
  const std::string first = one->path();
  one.reset();
  EXPECT_FALSE(fs::exists(first));
}

TEST(ScratchDirectory, OneLeftByAnEndedProcessIsRemovedByTheNext) {
  testing::TempDir tmp;
  // As a killed process leaves it: its lock file, held by no one now, and what it staged.
  const auto left = tmp.path() / "careledger-scratch-AbC123";
  fs::create_directory(left);
  std::ofstream(left / "process.lock");
  std::ofstream(left / "careledger-import-x.staging") << "personal data";
  // Not a scratch directory: kept.
  fs::create_directory(tmp.path() / "other");
  ScratchDirectory next(tmp.path().string());
  EXPECT_FALSE(fs::exists(left));
  EXPECT_TRUE(fs::exists(tmp.path() / "other"));
}

}  // namespace
}  // namespace careledger::services
