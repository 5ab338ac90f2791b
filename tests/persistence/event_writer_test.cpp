#include "persistence/event_writer.hpp"

#include <atomic>
#include <set>
#include <thread>

#include <date/date.h>
#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/projections.hpp"
#include "tests/persistence/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::persistence {
namespace {

using namespace careledger::testing;

TEST(RecordedAt, IsWrittenAsDateWouldWriteItToTheMillisecond) {
  using namespace std::chrono;
  using date::sys_days;
  const sys_time<milliseconds> moments[] = {
      sys_days{date::year{2026} / 12 / 2},
      sys_days{date::year{2024} / 2 / 29} + hours{23} + minutes{59} + seconds{59} +
          milliseconds{999},
      sys_days{date::year{1999} / 1 / 1} + hours{7} + minutes{5} + seconds{3} + milliseconds{40},
      sys_days{date::year{2030} / 10 / 31} + hours{12} + milliseconds{7},
  };
  for (const auto moment : moments) EXPECT_EQ(rfc3339(moment), date::format("%FT%TZ", moment));
  EXPECT_EQ(rfc3339(sys_days{date::year{2026} / 12 / 2} + hours{9} + milliseconds{5}),
            "2026-12-02T09:00:00.005Z");
}

TEST(EventWriter, AnAcknowledgedAppendIsVisibleToAnotherConnection) {
  TempDir dir;
  EventWriter writer(dir.file("w.db"));
  auto result =
      writer.append(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  ASSERT_TRUE(std::holds_alternative<Appended>(result));
  auto reader = open_reader(dir.file("w.db"));
  EXPECT_EQ(read_stream(*reader, "person-p1").size(), 1u);
}

TEST(EventWriter, AppendsGivenTogetherAreRecordedInOrderEachAnsweredAndShareACommit) {
  TempDir dir;
  EventWriter writer(dir.file("w.db"));
  std::vector<AppendRequest> requests;
  requests.push_back(
      append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  requests.push_back(
      append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "north")}));
  // Refused on its own: p1 exists by then. The others stand.
  requests.push_back(
      append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  requests.push_back(
      append("person-p3", ExpectedVersion::no_stream(), {registered("p3", "north")}));
  const auto results = writer.append_all(std::move(requests));
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<Appended>(results[0]));
  EXPECT_TRUE(std::holds_alternative<Appended>(results[1]));
  EXPECT_TRUE(std::holds_alternative<WrongExpectedVersion>(results[2]));
  EXPECT_TRUE(std::holds_alternative<Appended>(results[3]));
  EXPECT_LT(std::get<Appended>(results[0]).records[0].position,
            std::get<Appended>(results[3]).records[0].position);
  EXPECT_EQ(writer.commits(), 1u);
  auto reader = open_reader(dir.file("w.db"));
  EXPECT_EQ(event_count(*reader), 3);
}

TEST(EventWriter, ConcurrentWritersToOneStreamNeverShareAVersion) {
  TempDir dir;
  EventWriter writer(dir.file("w.db"));
  writer.append(append("assessment-a1", ExpectedVersion::no_stream(),
                       {requested("a1", "p1", "north", "2024-03-01")}));
  constexpr int threads = 8;
  constexpr int rounds = 20;
  std::atomic<int> appended{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto reader = open_reader(dir.file("w.db"));
      for (int i = 0; i < rounds; ++i) {
        const Version seen = stream_version(*reader, "assessment-a1");
        auto result = writer.append(append(
            "assessment-a1", ExpectedVersion::exact(seen),
            {then(domain::AssessmentAllocated{"worker" + std::to_string(t), day("2024-03-02")},
                  "p1", "north")}));
        if (std::holds_alternative<Appended>(result)) {
          ++appended;
        } else if (std::holds_alternative<WrongExpectedVersion>(result)) {
          ++conflicts;
        }
      }
    });
  }
  for (auto& thread : pool) thread.join();
  EXPECT_EQ(appended + conflicts, threads * rounds);
  auto reader = open_reader(dir.file("w.db"));
  auto events = read_stream(*reader, "assessment-a1");
  ASSERT_EQ(static_cast<int>(events.size()), 1 + appended.load());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].version, Version{static_cast<std::int64_t>(i + 1)});
  }
}

TEST(EventWriter, ConcurrentAppendsToManyStreamsAllLandWithDistinctPositions) {
  TempDir dir;
  EventWriter writer(dir.file("w.db"));
  constexpr int threads = 16;
  constexpr int per_thread = 25;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const std::string id = "p" + std::to_string(t) + "_" + std::to_string(i);
        writer.append(
            append("person-" + id, ExpectedVersion::no_stream(), {registered(id, "north")}));
      }
    });
  }
  for (auto& thread : pool) thread.join();
  auto reader = open_reader(dir.file("w.db"));
  auto all = read_all(*reader, 0, 10000);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
  std::set<std::int64_t> positions;
  for (const auto& e : all) positions.insert(e.position);
  EXPECT_EQ(positions.size(), all.size());
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM rm_people").getInt(), threads * per_thread);
}

TEST(EventWriter, AppendsThatArriveDuringACommitShareTheNextOne) {
  TempDir dir;
  constexpr int others = 40;
  EventWriter* self = nullptr;
  std::atomic<bool> holding{false};
  // The first append's projection holds the writer until every other append is queued.
  EventWriter writer(dir.file("w.db"),
                     [&](Connection& db, const EventRecord& record, Recount& recount) {
                       if (record.stream_id == "person-first") {
                         holding = true;
                         while (self->queued() < static_cast<std::size_t>(others))
                           std::this_thread::yield();
                       }
                       project(db, record, recount);
                     });
  self = &writer;
  std::thread first([&] {
    writer.append(
        append("person-first", ExpectedVersion::no_stream(), {registered("first", "north")}));
  });
  while (!holding) std::this_thread::yield();
  std::vector<std::thread> pool;
  for (int t = 0; t < others; ++t) {
    pool.emplace_back([&, t] {
      const std::string id = "p" + std::to_string(t);
      auto result = writer.append(
          append("person-" + id, ExpectedVersion::no_stream(), {registered(id, "north")}));
      EXPECT_TRUE(std::holds_alternative<Appended>(result));
    });
  }
  first.join();
  for (auto& thread : pool) thread.join();
  EXPECT_EQ(writer.events_appended(), static_cast<std::uint64_t>(others + 1));
  EXPECT_EQ(writer.commits(), 2u);  // the first alone, then the 40 together
}

TEST(EventWriter, ConcurrentRepeatsOfOneIdempotentRequestRecordItOnce) {
  TempDir dir;
  EventWriter writer(dir.file("w.db"));
  constexpr int threads = 16;
  std::atomic<int> appended{0};
  std::atomic<int> repeats{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      // Each attempt makes a new id, as a retried HTTP request would; the key is the same.
      const std::string id = "p" + std::to_string(t);
      auto request =
          append("person-" + id, ExpectedVersion::no_stream(), {registered(id, "north")});
      request.claim = IdempotencyClaim{"nia", "key-1", "hash-1"};
      auto result = writer.append(std::move(request));
      if (std::holds_alternative<Appended>(result)) ++appended;
      if (auto* repeat = std::get_if<IdempotentRepeat>(&result)) {
        ++repeats;
        EXPECT_EQ(repeat->first.version, Version{1});
      }
    });
  }
  for (auto& thread : pool) thread.join();
  EXPECT_EQ(appended.load(), 1);
  EXPECT_EQ(repeats.load(), threads - 1);
  auto reader = open_reader(dir.file("w.db"));
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM events").getInt(), 1);
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM rm_people").getInt(), 1);
}

TEST(BulkLoader, AFailingAppendFailsAloneAndTheRestIsCommitted) {
  TempDir dir;
  {
    BulkLoader writer(dir.file("w.db"),
                      [](Connection& db, const EventRecord& record, Recount& recount) {
                        if (record.person_id == domain::PersonId{"bad"})
                          throw std::runtime_error("refused");
                        project(db, record, recount);
                      });
    EXPECT_THROW(writer.append(append("person-bad", ExpectedVersion::no_stream(),
                                      {registered("bad", "north")})),
                 std::runtime_error);
    auto good = writer.append(
        append("person-good", ExpectedVersion::no_stream(), {registered("good", "north")}));
    EXPECT_TRUE(std::holds_alternative<Appended>(good));
    // Read through the loading connection before the commit: what was appended is there.
    EXPECT_EQ(read_stream(*writer.acquire(), "person-good").size(), 1u);
    writer.commit();
  }
  auto reader = open_reader(dir.file("w.db"));
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM events").getInt(), 1);
  EXPECT_EQ(read_stream(*reader, "person-good").size(), 1u);
  EXPECT_TRUE(read_stream(*reader, "person-bad").empty());
}

TEST(EventWriter, AFailingAppendLeavesNoTraceAndDoesNotFailTheOthers) {
  TempDir dir;
  // A projection that fails for one person's events only.
  EventWriter writer(dir.file("w.db"),
                     [](persistence::Connection& db, const EventRecord& record, Recount& recount) {
                       if (record.person_id == domain::PersonId{"bad"})
                         throw std::runtime_error("projection failed");
                       project(db, record, recount);
                     });
  std::vector<std::thread> pool;
  std::atomic<int> failures{0};
  for (const char* id : {"good1", "bad", "good2"}) {
    pool.emplace_back([&, id] {
      try {
        writer.append(append(std::string("person-") + id, ExpectedVersion::no_stream(),
                             {registered(id, "north")}));
      } catch (const std::runtime_error&) {
        ++failures;
      }
    });
  }
  for (auto& thread : pool) thread.join();
  EXPECT_EQ(failures, 1);
  auto reader = open_reader(dir.file("w.db"));
  EXPECT_EQ(read_all(*reader, 0, 100).size(), 2u);
  EXPECT_TRUE(read_stream(*reader, "person-bad").empty());
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM rm_people").getInt(), 2);
}

}  // namespace
}  // namespace careledger::persistence
