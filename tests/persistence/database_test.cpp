// The database file itself: who may read it.
#include "persistence/database.hpp"

#include <sys/stat.h>

#include <fstream>

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "persistence/event_store.hpp"
#include "persistence/teams.hpp"
#include "persistence/users.hpp"
#include "tests/persistence/store_fixtures.hpp"

#include "tests/support/temp_dir.hpp"

namespace careledger::persistence {
namespace {

using namespace careledger::testing;

unsigned mode_of(const std::string& path) {
  struct stat s {};
  if (::stat(path.c_str(), &s) != 0) return 0;
  return s.st_mode & 0777;
}

TEST(DatabaseFile, ANewDatabaseAndItsLogAreReadableByTheirOwnerAlone) {
  TempDir dir;
  const auto path = dir.file("new.db");
  auto db = open_writer(path);
  db->exec("CREATE TABLE t (x)");  // the -wal and -shm exist once written
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path + "-wal"), 0600u);
  EXPECT_EQ(mode_of(path + "-shm"), 0600u);
}

TEST(DatabaseFile, OneMadeReadableByOthersIsMadePrivateWhenOpened) {
  TempDir dir;
  const auto path = dir.file("old.db");
  open_writer(path)->exec("CREATE TABLE t (x)");
  for (const auto& file : {path, path + "-wal", path + "-shm"}) {
    std::ofstream(file, std::ios::app).flush();  // each exists, as a server left them
    ::chmod(file.c_str(), 0644);
  }
  auto db = open_writer(path);
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path + "-wal"), 0600u);
  EXPECT_EQ(mode_of(path + "-shm"), 0600u);
}

// A database made before the team register (schema 9) registers, on upgrade, every team its
// log and its users name, verbatim: even a name the register's pattern would refuse; its users
// are given ids.
TEST(DatabaseFile, AnUpgradeRegistersEveryTeamTheLogAndTheUsersName) {
  TempDir dir;
  const auto path = dir.file("old.db");
  {
    auto db = open_writer(path);
    careledger::persistence::Transaction tx(*db, careledger::persistence::Transaction::Mode::write);
    append_in_transaction(
        *db,
        append("person-per_1", ExpectedVersion::no_stream(), {registered("per_1", "North East")}),
        "2024-06-30T12:00:00.000Z");
    // Undo migrations 14 (sessions), 13 (CLD imports), 12 (the access log), 11 (users' ids,
    // disabled, last seen; user_changes) and 10 (teams).
    db->exec("DROP TABLE sessions");
    for (const char* table :
         {"cld_imports", "cld_import_rows", "cld_import_people", "cld_import_unrepresented"}) {
      db->exec(std::string("DROP TABLE ") + table);
    }
    db->exec("ALTER TABLE events DROP COLUMN origin");
    db->exec("DROP TABLE access_log");
    db->exec("DROP TABLE user_changes");
    db->exec("DROP INDEX users_by_id");
    for (const char* column : {"id", "disabled", "last_seen_at"}) {
      db->exec(std::string("ALTER TABLE users DROP COLUMN ") + column);
    }
    db->exec("DROP TABLE teams");
    db->exec(
        "INSERT INTO users (name, role, token_hash, created_at) "
        "VALUES ('nia', 'practitioner', 'x', '2024-06-30T12:00:00.000Z')");
    db->exec("INSERT INTO user_teams (user_name, team) VALUES ('nia', 'coast')");
    db->exec("PRAGMA user_version = 9");
    tx.commit();
  }
  auto db = open_writer(path);
  EXPECT_EQ(registered_team_names(*db), (std::vector<std::string>{"North East", "coast"}));
  EXPECT_EQ(find_team(*db, "coast")->label, "coast");
  EXPECT_EQ(find_team(*db, "coast")->created_by, "upgrade");
  // A user made before users had ids has one, and is enabled.
  const auto nia = find_user_by_name(*db, "nia");
  ASSERT_TRUE(nia.has_value());
  EXPECT_TRUE(nia->id.starts_with("usr_"));
  EXPECT_FALSE(nia->disabled);
}

}  // namespace
}  // namespace careledger::persistence
