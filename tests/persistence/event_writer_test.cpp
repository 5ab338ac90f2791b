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

}  // namespace
}  // namespace careledger::persistence
