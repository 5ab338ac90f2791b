#include "persistence/event_store.hpp"

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/event_codec.hpp"
#include "tests/persistence/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::persistence {
namespace {

using namespace careledger::testing;

class EventStoreTest : public ::testing::Test {
 protected:
  AppendResult commit(const AppendRequest& request) {
    careledger::persistence::Transaction tx(*db, careledger::persistence::Transaction::Mode::write);
    auto result = append_in_transaction(*db, request, "2024-06-30T12:00:00.000Z");
    tx.commit();
    return result;
  }
  std::int64_t event_count() { return db->execAndGet("SELECT COUNT(*) FROM events").getInt64(); }

  TempDir dir;
  std::string path = dir.file("store.db");
  std::unique_ptr<persistence::Connection> db = open_writer(path);
};

TEST_F(EventStoreTest, AppendingToANewStreamNumbersItsEventsFromOne) {
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
  EXPECT_EQ(events[1].recorded_at, "2024-06-30T12:00:00.000Z");
  EXPECT_EQ(events[1].person_id, domain::PersonId{"p1"});
  EXPECT_NE(events[0].event_id, events[1].event_id);
  EXPECT_TRUE(std::holds_alternative<domain::AssessmentCompleted>(events[1].event));
}

TEST_F(EventStoreTest, ExpectingNoStreamWhenItExistsIsAWrongVersionAndWritesNothing) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  auto result =
      commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  ASSERT_TRUE(std::holds_alternative<WrongExpectedVersion>(result));
  EXPECT_EQ(std::get<WrongExpectedVersion>(result).actual, Version{1});
  EXPECT_EQ(event_count(), 1);
}

TEST_F(EventStoreTest, AStaleExactVersionIsAWrongVersionAndWritesNothing) {
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

TEST_F(EventStoreTest, ARepeatedIdempotencyKeyAnswersWithTheFirstAppendAndWritesNothing) {
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

TEST_F(EventStoreTest, TheSameKeyFromAnotherUserIsTheirOwn) {
  auto first = append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")});
  first.claim = IdempotencyClaim{"pat", "key-1", "hash-1"};
  commit(first);
  auto other = append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "north")});
  other.claim = IdempotencyClaim{"sam", "key-1", "hash-1"};
  EXPECT_TRUE(std::holds_alternative<Appended>(commit(other)));
}

TEST_F(EventStoreTest, ANewStreamIsRecordedWithTheAppendOrNotAtAll) {
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
TEST_F(EventStoreTest, AnEventStoredBeforeItsOptionalMembersWereAddedReadsWithoutThem) {
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

TEST_F(EventStoreTest, ReadAllGivesEveryStreamInGlobalOrderFromAPosition) {
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

TEST_F(EventStoreTest, APersonsEventsAreFoundAcrossTheirStreams) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  commit(append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "north")}));
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01")}));
  auto events = read_person_events(*db, domain::PersonId{"p1"}, 0, 100);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].stream_id, "assessment-a1");
}

TEST_F(EventStoreTest, StoredEventsCannotBeChangedOrDeleted) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  EXPECT_THROW(db->exec("UPDATE events SET team = 'south'"), SQLite::Exception);
  EXPECT_THROW(db->exec("DELETE FROM events"), SQLite::Exception);
  EXPECT_EQ(event_count(), 1);
}

TEST_F(EventStoreTest, TheFileIsWalAtTheCurrentSchemaVersionAndKeepsEventsWhenReopened) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  EXPECT_EQ(db->execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db->execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
  db.reset();
  auto reopened = open_writer(path);
  EXPECT_EQ(reopened->execAndGet("PRAGMA user_version").getInt(), schema_version());
  EXPECT_EQ(read_stream(*reopened, "person-p1").size(), 1u);
}

}  // namespace
}  // namespace careledger::persistence
