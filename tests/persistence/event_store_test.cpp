// The event log's appends and reads, on both engines (both_engines.hpp).
#include "persistence/event_store.hpp"

#include <regex>

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/event_codec.hpp"
#include "persistence/pg_event_log.hpp"
#include "tests/persistence/both_engines.hpp"
#include "tests/persistence/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::persistence {
namespace {

using namespace careledger::testing;

constexpr const char* sqlite_recorded_at = "2024-06-30T12:00:00.000Z";

class EventStoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(store_ = std::make_unique<EmptyStore>(GetParam()));
    db = open_writer(store_->url());
  }
  // The append in a transaction of its own: on SQLite stamped `sqlite_recorded_at`, on
  // PostgreSQL sequenced after its commit and stamped by the database's clock.
  AppendResult commit(const AppendRequest& request) {
    if (GetParam() == Engine::postgresql) {
      return pg::append(dynamic_cast<pg::Connection&>(*db), request);
    }
    careledger::persistence::Transaction tx(*db, careledger::persistence::Transaction::Mode::write);
    auto result = append_in_transaction(*db, request, sqlite_recorded_at);
    tx.commit();
    return result;
  }
  std::int64_t event_count() { return db->execAndGet("SELECT COUNT(*) FROM events").getInt64(); }

  std::unique_ptr<EmptyStore> store_;
  std::unique_ptr<persistence::Connection> db;
};

INSTANTIATE_TEST_SUITE_P(BothEngines, EventStoreTest, both_engines, engine_test_name);

TEST_P(EventStoreTest, AppendingToANewStreamNumbersItsEventsFromOne) {
  auto result = commit(append(
      "assessment-a1", ExpectedVersion::no_stream(),
      {requested("a1", "p1", "north", "2024-03-01"),
       then(domain::AssessmentCompleted{day("2024-04-01"), true, std::nullopt}, "p1", "north")}));
  ASSERT_TRUE(std::holds_alternative<Appended>(result));
  EXPECT_EQ(std::get<Appended>(result).version, Version{2});

  auto events = read_stream(*db, "assessment-a1");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].version, Version{1});
  EXPECT_EQ(events[0].type, "assessment_requested");
  EXPECT_EQ(events[1].type, "assessment_completed");
  EXPECT_EQ(events[1].occurred_on, day("2024-04-01"));
  EXPECT_EQ(events[1].recorded_by, "tester");
  if (GetParam() == Engine::sqlite) {
    EXPECT_EQ(events[1].recorded_at, sqlite_recorded_at);
  } else {  // the database's clock, in the same form
    EXPECT_TRUE(std::regex_match(events[1].recorded_at,
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << events[1].recorded_at;
    EXPECT_LT(events[0].position, events[1].position);
  }
  EXPECT_EQ(events[1].person_id, domain::PersonId{"p1"});
  EXPECT_NE(events[0].event_id, events[1].event_id);
  EXPECT_TRUE(std::holds_alternative<domain::AssessmentCompleted>(events[1].event));
}

TEST_P(EventStoreTest, ExpectingNoStreamWhenItExistsIsAWrongVersionAndWritesNothing) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  auto result =
      commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  ASSERT_TRUE(std::holds_alternative<WrongExpectedVersion>(result));
  EXPECT_EQ(std::get<WrongExpectedVersion>(result).actual, Version{1});
  EXPECT_EQ(event_count(), 1);
}

TEST_P(EventStoreTest, AStaleExactVersionIsAWrongVersionAndWritesNothing) {
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01")}));
  commit(append("assessment-a1", ExpectedVersion::exact(Version{1}),
                {then(domain::AssessmentAllocated{"Sam", day("2024-03-02")}, "p1", "north")}));
  auto stale = commit(append(
      "assessment-a1", ExpectedVersion::exact(Version{1}),
      {then(domain::AssessmentCompleted{day("2024-03-03"), true, std::nullopt}, "p1", "north")}));
  ASSERT_TRUE(std::holds_alternative<WrongExpectedVersion>(stale));
  EXPECT_EQ(std::get<WrongExpectedVersion>(stale).actual, Version{2});
  EXPECT_EQ(event_count(), 2);
}

TEST_P(EventStoreTest, ARepeatedIdempotencyKeyAnswersWithTheFirstAppendAndWritesNothing) {
  auto first = append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")});
  first.claim = IdempotencyClaim{"pat", "key-1", "hash-1"};
  ASSERT_TRUE(std::holds_alternative<Appended>(commit(first)));

  auto again = append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "north")});
  again.claim = IdempotencyClaim{"pat", "key-1", "hash-1"};
  auto result = commit(again);
  ASSERT_TRUE(std::holds_alternative<IdempotentRepeat>(result));
  const auto& repeat = std::get<IdempotentRepeat>(result).first;
  EXPECT_EQ(repeat.stream_id, "person-p1");
  EXPECT_EQ(repeat.version, Version{1});
  EXPECT_EQ(event_count(), 1);
}

TEST_P(EventStoreTest, TheSameKeyFromAnotherUserIsTheirOwn) {
  auto first = append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")});
  first.claim = IdempotencyClaim{"pat", "key-1", "hash-1"};
  commit(first);
  auto other = append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "north")});
  other.claim = IdempotencyClaim{"sam", "key-1", "hash-1"};
  EXPECT_TRUE(std::holds_alternative<Appended>(commit(other)));
}

TEST_P(EventStoreTest, ANewStreamIsRecordedWithTheAppendOrNotAtAll) {
  commit(append("assessment-a2", ExpectedVersion::no_stream(),
                {requested("a2", "p1", "north", "2024-03-01")}));
  auto request = append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")});
  request.new_streams.push_back({"assessment-a1", {requested("a1", "p1", "north", "2024-03-01")}});
  request.new_streams.push_back({"assessment-a2", {requested("a2", "p1", "north", "2024-03-02")}});
  // One of the streams it would start exists already: nothing is recorded.
  EXPECT_TRUE(std::holds_alternative<WrongExpectedVersion>(commit(request)));
  EXPECT_EQ(event_count(), 1);
  request.new_streams.pop_back();
  const auto result = commit(request);
  ASSERT_TRUE(std::holds_alternative<Appended>(result));
  EXPECT_EQ(std::get<Appended>(result).version, Version{1});
  EXPECT_EQ(std::get<Appended>(result).records.size(), 2u);
  EXPECT_EQ(read_stream(*db, "assessment-a1").at(0).version, Version{1});
  EXPECT_EQ(event_count(), 3);
}

// An event stored before a member was added to its type reads as that member not recorded.
TEST_P(EventStoreTest, AnEventStoredBeforeItsOptionalMembersWereAddedReadsWithoutThem) {
  const auto event = decode_event("person_registered",
                                  R"({"person_id":"p1","given_name":"Ada","family_name":"Lovelace",
          "date_of_birth":"1950-01-01","team":"north","nhs_number":null,
          "client_type":"service_user","primary_support_reason":"physical_support",
          "registered_on":"2024-01-01"})");
  const auto& registered = std::get<domain::PersonRegistered>(event);
  EXPECT_EQ(registered.primary_support_reason, domain::SupportReason::physical_support);
  EXPECT_FALSE(registered.gender.has_value());
  EXPECT_FALSE(registered.ethnicity.has_value());
  const auto ended = decode_event("support_ended", R"({"ended_on":"2024-02-01","sequel":"other"})");
  EXPECT_FALSE(std::get<domain::SupportEnded>(ended).end_reason.has_value());
  // A required member missing is still an error.
  EXPECT_ANY_THROW(decode_event("support_ended", R"({"sequel":"other"})"));
}

TEST_P(EventStoreTest, ReadAllGivesEveryStreamInGlobalOrderFromAPosition) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  commit(append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "south")}));
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01")}));
  auto all = read_all(*db, 0, 100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].stream_id, "person-p1");
  EXPECT_EQ(all[2].stream_id, "assessment-a1");
  EXPECT_LT(all[0].position, all[1].position);
  auto rest = read_all(*db, all[0].position, 100);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].stream_id, "person-p2");
}

TEST_P(EventStoreTest, APersonsEventsAreFoundAcrossTheirStreams) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  commit(append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "north")}));
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01")}));
  auto events = read_person_events(*db, domain::PersonId{"p1"}, 0, 100);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].stream_id, "assessment-a1");
}

TEST_P(EventStoreTest, StoredEventsCannotBeChangedOrDeleted) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  if (GetParam() == Engine::sqlite) {
    EXPECT_THROW(db->exec("UPDATE events SET team = 'south'"), SQLite::Exception);
    EXPECT_THROW(db->exec("DELETE FROM events"), SQLite::Exception);
  } else {  // the log's tables, as the role careledger connects with
    for (const char* change : {"UPDATE event_rows SET team = 'south'", "DELETE FROM event_rows",
                               "DELETE FROM log", "TRUNCATE event_rows", "TRUNCATE log"}) {
      EXPECT_EQ(sqlstate_of([&] { db->exec(change); }), "42501") << change;
    }
    // the events view joins the two: PostgreSQL refuses to write through it at all
    EXPECT_EQ(sqlstate_of([&] { db->exec("UPDATE events SET team = 'south'"); }), "55000");
  }
  EXPECT_EQ(event_count(), 1);
  EXPECT_EQ(read_stream(*db, "person-p1").at(0).team, domain::Team{"north"});
}

TEST(EventStoreFile, IsWalAtTheCurrentSchemaVersionAndKeepsEventsWhenReopened) {
  TempDir dir;
  const auto path = dir.file("store.db");
  auto db = open_writer(path);
  {
    careledger::persistence::Transaction tx(*db, careledger::persistence::Transaction::Mode::write);
    append_in_transaction(
        *db, append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}),
        sqlite_recorded_at);
    tx.commit();
  }
  EXPECT_EQ(db->execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db->execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
  db.reset();
  auto reopened = open_writer(path);
  EXPECT_EQ(reopened->execAndGet("PRAGMA user_version").getInt(), schema_version());
  EXPECT_EQ(read_stream(*reopened, "person-p1").size(), 1u);
}

}  // namespace
}  // namespace careledger::persistence
