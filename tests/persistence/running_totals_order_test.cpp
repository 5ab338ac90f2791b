// The counters' rows (rm_totals) are written in one order whatever order a batch met its teams
// in: two instances' batches that add to the same rows then lock them in the same order on
// PostgreSQL, and wait for each other rather than deadlock.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/running_totals.hpp"
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

}  // namespace
}  // namespace careledger::persistence
