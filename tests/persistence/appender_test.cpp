// The writer of either engine (open_appender: EventWriter on SQLite, pg::Writer on PostgreSQL,
// and pg::Writers, an instance's several writers, on PostgreSQL), held to the same guarantees: what
// it acknowledges is visible at once elsewhere, versions and positions are never shared, an
// Idempotency-Key records once, appends given together are answered each on its own, and a failing
// append leaves no trace.
#include <atomic>
#include <memory>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/projections.hpp"
#include "tests/persistence/both_engines.hpp"
#include "tests/persistence/store_fixtures.hpp"

namespace careledger::persistence {
namespace {

using namespace careledger::testing;

// The engine, and the writers of the instance (open_appender's `writers`).
struct Writing {
  Engine engine;
  std::size_t writers;
};
void PrintTo(const Writing& writing, std::ostream* out) {
  PrintTo(writing.engine, out);
  *out << " with " << writing.writers << " writer(s)";
}

class Appenders : public ::testing::TestWithParam<Writing> {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(store_ = std::make_unique<EmptyStore>(GetParam().engine));
  }
  const std::string& url() const { return store_->url(); }
  std::unique_ptr<Appender> open_appender(Projector projector = default_projector) const {
    return persistence::open_appender(url(), std::move(projector), utc_now_rfc3339,
                                      GetParam().writers);
  }

 private:
  std::unique_ptr<EmptyStore> store_;
};

INSTANTIATE_TEST_SUITE_P(BothEngines, Appenders,
                         ::testing::Values(Writing{Engine::sqlite, 1},
                                           Writing{Engine::postgresql, 1},
                                           Writing{Engine::postgresql, 3}),
                         [](const ::testing::TestParamInfo<Writing>& writing) {
                           if (writing.param.engine == Engine::sqlite) return std::string("sqlite");
                           return "postgresql_" + std::to_string(writing.param.writers) +
                                  "_writers";
                         });

TEST_P(Appenders, AnAcknowledgedAppendIsVisibleToAnotherConnection) {
  auto writer_ = open_appender();
  Appender& writer = *writer_;
  auto result =
      writer.append(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  ASSERT_TRUE(std::holds_alternative<Appended>(result));
  auto reader = open_reader(url());
  EXPECT_EQ(read_stream(*reader, "person-p1").size(), 1u);
}

TEST_P(Appenders, ConcurrentWritersToOneStreamNeverShareAVersion) {
  auto writer_ = open_appender();
  Appender& writer = *writer_;
  writer.append(append("assessment-a1", ExpectedVersion::no_stream(),
                       {requested("a1", "p1", "north", "2024-03-01")}));
  constexpr int threads = 8;
  constexpr int rounds = 20;
  std::atomic<int> appended{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto reader = open_reader(url());
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
  auto reader = open_reader(url());
  auto events = read_stream(*reader, "assessment-a1");
  ASSERT_EQ(static_cast<int>(events.size()), 1 + appended.load());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].version, Version{static_cast<std::int64_t>(i + 1)});
  }
}

TEST_P(Appenders, ConcurrentAppendsToManyStreamsAllLandWithDistinctPositions) {
  auto writer_ = open_appender();
  Appender& writer = *writer_;
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
  auto reader = open_reader(url());
  auto all = read_all(*reader, 0, 10000);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
  std::set<std::int64_t> positions;
  for (const auto& e : all) positions.insert(e.position);
  EXPECT_EQ(positions.size(), all.size());
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM rm_people").getInt(), threads * per_thread);
}

TEST_P(Appenders, ConcurrentRepeatsOfOneIdempotentRequestRecordItOnce) {
  auto writer_ = open_appender();
  Appender& writer = *writer_;
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
  auto reader = open_reader(url());
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM events").getInt(), 1);
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM rm_people").getInt(), 1);
}

TEST_P(Appenders, AppendsGivenTogetherAreRecordedInOrderEachAnsweredAndShareACommit) {
  auto writer_ = open_appender();
  Appender& writer = *writer_;
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
  if (auto* sqlite_writer = dynamic_cast<EventWriter*>(&writer)) {
    EXPECT_EQ(sqlite_writer->commits(), 1u);
  }
  auto reader = open_reader(url());
  EXPECT_EQ(event_count(*reader), 3);
}

TEST_P(Appenders, AFailingAppendLeavesNoTraceAndDoesNotFailTheOthers) {
  // A projection that fails for one person's events only.
  auto writer_ =
      open_appender([](persistence::Connection& db, const EventRecord& record, Recount& recount) {
        if (record.person_id == domain::PersonId{"bad"})
          throw std::runtime_error("projection failed");
        project(db, record, recount);
      });
  Appender& writer = *writer_;
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
  auto reader = open_reader(url());
  EXPECT_EQ(read_all(*reader, 0, 100).size(), 2u);
  EXPECT_TRUE(read_stream(*reader, "person-bad").empty());
  EXPECT_EQ(reader->execAndGet("SELECT COUNT(*) FROM rm_people").getInt(), 2);
}

}  // namespace
}  // namespace careledger::persistence
