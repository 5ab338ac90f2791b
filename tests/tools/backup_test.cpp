// `careledger backup`: a consistent copy taken while writes go on, which verify then passes.
#include <sys/stat.h>

#include <atomic>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "tests/persistence/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/admin.hpp"
#include "tools/verify.hpp"

namespace careledger::tools {
namespace {

using namespace careledger::testing;

TEST(Backup, ACopyTakenWhileWritesGoOnIsWholeAndPassesVerify) {
  TempDir dir;
  const auto source = dir.file("live.db"), copy = dir.file("copy.db");
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  persistence::EventWriter writer(source);
  std::thread appender([&] {
    for (int i = 0; !stop; ++i) {
      const std::string person = "per_" + std::to_string(i);
      writer.append(append("person-" + person, persistence::ExpectedVersion::no_stream(),
                           {registered(person, "north")}));
      ++written;
    }
  });
  while (written < 200) std::this_thread::yield();  // a log to copy, still growing
  std::ostringstream out;
  backup(source, copy, out);
  const int at_backup = written;
  stop = true;
  appender.join();

  EXPECT_EQ(out.str().rfind("backed up ", 0), 0u) << out.str();
  std::ostringstream verified;
  EXPECT_TRUE(verify(VerifyOptions{copy, std::nullopt}, verified)) << verified.str();
  auto db = persistence::open_reader(copy);
  const auto events = persistence::event_count(*db);
  EXPECT_GE(events, 200);
  EXPECT_LE(events, at_backup + 1);  // a snapshot: what was committed when it was taken
  struct stat s {};
  ASSERT_EQ(::stat(copy.c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace careledger::tools
