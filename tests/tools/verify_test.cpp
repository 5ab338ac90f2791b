// verify passes on a sound file and names what is missing; the admin commands say what they did.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/admin.hpp"
#include "tools/import.hpp"
#include "tools/synthetic.hpp"
#include "tools/verify.hpp"

namespace careledger::tools {
namespace {

// A small council, imported.
std::string council(const testing::TempDir& dir) {
  std::stringstream text;
  generate(GenerateOptions{0.005, 1, 3, domain::FinancialYear{2023}}, text);
  std::ostringstream errors;
  import_lines(dir.file("c.db"), text, errors, [](std::size_t) {});
  return dir.file("c.db");
}

std::string last_line(const std::string& text) {
  const auto start = text.rfind('\n', text.size() - 2);
  return text.substr(start + 1, text.size() - start - 2);
}

TEST(Verify, AnImportedCouncilPasses) {
  testing::TempDir dir;
  std::ostringstream out;
  EXPECT_TRUE(verify({council(dir), std::nullopt}, out)) << out.str();
  EXPECT_NE(out.str().find("integrity_check: ok\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("read models match a rebuild from "), std::string::npos) << out.str();
}

TEST(Verify, AReadModelThatDisagreesWithTheLogFails) {
  testing::TempDir dir;
  const std::string db = council(dir);
  persistence::open_writer(db)->exec(
      "DELETE FROM rm_assessments WHERE rowid IN "
      "(SELECT rowid FROM rm_assessments LIMIT 1)");
  std::ostringstream out;
  EXPECT_FALSE(verify({db, std::nullopt}, out));
  EXPECT_NE(out.str().find("read models DO NOT match"), std::string::npos) << out.str();
}

TEST(Verify, AnExpectedStreamNotInTheLogIsNamedAndFails) {
  testing::TempDir dir;
  const std::string db = council(dir);
  const std::string present = [&] {
    auto connection = persistence::open_reader(db);
    return persistence::read_all(*connection, 0, 1).at(0).stream_id;
  }();
  std::ofstream(dir.file("streams")) << present << "\n\nperson-nowhere\n";
  std::ostringstream out;
  EXPECT_FALSE(verify({db, dir.file("streams")}, out));
  EXPECT_NE(out.str().find("missing: person-nowhere\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("1 of 2 acknowledged streams present\n"), std::string::npos)
      << out.str();
}

TEST(Admin, AResetTokenReplacesTheOneGivenWhenTheUserWasAdded) {
  testing::TempDir dir;
  std::ostringstream added, reset;
  add_user(dir.file("c.db"), persistence::User{"Nia", domain::Role::analyst, {}}, added);
  EXPECT_EQ(added.str().rfind("created analyst Nia\n", 0), 0u) << added.str();
  reset_token(dir.file("c.db"), "Nia", reset);
  EXPECT_EQ(reset.str().rfind("new token for Nia\n", 0), 0u) << reset.str();
  EXPECT_EQ(last_line(added.str()).size(), 64u);
  EXPECT_NE(last_line(added.str()), last_line(reset.str()));
}

TEST(Admin, RebuildSaysHowManyEventsItReplayed) {
  testing::TempDir dir;
  const std::string db = council(dir);
  std::ostringstream out;
  rebuild(db, out);
  EXPECT_EQ(out.str().rfind("rebuilt read models from ", 0), 0u) << out.str();
  std::ostringstream checked;
  EXPECT_TRUE(verify({db, std::nullopt}, checked)) << checked.str();
}

}  // namespace
}  // namespace careledger::tools
