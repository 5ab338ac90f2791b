// `careledger migrate-store`: a council's SQLite store moved to PostgreSQL keeps its whole
// history, and a file loaded before is still known as loaded.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "tests/persistence/pg_fixture.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/tools/run_binary.hpp"

namespace careledger::tools {
namespace {

using testing::careledger;

class MigrateStore : public testing::PgDatabase {
 protected:
  // A small council in a SQLite store: its casework, a CLD file imported, a user and a team
  // added, a user's role changed.
  void SetUp() override {
    PgDatabase::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(careledger(dir, {"generate", "--scale=0.002", "--years=1", "--seed=5",
                               "--last-year=2023-24", "--out=" + council})
                  .status,
              0);
    for (std::vector<std::string> args : {
             std::vector<std::string>{"import", "--db", source, council},
             {"cld", "export", "--db", source, "--quarter", "2023-24-Q4", "--la-code", "999",
              "--out", cld},
             {"cld", "import", "--db", source, "--file", cld, "--team", "north", "--la-code",
              "999"},
             {"users", "add", "--db", source, "--name", "nia", "--role", "practitioner", "--team",
              "north"},
             {"users", "set-role", "--db", source, "--name", "nia", "--role", "team_leader"},
         }) {
      const auto run = careledger(dir, args);
      ASSERT_EQ(run.status, 0) << args[0] << ": " << run.err;
    }
  }

  testing::Run migrate() {
    return careledger(dir, {"migrate-store", "--from", source, "--to", url_as(owner_role()),
                            "--app-role", app_role()});
  }

  // The command's output on the SQLite store and on the PostgreSQL one.
  void expect_same(std::vector<std::string> args) {
    args.insert(args.begin() + static_cast<long>(command_words(args)), {"--db", source});
    const auto there = careledger(dir, args);
    ASSERT_EQ(there.status, 0) << there.err;
    args[command_words(args) + 1] = url_for_app();
    const auto here = careledger(dir, args);
    ASSERT_EQ(here.status, 0) << here.err;
    EXPECT_EQ(here.out, there.out) << args[0];
  }
  static std::size_t command_words(const std::vector<std::string>& args) {
    return args.size() > 1 && args[1].rfind("--", 0) != 0 ? 2 : 1;
  }

  std::int64_t events_on_postgresql() {
    return owner->query("SELECT count(*) FROM log").integer(0, 0);
  }

  testing::TempDir dir;
  const std::string council = dir.file("council.ndjson"), source = dir.file("council.db"),
                    cld = dir.file("cld.csv");
};

TEST_F(MigrateStore, CopiesTheWholeStoreAndAnswersAsTheFileDid) {
  const auto run = migrate();
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("every table holds the file's rows"), std::string::npos) << run.out;

  SQLite::Database file(source);
  EXPECT_EQ(events_on_postgresql(), file.execAndGet("SELECT count(*) FROM events").getInt64());
  // Each event at its own position, with its own time.
  EXPECT_EQ(owner
                ->query("SELECT string_agg(event_id || recorded_at, ',' ORDER BY position) "
                        "FROM events")
                .text(0, 0),
            file.execAndGet("SELECT group_concat(event_id || recorded_at, ',') FROM (SELECT * "
                            "FROM events ORDER BY position)")
                .getString());
  expect_same({"users", "list"});
  expect_same({"teams", "list"});
  expect_same({"audit"});
  EXPECT_EQ(owner->query("SELECT count(*) FROM user_changes").integer(0, 0),
            file.execAndGet("SELECT count(*) FROM user_changes").getInt64());

  const auto verified = careledger(dir, {"verify", "--db", url_for_app()});
  EXPECT_EQ(verified.status, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("read models match a rebuild"), std::string::npos);
}

TEST_F(MigrateStore, WhatWasLoadedBeforeIsNotLoadedAgainAndNewWritesFollowOn) {
  ASSERT_EQ(migrate().status, 0);
  const auto before = events_on_postgresql();

  // The idempotency keys came across: the generated file records nothing new.
  auto run = careledger(dir, {"import", "--db", url_for_app(), council});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("imported 0 new of"), std::string::npos) << run.out;
  // The CLD import's record came across: the file is known as imported, under its first id.
  run = careledger(dir, {"cld", "import", "--db", url_for_app(), "--file", cld, "--team", "north",
                         "--la-code", "999"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("\"repeat\":true"), std::string::npos) << run.out;
  EXPECT_EQ(events_on_postgresql(), before);

  // New casework, users and teams follow on from the copied positions.
  const std::string more = dir.file("more.ndjson");
  std::ofstream(more)
      << R"({"ref":"P1","method":"POST","path":"/v1/people","body":{"given_name":"Ada",)"
      << R"("family_name":"Lovelace","date_of_birth":"1950-05-05","team":"north"}})"
      << "\n"
      << R"({"method":"POST","path":"/v1/assessments","body":{"person_id":"@P1",)"
      << R"("kind":"needs","requested_on":"2024-05-01","priority":"high"}})"
      << "\n";
  run = careledger(dir, {"import", "--db", url_for_app(), more});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_GT(events_on_postgresql(), before);
  EXPECT_EQ(owner->query("SELECT max(position) = count(*) FROM log").text(0, 0), "t");
  run = careledger(dir,
                   {"users", "add", "--db", url_for_app(), "--name", "ana", "--role", "analyst"});
  EXPECT_EQ(run.status, 0) << run.err;
  run = careledger(dir, {"teams", "add", "--db", url_for_app(), "--name", "central"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(careledger(dir, {"verify", "--db", url_for_app()}).status, 0);
}

TEST_F(MigrateStore, RefusesADatabaseThatAlreadyHoldsAStore) {
  ASSERT_EQ(migrate().status, 0);
  const auto before = events_on_postgresql();
  const auto again = migrate();
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.err.find("already holds a store"), std::string::npos) << again.err;
  EXPECT_EQ(events_on_postgresql(), before);
}

TEST_F(MigrateStore, RefusesATableItDoesNotKnowAndCopiesNothing) {
  SQLite::Database(source, SQLite::OPEN_READWRITE).exec("CREATE TABLE notes (text TEXT)");
  const auto run = migrate();
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("does not know, notes"), std::string::npos) << run.err;
  // Nothing installed either: the database is as it was.
  EXPECT_EQ(owner->query("SELECT to_regclass('log') IS NULL").text(0, 0), "t");
}

TEST_F(MigrateStore, RefusesAFileThatIsNotThere) {
  const auto run = careledger(dir, {"migrate-store", "--from", dir.file("missing.db"), "--to",
                                    url_as(owner_role()), "--app-role", app_role()});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("no SQLite store at"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("missing.db")));
}

}  // namespace
}  // namespace careledger::tools
