// Rows written together (row_batch.hpp), on both engines: on PostgreSQL one statement carries
// every row, as JSON, read back as each column's type.
#include "persistence/row_batch.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "persistence/access_log.hpp"
#include "persistence/database.hpp"
#include "persistence/event_writer.hpp"
#include "tests/persistence/both_engines.hpp"

namespace careledger::persistence {
namespace {

using careledger::testing::EmptyStore;

class RowBatchTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(store_ = std::make_unique<EmptyStore>(GetParam()));
    db = open_writer(store_->url());
  }
  std::string totals() {
    std::string out;
    Prepared q(*db,
               "SELECT person_id, family, team, contributions FROM rm_person_totals "
               "ORDER BY person_id, family");
    while (q->executeStep()) {
      out += q->getColumn(0).getString() + " " + q->getColumn(1).getString() + " " +
             q->getColumn(2).getString() + " " + q->getColumn(3).getString() + "\n";
    }
    return out;
  }
  std::unique_ptr<EmptyStore> store_;
  std::unique_ptr<Connection> db;
};

INSTANTIATE_TEST_SUITE_P(BothEngines, RowBatchTest, careledger::testing::both_engines,
                         careledger::testing::engine_test_name);

TEST_P(RowBatchTest, InsertsEveryRowInOrderWithItsNullsNumbersAndText) {
  AccessEntry first;
  first.at = "2026-12-03T10:00:00.000Z";
  first.user = "o'brien \"the\" üser";
  first.method = "GET";
  first.route = "/v1/people/{id}";
  first.status = 200;
  first.person_id = "p1";
  first.filters = R"({"team":"north"})";
  first.people_shown = 7;
  first.request_id = "r1";
  first.client = "10.0.0.1";
  AccessEntry second = first;
  second.at = "2026-12-03T10:00:01.000Z";
  second.user.reset();
  second.person_id.reset();
  second.people_shown.reset();
  second.status = 401;
  second.request_id = "r2";
  auto rows = access_rows(first);
  rows.add_rows_of(access_rows(second));
  {
    Transaction tx(*db, Transaction::Mode::write);
    rows.write(*db);
    tx.commit();
  }
  EXPECT_TRUE(rows.empty());  // written and forgotten

  const auto read = read_access(*db, {});  // newest first
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[1].user, first.user);
  EXPECT_EQ(read[1].people_shown, 7);
  EXPECT_EQ(read[1].person_id, "p1");
  EXPECT_EQ(read[1].filters, first.filters);
  EXPECT_EQ(read[1].status, 200);
  EXPECT_EQ(read[0].user, std::nullopt);
  EXPECT_EQ(read[0].person_id, std::nullopt);
  EXPECT_EQ(read[0].people_shown, std::nullopt);
  EXPECT_EQ(read[0].status, 401);
  EXPECT_LT(read[1].position, read[0].position);
}

TEST_P(RowBatchTest, UpdatesARowWhoseKeyIsThereAndDeletesTheRowsNamed) {
  auto save = [] {
    return RowBatch::insert("rm_person_totals", {"person_id", "family", "team", "contributions"},
                            "ON CONFLICT (person_id, family) DO UPDATE SET "
                            "team = excluded.team, contributions = excluded.contributions");
  };
  Transaction tx(*db, Transaction::Mode::write);
  auto first = save();
  first.add({std::string("p1"), std::string("support"), std::string("north"), std::string("a")});
  first.add({std::string("p1"), std::string("requests"), std::string("north"), std::string("b")});
  first.add({std::string("p2"), std::string("support"), std::string("south"), std::string("c")});
  first.write(*db);
  auto again = save();
  again.add({std::string("p1"), std::string("support"), std::string("east"), std::string("d")});
  again.add({std::string("p3"), std::string("support"), std::string("east"), std::string("e")});
  again.write(*db);
  auto forget = RowBatch::erase("rm_person_totals", {"person_id", "family"});
  forget.add({std::string("p1"), std::string("requests")});
  forget.add({std::string("p2"), std::string("requests")});  // none such: nothing
  forget.write(*db);
  tx.commit();
  EXPECT_EQ(totals(), "p1 support east d\np2 support south c\np3 support east e\n");
}

TEST_P(RowBatchTest, RefusesARowOfAnotherShapeOrAnotherStatementsRows) {
  auto rows = RowBatch::erase("rm_person_totals", {"person_id", "family"});
  EXPECT_THROW(rows.add({std::string("p1")}), std::logic_error);
  EXPECT_THROW(rows.add_rows_of(RowBatch::erase("rm_person_totals", {"person_id"})),
               std::logic_error);
  Transaction tx(*db, Transaction::Mode::write);
  rows.write(*db);  // none: no statement
  tx.commit();
  EXPECT_EQ(totals(), "");
}

// Rows given to the server's writer from many threads at once are written together; a row the
// database refuses refuses its own write alone, and the others' rows stand.
TEST_P(RowBatchTest, ARowRefusedRefusesItsOwnWriteAloneThroughTheWriter) {
  const auto writer = open_appender(store_->url());
  auto entry = [](int i) {
    AccessEntry e;
    e.at = "2026-12-03T10:00:00.000Z";
    e.method = "GET";
    e.route = "/v1/people/{id}";
    e.status = 200;
    e.filters = "{}";
    e.request_id = "r" + std::to_string(i);
    e.client = "10.0.0.1";
    return e;
  };
  auto refused = RowBatch::insert(
      "access_log", {"at", "user", "role", "method", "route", "status", "person_id", "filters",
                     "people_shown", "request_id", "client"});
  refused.add({std::string("2026-12-03T10:00:00.000Z"), RowValue(), RowValue(), RowValue(),
               std::string("/v1/people/{id}"), std::int64_t{200}, RowValue(), std::string("{}"),
               RowValue(), std::string("bad"), std::string("10.0.0.1")});  // method is NOT NULL
  std::vector<std::thread> threads;
  std::atomic<int> written{0}, failed{0};
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      try {
        writer->write_rows(i == 5 ? refused : access_rows(entry(i)));
        ++written;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 1);
  EXPECT_EQ(written.load(), 11);
  AccessQuery all;
  all.limit = 100;
  EXPECT_EQ(read_access(*db, all).size(), 11u);
}

}  // namespace
}  // namespace careledger::persistence
