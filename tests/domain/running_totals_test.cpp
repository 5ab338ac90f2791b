#include "domain/running_totals.hpp"

#include <gtest/gtest.h>

namespace careledger::domain {
namespace {

Date day(const char* text) {
  return parse_date(text).value();
}

EpisodeFact long_term(const char* from, std::optional<const char*> until = std::nullopt) {
  EpisodeFact e;
  e.kind = SupportKind::long_term;
  e.started_on = day(from);
  if (until) e.ended_on = day(*until);
  return e;
}

// The spells of one counter in a person's contributions.
std::vector<std::pair<std::string, std::string>> spells(const Contributions& all, Counter counter) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [c, times] : all) {
    if (c.counter == counter)
      out.emplace_back(format_date(c.from), c.until ? format_date(*c.until) : "open");
  }
  return out;
}

TEST(SupportContributions, TheReviewDenominatorCountsAPersonFromTwelveMonthsIntoTheirSupport) {
  const auto c = support_contributions(day("1950-01-01"), {long_term("2022-02-28")}, {});
  using Spells = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(spells(c, Counter::long_term_clients), (Spells{{"2022-02-28", "open"}}));
  // 2023-02-28 - 12 months = 2022-02-28: counted from that day on (reading 3).
  EXPECT_EQ(spells(c, Counter::reviews_denominator), (Spells{{"2023-02-28", "open"}}));
  // Never reviewed: due on the chain's start + 12 months, overdue from the day after.
  EXPECT_EQ(spells(c, Counter::overdue), (Spells{{"2023-03-01", "open"}}));
}

TEST(SupportContributions, AGapOfAWeekKeepsSupportContinuousAndALongerOneStartsAgain) {
  using Spells = std::vector<std::pair<std::string, std::string>>;
  const auto week = support_contributions(
      day("1950-01-01"), {long_term("2022-01-01", "2022-06-01"), long_term("2022-06-08")}, {});
  EXPECT_EQ(spells(week, Counter::reviews_denominator), (Spells{{"2023-01-01", "open"}}));
  const auto eight_days = support_contributions(
      day("1950-01-01"), {long_term("2022-01-01", "2022-06-01"), long_term("2022-06-09")}, {});
  EXPECT_EQ(spells(eight_days, Counter::reviews_denominator), (Spells{{"2023-06-09", "open"}}));
  // Not in support during the gap itself.
  EXPECT_EQ(spells(week, Counter::long_term_clients),
            (Spells{{"2022-01-01", "2022-06-01"}, {"2022-06-08", "open"}}));
}

TEST(SupportContributions, AReviewMovesTheDueDateOnAndKeysTheReviewedSpell) {
  const auto c =
      support_contributions(day("1950-01-01"), {long_term("2020-01-01")}, {day("2021-05-10")});
  using Spells = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(spells(c, Counter::overdue),
            (Spells{{"2021-01-02", "2021-05-10"}, {"2022-05-11", "open"}}));
  ASSERT_EQ(spells(c, Counter::reviewed_since), (Spells{{"2021-05-10", "open"}}));
  for (const auto& [contribution, times] : c) {
    if (contribution.counter == Counter::reviewed_since) {
      EXPECT_EQ(contribution.key, day_number(day("2021-05-10")));
    }
  }
}

TEST(Steps, OnlyTheDifferenceIsStepped) {
  const Contribution open{Counter::overdue, 0, day("2024-01-01"), std::nullopt};
  const Contribution closed{Counter::overdue, 0, day("2024-01-01"), day("2024-03-01")};
  EXPECT_TRUE(steps_between({{open, 1}}, {{open, 1}}).empty());
  // Closing a spell takes it back from its end on.
  const auto steps = steps_between({{open, 1}}, {{closed, 1}});
  std::int64_t on_first = 0, from_march = 0;
  for (const auto& s : steps) {
    if (s.day == day("2024-01-01")) on_first += s.delta;
    if (s.day == day("2024-03-01")) from_march += s.delta;
  }
  EXPECT_EQ(on_first, 0);
  EXPECT_EQ(from_march, -1);
}

}  // namespace
}  // namespace careledger::domain
