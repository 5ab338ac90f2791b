#include "domain/assessment_measures.hpp"

#include <gtest/gtest.h>

namespace careledger::domain {
namespace {

Date d(const char* text) {
  return parse_date(text).value();
}

TEST(WaitingSpells, ARequestWaitsFromItsDayShowingTheAllocationOfEachDay) {
  using Spells = std::vector<WaitingSpell>;
  EXPECT_EQ(waiting_spells(d("2024-03-01"), std::nullopt, {}),
            (Spells{{d("2024-03-01"), std::nullopt, std::nullopt}}));
  // Allocated before it was asked for, then twice on one day (the later recorded is shown),
  // and once after it stopped waiting (never shown).
  const std::vector<AllocationFact> allocations{{d("2024-02-20"), "Sam"},
                                                {d("2024-03-10"), "Kim"},
                                                {d("2024-03-10"), "Ash"},
                                                {d("2024-04-02"), "Lee"}};
  EXPECT_EQ(waiting_spells(d("2024-03-01"), d("2024-04-01"), allocations),
            (Spells{{d("2024-03-01"), d("2024-03-10"), "Sam"},
                    {d("2024-03-10"), d("2024-04-01"), "Ash"}}));
  // Allocated to the one already shown: no new spell.
  EXPECT_EQ(waiting_spells(d("2024-03-01"), std::nullopt,
                           {{d("2024-03-05"), "Sam"}, {d("2024-03-09"), "Sam"}}),
            (Spells{{d("2024-03-01"), d("2024-03-05"), std::nullopt},
                    {d("2024-03-05"), std::nullopt, "Sam"}}));
  // Stopped the day it was asked for: never on the list.
  EXPECT_TRUE(waiting_spells(d("2024-03-01"), d("2024-03-01"), allocations).empty());
}

TEST(CompletionStats, OddCountMedianIsTheMiddleAndP90IsNearestRank) {
  // Sorted: 10 20 30 40 100. Mean 200/5 = 40. Median the 3rd = 30. P90: ceil(4.5) = 5th = 100.
  auto stats = completion_stats({40, 10, 100, 30, 20});
  EXPECT_EQ(stats.count, 5);
  EXPECT_DOUBLE_EQ(*stats.mean, 40.0);
  EXPECT_DOUBLE_EQ(*stats.median, 30.0);
  EXPECT_DOUBLE_EQ(*stats.p90, 100.0);
}

TEST(CompletionStats, EvenCountMedianIsTheMeanOfTheTwoMiddle) {
  // Sorted: 1 2 3 10. Mean 4. Median (2+3)/2 = 2.5. P90: ceil(3.6) = 4th = 10.
  auto stats = completion_stats({10, 3, 1, 2});
  EXPECT_DOUBLE_EQ(*stats.mean, 4.0);
  EXPECT_DOUBLE_EQ(*stats.median, 2.5);
  EXPECT_DOUBLE_EQ(*stats.p90, 10.0);
}

TEST(CompletionStats, TenValuesP90IsTheNinth) {
  // ceil(0.9 * 10) = 9: the 9th smallest, not an interpolation.
  auto stats = completion_stats({1, 2, 3, 4, 5, 6, 7, 8, 9, 50});
  EXPECT_DOUBLE_EQ(*stats.p90, 9.0);
}

TEST(CompletionStats, NoCompletionsGiveNoValue) {
  auto stats = completion_stats({});
  EXPECT_EQ(stats.count, 0);
  EXPECT_FALSE(stats.mean);
  EXPECT_FALSE(stats.median);
  EXPECT_FALSE(stats.p90);
}

TEST(WaitBand, BoundariesFallInTheHigherBand) {
  EXPECT_EQ(wait_band(0), 0u);
  EXPECT_EQ(wait_band(27), 0u);
  EXPECT_EQ(wait_band(28), 1u);
  EXPECT_EQ(wait_band(89), 1u);
  EXPECT_EQ(wait_band(90), 2u);
  EXPECT_EQ(wait_band(179), 2u);
  EXPECT_EQ(wait_band(180), 3u);
  EXPECT_EQ(wait_band(364), 3u);
  EXPECT_EQ(wait_band(365), 4u);
}

TEST(SummariseWaiting, EachPersonCountsOnceUnderTheirEarliestOpenRequest) {
  const Date as_at = d("2024-03-31");
  std::vector<OpenRequest> open{
      {PersonId{"a"}, d("2024-03-30"), Priority::urgent},  // a: 1 day
      {PersonId{"a"}, d("2023-03-01"), Priority::low},     // a: 396 days -> counts here
      {PersonId{"b"}, d("2024-01-01"), Priority::medium},  // b: 90 days
  };
  auto summary = summarise_waiting(open, as_at);
  EXPECT_EQ(summary.people, 2);
  EXPECT_EQ(summary.by_band, (std::array<long long, 5>{0, 0, 1, 0, 1}));
  EXPECT_EQ(summary.by_priority, (std::array<long long, 4>{0, 0, 1, 1}));
}

TEST(SummariseWaiting, TwoRequestsOnTheSameDayCountUnderTheHigherPriority) {
  std::vector<OpenRequest> open{
      {PersonId{"a"}, d("2024-03-01"), Priority::low},
      {PersonId{"a"}, d("2024-03-01"), Priority::high},
  };
  auto summary = summarise_waiting(open, d("2024-03-31"));
  EXPECT_EQ(summary.by_priority, (std::array<long long, 4>{0, 1, 0, 0}));
}

TEST(AssessmentMeasures, ListsEveryIdWithItsPartsAfterIt) {
  auto measures = assessment_measures(AssessmentFigures{});
  std::vector<std::string> ids;
  for (const auto& m : measures) ids.push_back(m.id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "assessments.waiting_list",
                     "assessments.waiting_list_by_wait",
                     "assessments.waiting_list_by_wait.days_0_27",
                     "assessments.waiting_list_by_wait.days_28_89",
                     "assessments.waiting_list_by_wait.days_90_179",
                     "assessments.waiting_list_by_wait.days_180_364",
                     "assessments.waiting_list_by_wait.days_365_plus",
                     "assessments.waiting_list_by_wait.urgent",
                     "assessments.waiting_list_by_wait.high",
                     "assessments.waiting_list_by_wait.medium",
                     "assessments.waiting_list_by_wait.low",
                     "assessments.average_days_to_complete",
                     "assessments.average_days_to_complete.median",
                     "assessments.average_days_to_complete.p90",
                     "assessments.completed",
                     "assessments.requested",
                 }));
  EXPECT_FALSE(measures[11].value);  // no completions: null, not 0
}

}  // namespace
}  // namespace careledger::domain
