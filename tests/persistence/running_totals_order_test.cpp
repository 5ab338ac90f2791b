// The counters' rows (rm_totals) are written in one order whatever order a batch met its teams
// in: two instances' batches that add to the same rows then lock them in the same order on
// PostgreSQL, and wait for each other rather than deadlock. On PostgreSQL they are written by a
// statement of its own (pg_totals.hpp), which leaves the same rows as SQLite's.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/pg_schema.hpp"
#include "persistence/running_totals.hpp"
#include "tests/persistence/pg_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::persistence {
namespace {

using domain::Counter;

// The rows the writes touch, in the order they were touched, as "team counter level".
std::vector<std::string> rows_written(Connection& db, StepSums& sums) {
  db.exec(
      "CREATE TEMP TABLE touched (n INTEGER PRIMARY KEY, row TEXT NOT NULL);"
      "CREATE TEMP TRIGGER inserted AFTER INSERT ON main.rm_totals BEGIN "
      "INSERT INTO touched (row) VALUES (new.scope || ' ' || new.counter || ' ' || new.level); "
      "END;"
      "CREATE TEMP TRIGGER updated AFTER UPDATE ON main.rm_totals BEGIN "
      "INSERT INTO touched (row) VALUES (new.scope || ' ' || new.counter || ' ' || new.level); "
      "END;");
  Transaction tx(db, Transaction::Mode::write);
  sums.write(db);
  tx.commit();
  std::vector<std::string> rows;
  Prepared q(db, "SELECT row FROM touched ORDER BY n");
  while (q->executeStep()) rows.push_back(q->getColumn(0).getString());
  return rows;
}

TEST(RunningTotalsOrder, RowsAreWrittenInKeyOrderWhateverOrderTheirTeamsCameIn) {
  testing::TempDir dir;
  auto db = open_writer(dir.file("totals.db"));
  const auto day = domain::parse_date("2024-05-01").value();
  StepSums sums;
  // As a batch meets them: south's people first, then north's, then south's again.
  sums.add("south", {{Counter::overdue, 0, day, 1}, {Counter::long_term_clients, 0, day, 1}});
  sums.add("north", {{Counter::overdue, 0, day, 1}});
  sums.add("south", {{Counter::reviewed_since, 0, day, 1}});
  sums.add("east", {{Counter::long_term_clients, 0, day, 1}});
  const std::vector<std::string> in_key_order{"east 1 0",  "east 1 1",  "east 1 2",  "north 4 0",
                                              "north 4 1", "north 4 2", "south 1 0", "south 1 1",
                                              "south 1 2", "south 3 0", "south 3 1", "south 3 2",
                                              "south 4 0", "south 4 1", "south 4 2"};
  EXPECT_EQ(rows_written(*db, sums), in_key_order);
}

// Every row of rm_totals, as "team counter level bucket key value", sorted.
std::vector<std::string> totals(Connection& db) {
  std::vector<std::string> rows;
  Prepared q(db, "SELECT scope, counter, level, bucket, key, value FROM rm_totals");
  while (q->executeStep()) {
    std::string row;
    for (int c = 0; c < 6; ++c) row += (c ? " " : "") + q->getColumn(c).getString();
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A batch's steps, added to the counters in one transaction.
void write_batch(Connection& db, const std::vector<std::pair<std::string, domain::Step>>& steps) {
  StepSums sums;
  for (const auto& [team, step] : steps) sums.add(team, {step});
  Transaction tx(db, Transaction::Mode::write);
  sums.write(db);
  tx.commit();
}

TEST(RunningTotalsOnPostgreSQL, AddAndTakeAwayLeavingTheRowsSQLiteLeaves) {
  testing::TempDir dir;
  auto sqlite = open_writer(dir.file("totals.db"));
  std::unique_ptr<testing::ThrowawayDatabase> database;
  ASSERT_NO_THROW(database = std::make_unique<testing::ThrowawayDatabase>());
  {
    pg::Connection owner(database->url_as(database->owner_role()));
    pg::install_store(owner, database->app_role());
  }
  auto postgresql = open_writer(database->url_as(database->app_role()));
  const auto may = domain::parse_date("2024-05-01").value();
  const auto june = domain::parse_date("2024-06-12").value();
  const std::vector<std::vector<std::pair<std::string, domain::Step>>> batches{
      {{"north", {Counter::overdue, 0, may, 1}},
       {"south", {Counter::long_term_clients, 3, may, 2}},
       {"south", {Counter::long_term_clients, 3, june, 1}},
       {"east", {Counter::reviewed_since, 0, june, 5}}},
      // North's step taken away (its rows, at every level, go), south's in part, west's new.
      {{"north", {Counter::overdue, 0, may, -1}},
       {"south", {Counter::long_term_clients, 3, may, -2}},
       {"west", {Counter::overdue, 0, june, 1}}},
  };
  for (std::size_t i = 0; i < batches.size(); ++i) {
    write_batch(*sqlite, batches[i]);
    write_batch(*postgresql, batches[i]);
    const auto expected = totals(*sqlite);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(totals(*postgresql), expected) << "after batch " << i + 1;
  }
  const auto left = totals(*postgresql);
  EXPECT_TRUE(std::none_of(left.begin(), left.end(),
                           [](const std::string& row) { return row.starts_with("north "); }));
  // South's May rows (its day's and its month's) are gone; its June rows and its year's stand.
  EXPECT_EQ(std::count_if(left.begin(), left.end(),
                          [](const std::string& row) { return row.starts_with("south "); }),
            3);
}

}  // namespace
}  // namespace careledger::persistence
