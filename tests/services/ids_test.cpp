// Ids and tokens: unguessable, never repeated, and ids start with the time they were made.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "services/access.hpp"

namespace careledger::services {
namespace {

TEST(NewId, IdsFromManyThreadsNeverRepeatAndKeepTheirShape) {
  constexpr int threads = 4;
  constexpr int per_thread = 5000;  // more than one pool of random bytes per thread
  std::vector<std::vector<std::string>> made(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&made, t] {
      for (int i = 0; i < per_thread; ++i) made[t].push_back(new_id("asm_"));
    });
  }
  for (auto& thread : pool) thread.join();
  std::set<std::string> all;
  for (const auto& ids : made) {
    for (const auto& id : ids) {
      ASSERT_EQ(id.size(), 4u + 28u) << id;
      ASSERT_EQ(id.substr(0, 4), "asm_");
      ASSERT_EQ(id.find_first_not_of("0123456789abcdef", 4), std::string::npos) << id;
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
}

TEST(NewId, AnIdMadeLaterSortsAfterOneMadeEarlierInAnotherMillisecond) {
  const auto first = new_id("per_");
  std::string later = new_id("per_");
  while (later.substr(0, 16) == first.substr(0, 16)) later = new_id("per_");  // next millisecond
  EXPECT_LT(first, later);
}

TEST(NewToken, TokensAre256RandomBitsAndNeverRepeat) {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) {
    const auto token = new_token();
    ASSERT_EQ(token.size(), 64u);
    tokens.insert(token);
  }
  EXPECT_EQ(tokens.size(), 1000u);
}

}  // namespace
}  // namespace careledger::services
