// The event log on PostgreSQL (issue 16): PostgreSQL's own traps, against a real server
// (pg_fixture.hpp: a database and roles of each test's own).
#include <future>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "persistence/event_codec.hpp"
#include "persistence/pg_event_log.hpp"
#include "tests/persistence/pg_fixture.hpp"
#include "tests/persistence/store_fixtures.hpp"

namespace careledger::testing {
namespace {

namespace pg = persistence::pg;
using persistence::ExpectedVersion;

class PgEventLog : public PgDatabase {
 protected:
  void SetUp() override {
    PgDatabase::SetUp();
    if (HasFatalFailure()) return;
    pg::install_log_schema(*owner, app_role());
  }
  // An append in flight on `db`: its transaction begun, one event inserted and queued as an
  // append inserts them, not yet committed.
  static void begin_append(pg::Connection& db, const std::string& stream, int version,
                           const std::string& person) {
    const auto event = registered(person, "north").event;
    db.run("BEGIN");
    db.query(
        "INSERT INTO event_rows (event_id, stream_id, version, type, occurred_on, recorded_by, "
        "team, "
        "person_id, data) VALUES ($1, $2, $3, $4, '2024-01-01', 'tester', 'north', $5, $6)",
        {persistence::new_event_id(), stream, std::to_string(version),
         std::string(domain::event_type(event)), person, persistence::encode_event(event)});
  }
  // Waits (by asking, not by sleeping a guessed time) until another connection of the test's
  // waits for a lock: the append racing an open one has reached the row they both want.
  void until_blocked() {
    auto reader = connect_app();
    for (;;) {
      const auto r = reader->query(
          "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
          "AND wait_event_type = 'Lock'");
      if (r.integer(0, 0) > 0) return;
      std::this_thread::yield();
    }
  }
  // The appends, on a connection of their own, once they wait for a row an open append holds
  // (the caller then commits that append and takes the answer).
  std::future<std::vector<persistence::AppendResult>> blocked_behind_open_append(
      std::vector<persistence::AppendRequest> requests) {
    auto answer = std::async(std::launch::async, [this, requests = std::move(requests)] {
      auto db = connect_app();
      return pg::append_all(*db, requests);
    });
    until_blocked();
    return answer;
  }
};

TEST_F(PgEventLog, TheAppRoleAppendsAndReadsButCannotChangeOrEmptyTheLog) {
  auto r = pg::append(*app, append("person-per_1", ExpectedVersion::no_stream(),
                                   {registered("per_1", "north"), registered("per_1", "north")}));
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(r));
  const auto& appended = std::get<persistence::Appended>(r);
  EXPECT_EQ(appended.version, persistence::Version{2});
  const auto log = pg::read_all(*app, 0, 100);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].position, 1);
  EXPECT_EQ(log[1].position, 2);
  EXPECT_EQ(appended.records[1].position, 2);
  EXPECT_EQ(log[1].recorded_at, appended.records[1].recorded_at);
  EXPECT_TRUE(log[0].recorded_at.ends_with("Z")) << log[0].recorded_at;
  EXPECT_EQ(log[0].event_id, appended.records[0].event_id);

  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE event_rows SET team = 'south'"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM event_rows"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM log"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("TRUNCATE event_rows CASCADE"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("DROP TABLE log"); }), "42501");
  // Nor write a position, nor queue or unqueue an event, nor choose an event's uid.
  EXPECT_EQ(sqlstate_of([&] { app->run("INSERT INTO log VALUES (99, 1, 'forged')"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM unsequenced"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("INSERT INTO unsequenced VALUES (1)"); }), "42501");
  EXPECT_EQ(
      sqlstate_of([&] {
        app->run(
            "INSERT INTO event_rows (event_uid, event_id, stream_id, version, type, occurred_on, "
            "recorded_by, team, data) VALUES (99, 'x', 's', 1, 't', '2024-01-01', 'x', "
            "'north', '{}')");
      }),
      "42501");
  // Not even the tables' owner changes the log.
  EXPECT_EQ(sqlstate_of([&] { owner->run("UPDATE event_rows SET team = 'south'"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { owner->run("DELETE FROM log"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { owner->run("TRUNCATE log"); }), "42501");
  EXPECT_EQ(pg::read_all(*app, 0, 100).size(), 2u);
}

TEST_F(PgEventLog, AReaderNeverSkipsAnAppendThatCommitsLateAndOtherStreamsDoNotWait) {
  // An append to stream X inserts first (taking the lower event_uid) and stays open.
  auto first = connect_app();
  begin_append(*first, "person-per_x", 1, "per_x");
  // An append to stream Y, after it, waits for no lock of X's: it commits and has its place.
  const auto y = pg::append(
      *app, append("person-per_y", ExpectedVersion::no_stream(), {registered("per_y", "north")}));
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(y));
  EXPECT_EQ(std::get<persistence::Appended>(y).records.at(0).position, 1);
  // A reader follows the log to its end: Y. X, not committed, has no position to be skipped.
  auto log = pg::read_all(*app, 0, 100);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].stream_id, "person-per_y");
  first->run("COMMIT");
  pg::sequence(*app);
  // X takes the next position, after the one the reader has already read.
  log = pg::read_all(*app, log.back().position, 100);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].stream_id, "person-per_x");
  EXPECT_EQ(log[0].position, 2);
  EXPECT_LE(pg::read_all(*app, 0, 100).at(0).recorded_at, log[0].recorded_at);
}

TEST_F(PgEventLog, AnIdleWriterPlacesAnAppendWhoseWriterStoppedBetweenItsCommitAndSequencing) {
  pg::Writer writer(url_for_app(), {}, 512, std::chrono::milliseconds{20});
  // An append committed by a writer that stopped before sequencing it (its process killed, its
  // connection lost), and no append after it.
  auto stopped = connect_app();
  begin_append(*stopped, "person-per_x", 1, "per_x");
  stopped->run("COMMIT");
  // A reader following the log finds it all the same, placed by the idle writer.
  std::vector<persistence::EventRecord> log;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  while ((log = pg::read_all(*app, 0, 100)).empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{5});  // polled, not timed
  }
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].stream_id, "person-per_x");
  EXPECT_EQ(log[0].position, 1);
  EXPECT_EQ(writer.events_appended(), 0u);
}

TEST_F(PgEventLog, AnAppendExpectingAnyVersionStandsWhateverWinsTheRace) {
  auto first = connect_app();
  begin_append(*first, "person-per_1", 1, "per_1");
  auto second = blocked_behind_open_append(
      {append("person-per_1", ExpectedVersion::any(), {registered("per_1", "north")})});
  first->run("COMMIT");
  const auto result = second.get().at(0);
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(result));
  EXPECT_EQ(std::get<persistence::Appended>(result).version, persistence::Version{2});
}

TEST_F(PgEventLog, TwoAppendsRacingOnOneStreamGiveOneSuccessAndOneWrongVersion) {
  auto first = connect_app();
  begin_append(*first, "person-per_1", 1, "per_1");
  // Blocked on the (stream, version) the open append holds.
  auto second = blocked_behind_open_append(
      {append("person-per_1", ExpectedVersion::no_stream(), {registered("per_1", "north")})});
  first->run("COMMIT");
  const auto result = second.get().at(0);
  ASSERT_TRUE(std::holds_alternative<persistence::WrongExpectedVersion>(result));
  EXPECT_EQ(std::get<persistence::WrongExpectedVersion>(result).actual, persistence::Version{1});
  pg::sequence(*app);
  EXPECT_EQ(pg::read_stream(*app, "person-per_1").size(), 1u);
}

TEST_F(PgEventLog, OneIdempotencyKeyClaimedTwiceAtOnceRecordsOnce) {
  auto with_key = [](const std::string& stream, const std::string& person) {
    auto request = append(stream, ExpectedVersion::no_stream(), {registered(person, "north")});
    request.claim = persistence::IdempotencyClaim{"nia", "key-1", "hash"};
    return request;
  };
  auto first = connect_app();
  begin_append(*first, "person-per_1", 1, "per_1");
  first->query(
      "INSERT INTO idempotency_keys (user_name, key, request_hash, stream_id, version) "
      "VALUES ('nia', 'key-1', 'hash', 'person-per_1', 1)");
  auto second = blocked_behind_open_append({with_key("person-per_2", "per_2")});  // on the key
  first->run("COMMIT");
  const auto result = second.get().at(0);
  ASSERT_TRUE(std::holds_alternative<persistence::IdempotentRepeat>(result));
  EXPECT_EQ(std::get<persistence::IdempotentRepeat>(result).first.stream_id, "person-per_1");
  pg::sequence(*app);
  EXPECT_EQ(pg::read_all(*app, 0, 100).size(), 1u);  // the second's event went with it
  // And a later repeat is found before anything is inserted.
  EXPECT_TRUE(std::holds_alternative<persistence::IdempotentRepeat>(
      pg::append(*app, with_key("person-per_3", "per_3"))));
}

TEST_F(PgEventLog, TheWriterCommitsAppendsFromManyThreadsTogetherEachAnsweredAsAlone) {
  pg::Writer writer(url_for_app());
  constexpr int threads = 8, each = 25;
  std::vector<std::future<std::vector<persistence::AppendResult>>> clients;
  for (int t = 0; t < threads; ++t) {
    clients.push_back(std::async(std::launch::async, [&, t] {
      std::vector<persistence::AppendResult> out;
      for (int i = 0; i < each; ++i) {
        const auto person = "per_" + std::to_string(t) + "_" + std::to_string(i);
        out.push_back(writer.append(append("person-" + person, ExpectedVersion::no_stream(),
                                           {registered(person, "north")})));
        // The same stream again, as if no one had written it: refused alone.
        out.push_back(writer.append(append("person-" + person, ExpectedVersion::no_stream(),
                                           {registered(person, "north")})));
      }
      return out;
    }));
  }
  std::set<std::int64_t> positions;
  for (auto& client : clients) {
    const auto results = client.get();
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (i % 2 == 1) {
        ASSERT_TRUE(std::holds_alternative<persistence::WrongExpectedVersion>(results[i]));
        continue;
      }
      ASSERT_TRUE(std::holds_alternative<persistence::Appended>(results[i]));
      positions.insert(std::get<persistence::Appended>(results[i]).records.at(0).position);
    }
  }
  // Every append has its own position, the log has no gap, and it reads back in that order.
  ASSERT_EQ(positions.size(), std::size_t{threads * each});
  EXPECT_EQ(*positions.begin(), 1);
  EXPECT_EQ(*positions.rbegin(), threads * each);
  const auto log = pg::read_all(*app, 0, 1000);
  ASSERT_EQ(log.size(), std::size_t{threads * each});
  for (std::size_t i = 1; i < log.size(); ++i)
    EXPECT_LE(log[i - 1].recorded_at, log[i].recorded_at);
}

TEST_F(PgEventLog, TheWriterConnectsAgainAfterItsConnectionIsLost) {
  pg::Writer writer(url_for_app());
  auto one = [&](const std::string& person) {
    return writer.append(
        append("person-" + person, ExpectedVersion::no_stream(), {registered(person, "north")}));
  };
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(one("per_1")));
  // The server ends the writer's connection, as a restart would.
  const auto ended = app->query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
      "AND pid <> pg_backend_pid() AND usename = current_user");
  ASSERT_EQ(ended.rows(), 1);
  // The writer finds its connection closed before the next batch and connects again, unless
  // the close has not reached it yet: then that batch fails on the lost connection, and is
  // never answered as appended.
  bool second_kept = false;
  try {
    second_kept = std::holds_alternative<persistence::Appended>(one("per_2"));
  } catch (const pg::Error&) {
  }
  const auto after = one("per_3");  // by then on a new connection in either case
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(after));
  EXPECT_EQ(std::get<persistence::Appended>(after).records.at(0).position, second_kept ? 3 : 2);
  EXPECT_EQ(pg::read_all(*app, 0, 100).size(), second_kept ? 3u : 2u);
}

TEST_F(PgEventLog, AnAppendRefusedInABatchLeavesTheOthersOfItsTransaction) {
  std::vector<persistence::AppendRequest> batch;
  batch.push_back(
      append("person-per_1", ExpectedVersion::no_stream(), {registered("per_1", "north")}));
  batch.push_back(
      append("person-per_1", ExpectedVersion::no_stream(), {registered("per_1", "north")}));
  batch.push_back(append("person-per_2", ExpectedVersion::exact(persistence::Version{3}),
                         {registered("per_2", "north")}));
  batch.push_back(append("person-per_3", ExpectedVersion::any(), {registered("per_3", "north")}));
  const auto results = pg::append_all(*app, batch);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<persistence::Appended>(results[0]));
  EXPECT_TRUE(std::holds_alternative<persistence::WrongExpectedVersion>(results[1]));
  EXPECT_TRUE(std::holds_alternative<persistence::WrongExpectedVersion>(results[2]));
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(results[3]));
  EXPECT_EQ(std::get<persistence::Appended>(results[3]).records.at(0).position, 2);
  const auto log = pg::read_all(*app, 0, 100);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].stream_id, "person-per_3");
}

TEST_F(PgEventLog, ABatchRacedByAnotherInstanceAnswersEachAppendOnItsOwn) {
  // Another instance is committing version 1 of per_1's stream, and a claim of key-1.
  auto other = connect_app();
  begin_append(*other, "person-per_1", 1, "per_1");
  other->query(
      "INSERT INTO idempotency_keys (user_name, key, request_hash, stream_id, version) "
      "VALUES ('nia', 'key-1', 'hash', 'person-per_1', 1)");
  auto keyed = [](std::string stream, std::string person, std::string key) {
    auto request = append(std::move(stream), ExpectedVersion::no_stream(),
                          {registered(std::move(person), "north")});
    request.claim = persistence::IdempotencyClaim{"nia", std::move(key), "hash"};
    return request;
  };
  std::vector<persistence::AppendRequest> batch;
  batch.push_back(
      append("person-per_1", ExpectedVersion::no_stream(), {registered("per_1", "north")}));
  batch.push_back(
      append("person-per_2", ExpectedVersion::no_stream(), {registered("per_2", "north")}));
  batch.push_back(keyed("person-per_3", "per_3", "key-1"));
  batch.push_back(keyed("person-per_4", "per_4", "key-2"));
  batch.push_back(keyed("person-per_5", "per_5", "key-2"));  // the same key again in the batch
  auto results = blocked_behind_open_append(batch);
  other->run("COMMIT");
  const auto answered = results.get();
  ASSERT_EQ(answered.size(), 5u);
  ASSERT_TRUE(std::holds_alternative<persistence::WrongExpectedVersion>(answered[0]));
  EXPECT_EQ(std::get<persistence::WrongExpectedVersion>(answered[0]).actual,
            persistence::Version{1});
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(answered[1]));
  ASSERT_TRUE(std::holds_alternative<persistence::IdempotentRepeat>(answered[2]));
  EXPECT_EQ(std::get<persistence::IdempotentRepeat>(answered[2]).first.stream_id, "person-per_1");
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(answered[3]));
  ASSERT_TRUE(std::holds_alternative<persistence::IdempotentRepeat>(answered[4]));
  EXPECT_EQ(std::get<persistence::IdempotentRepeat>(answered[4]).first.stream_id, "person-per_4");
  // The log: the other instance's event, then per_2's and per_4's, each where its answer says.
  const auto log = pg::read_all(*app, 0, 100);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].stream_id, "person-per_1");
  EXPECT_EQ(log[1].stream_id, "person-per_2");
  EXPECT_EQ(std::get<persistence::Appended>(answered[1]).records.at(0).position, log[1].position);
  EXPECT_EQ(log[2].stream_id, "person-per_4");
  EXPECT_EQ(std::get<persistence::Appended>(answered[3]).records.at(0).position, log[2].position);
}

TEST_F(PgEventLog, TextOfAnyKindGoesInAndComesBackAsItWas) {
  auto event = registered("per_q", "north");
  auto& person = std::get<domain::PersonRegistered>(event.event);
  person.given_name = R"(Zoë "Z" O'Neil \ NULL {a,b})";
  person.family_name = "NULL";
  auto request = append("person-per_q", ExpectedVersion::no_stream(), {event});
  request.origin = R"({"import_id": "imp_1", "line": 7})";
  std::vector<persistence::AppendRequest> batch{request};
  ASSERT_TRUE(std::holds_alternative<persistence::Appended>(pg::append_all(*app, batch).at(0)));
  const auto stream = pg::read_stream(*app, "person-per_q");
  ASSERT_EQ(stream.size(), 1u);
  const auto& back = std::get<domain::PersonRegistered>(stream[0].event);
  EXPECT_EQ(back.given_name, person.given_name);
  EXPECT_EQ(back.family_name, "NULL");
  EXPECT_EQ(stream[0].origin, request.origin);
  EXPECT_FALSE(stream[0].person_id->str().empty());
}

}  // namespace
}  // namespace careledger::testing
