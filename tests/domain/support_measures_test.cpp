// MEASURES.md "Reviews" and the ASCOF measures, on cases worked by hand.
#include "domain/support_measures.hpp"

#include <gtest/gtest.h>

namespace careledger::domain {
namespace {

Date d(const char* text) {
  return parse_date(text).value();
}
std::optional<Date> od(const char* text) {
  return d(text);
}

// A control: one episode of a person born 1950 in team north unless said otherwise.
EpisodeFact lts(const char* person, const char* start, std::optional<Date> end = std::nullopt,
                Setting setting = Setting::community,
                Delivery delivery = Delivery::council_arranged, const char* born = "1950-01-01") {
  return EpisodeFact{PersonId{person}, Team{"north"}, d(born),  SupportKind::long_term,
                     setting,          delivery,      d(start), end,
                     std::nullopt,     std::nullopt};
}
EpisodeFact short_term(const char* person, const char* start, const char* end, Sequel sequel) {
  return EpisodeFact{PersonId{person},
                     Team{"north"},
                     d("1950-01-01"),
                     SupportKind::short_term,
                     Setting::community,
                     Delivery::council_arranged,
                     d(start),
                     od(end),
                     sequel,
                     std::nullopt};
}

// Financial year 2023-24.
const Date fy_from = d("2023-04-01");
const Date fy_to = d("2024-03-31");

TEST(Continuity, ExactlyTwelveMonthsOfSupportCounts) {
  auto people = group_by_person({lts("a", "2023-03-31"), lts("b", "2023-04-01")}, {});
  EXPECT_EQ(long_term_reviewed(people, fy_from, fy_to), (Ratio{0, 1}));  // only a
}

TEST(Continuity, TwelveMonthsBeforeTheTwentyNinthOfFebruaryIsTheTwentyEighth) {
  // Year to date ending 29 February 2024: 12 months before is 28 February 2023.
  auto people = group_by_person({lts("a", "2023-02-28"), lts("b", "2023-03-01")}, {});
  EXPECT_EQ(long_term_reviewed(people, fy_from, d("2024-02-29")), (Ratio{0, 1}));
}

TEST(Continuity, AGapOfSevenDaysKeepsTheChainAndEightBreaksIt) {
  auto people = group_by_person(
      {
          lts("seven", "2022-01-01", od("2023-06-01")),
          lts("seven", "2023-06-08"),  // 8 June - 1 June = 7
          lts("eight", "2022-01-01", od("2023-06-01")),
          lts("eight", "2023-06-09"),  // 8 days: a new chain from 9 June 2023
      },
      {});
  EXPECT_EQ(chain_start_on(people.at(PersonId{"seven"}).long_term, fy_to), d("2022-01-01"));
  EXPECT_EQ(chain_start_on(people.at(PersonId{"eight"}).long_term, fy_to), d("2023-06-09"));
  EXPECT_EQ(long_term_reviewed(people, fy_from, fy_to), (Ratio{0, 1}));
}

TEST(Continuity, OverlappingEpisodesChainAndAnEndedChainIsNotSupport) {
  std::vector<EpisodeFact> episodes{lts("a", "2022-01-01", od("2023-01-10")),
                                    lts("a", "2022-06-01", od("2023-05-01"))};
  EXPECT_EQ(chain_start_on(episodes, d("2023-04-30")), d("2022-01-01"));
  EXPECT_FALSE(chain_start_on(episodes, d("2023-05-01")));  // ended that day
}

TEST(ReviewRate, APersonTurning18InsideThePeriodCountsAndOneStill17DoesNot) {
  auto people = group_by_person(
      {
          lts("turns18", "2022-01-01", std::nullopt, Setting::community, Delivery::council_arranged,
              "2005-10-01"),  // 18 on 1 October 2023
          lts("still17", "2022-01-01", std::nullopt, Setting::community, Delivery::council_arranged,
              "2006-04-01"),  // 18 on 1 April 2024
      },
      {});
  EXPECT_EQ(long_term_reviewed(people, fy_from, fy_to), (Ratio{0, 1}));
}

TEST(ReviewRate, AReviewOnTheLastDayOfThePeriodCounts) {
  auto people =
      group_by_person({lts("a", "2020-01-01"), lts("b", "2020-01-01"), lts("c", "2020-01-01")},
                      {{PersonId{"a"}, d("2024-03-31")},
                       {PersonId{"b"}, d("2023-03-31")},    // the year before
                       {PersonId{"c"}, d("2023-04-01")}});  // the first day
  EXPECT_EQ(long_term_reviewed(people, fy_from, fy_to), (Ratio{2, 3}));
}

TEST(ReviewRate, OverAnyPeriodTheDenominatorIsAsAtItsEnd) {
  auto people = group_by_person({lts("a", "2020-01-01")}, {{PersonId{"a"}, d("2024-01-15")}});
  EXPECT_EQ(long_term_reviewed(people, d("2024-01-01"), d("2024-01-31")), (Ratio{1, 1}));
  EXPECT_EQ(long_term_reviewed(people, d("2024-02-01"), d("2024-02-29")), (Ratio{0, 1}));
}

TEST(Overdue, DueTwelveMonthsAfterTheLastReviewAndOverdueFromTheDayAfter) {
  auto people = group_by_person({lts("a", "2020-01-01")}, {{PersonId{"a"}, d("2023-03-31")}});
  EXPECT_TRUE(overdue_reviews(people, d("2024-03-31")).empty());  // due that day: not yet
  auto items = overdue_reviews(people, d("2024-04-10"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_on, d("2024-03-31"));
  EXPECT_EQ(items[0].days_overdue, 10);
  EXPECT_EQ(items[0].last_reviewed_on, d("2023-03-31"));
  EXPECT_FALSE(items[0].over_three_years);
}

TEST(Overdue, NeverReviewedCountsFromTheStartOfTheChain) {
  auto people =
      group_by_person({lts("a", "2022-01-01", od("2022-05-01")), lts("a", "2022-05-05")}, {});
  auto items = overdue_reviews(people, d("2023-01-31"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_on, d("2023-01-01"));
  EXPECT_EQ(items[0].days_overdue, 30);
  EXPECT_FALSE(items[0].last_reviewed_on);
}

TEST(Overdue, OverThreeYearsWhenTheDayIsAfterThirtySixMonths) {
  auto people = group_by_person({lts("a", "2021-03-31"), lts("b", "2021-03-30")}, {});
  auto items = overdue_reviews(people, d("2024-03-31"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].person_id, PersonId{"b"});  // most overdue first
  EXPECT_TRUE(items[0].over_three_years);
  EXPECT_FALSE(items[1].over_three_years);  // exactly 36 months: not after
}

TEST(Overdue, PeopleNotInSupportAreNeverOverdue) {
  auto people = group_by_person({lts("a", "2015-01-01", od("2020-01-01"))}, {});
  EXPECT_TRUE(overdue_reviews(people, d("2024-03-31")).empty());
}

TEST(Ascof2a, NewClientsAreThoseNotInLongTermSupportOnTheFirstDay) {
  auto people = group_by_person(
      {
          // a: long-term support ended 31 May; short-term from 1 June is a new client's.
          lts("a", "2022-01-01", od("2023-05-31")),
          short_term("a", "2023-06-01", "2023-07-01", Sequel::no_ongoing_support),
          // b: short-term starting the day long-term support ended: over that day, so new.
          lts("b", "2022-01-01", od("2023-06-01")),
          short_term("b", "2023-06-01", "2023-07-01", Sequel::long_term_support),
          // c: in long-term support when short-term started: not a new client.
          lts("c", "2022-01-01"),
          short_term("c", "2023-06-01", "2023-07-01", Sequel::no_ongoing_support),
          // d: ended after the period: not counted.
          short_term("d", "2024-03-01", "2024-04-01", Sequel::other),
      },
      {});
  EXPECT_EQ(ascof_2a(people, fy_from, fy_to), (Ratio{1, 2}));
}

// CLD.md §4: reading 10 counts ST-Max (short-term support recorded as such, or of no recorded
// type), not ongoing low-level or other short-term support.
TEST(Ascof2a, OnlyStMaxCounts) {
  auto low_level = short_term("b", "2023-06-01", "2023-07-01", Sequel::no_ongoing_support);
  low_level.short_term_type = ShortTermType::ongoing_low_level;
  auto other = short_term("c", "2023-06-01", "2023-07-01", Sequel::no_ongoing_support);
  other.short_term_type = ShortTermType::other_short_term;
  auto recorded = short_term("d", "2023-06-01", "2023-07-01", Sequel::long_term_support);
  recorded.short_term_type = ShortTermType::st_max;
  auto people =
      group_by_person({short_term("a", "2023-06-01", "2023-07-01", Sequel::no_ongoing_support),
                       low_level, other, recorded},
                      {});
  EXPECT_EQ(ascof_2a(people, fy_from, fy_to), (Ratio{1, 2}));
}

TEST(Admissions, AMoveFromResidentialToNursingCareIsNotAnAdmission) {
  auto people = group_by_person(
      {
          lts("a", "2023-05-01", od("2023-09-01"), Setting::residential),  // admission, 73
          lts("a", "2023-09-01", std::nullopt, Setting::nursing),          // a move
          lts("b", "2023-06-01", std::nullopt, Setting::nursing, Delivery::council_arranged,
              "1959-06-02"),                                           // 63 on admission: 18-64
          lts("c", "2023-06-01", std::nullopt, Setting::community),    // not a care home
          lts("d", "2023-03-31", std::nullopt, Setting::residential),  // before the period
      },
      {});
  auto counted = admissions(people, fy_from, fy_to);
  EXPECT_EQ(counted.age_65_plus, 1);
  EXPECT_EQ(counted.age_18_64, 1);
}

TEST(Ascof2bc, PerHundredThousandOfTheConfiguredPopulation) {
  SupportFigures f;
  f.admissions = {27, 340};
  auto measures = ascof_measures(f, Population{100000, 50000}, false);
  EXPECT_EQ(measures[1].id, "ascof.2b");
  EXPECT_DOUBLE_EQ(*measures[1].value, 27.0);
  EXPECT_DOUBLE_EQ(*measures[1].denominator, 100000.0);
  EXPECT_DOUBLE_EQ(*measures[2].value, 680.0);
  EXPECT_EQ(measures[2].unit, Unit::per_100000);
}

TEST(Ascof2bc, WithoutAPopulationTheValueIsNullAndTheDetailNamesIt) {
  SupportFigures f;
  f.admissions = {3, 4};
  auto measures = ascof_measures(f, Population{std::nullopt, 50000}, false);
  EXPECT_FALSE(measures[1].value);
  EXPECT_NE(measures[1].detail->find("18-64"), std::string::npos);
  EXPECT_DOUBLE_EQ(*measures[1].numerator, 3.0);
  EXPECT_TRUE(measures[2].value);
}

TEST(Ascof2bc, ATeamHasAdmissionsButNoRate) {
  SupportFigures f;
  f.admissions = {3, 4};
  auto measures = ascof_measures(f, Population{100000, 50000}, true);
  EXPECT_FALSE(measures[1].value);
  EXPECT_FALSE(measures[1].denominator);
  EXPECT_DOUBLE_EQ(*measures[2].numerator, 4.0);
}

TEST(Ascof3d, SharesOfAdultsInCommunitySupportOnTheDay) {
  auto people = group_by_person(
      {
          lts("dp", "2020-01-01", std::nullopt, Setting::community, Delivery::direct_payment),
          lts("mpb", "2020-01-01", std::nullopt, Setting::community,
              Delivery::managed_personal_budget),
          lts("council", "2020-01-01", std::nullopt, Setting::community,
              Delivery::council_arranged),
          lts("home", "2020-01-01", std::nullopt, Setting::residential, Delivery::direct_payment),
          lts("ended", "2020-01-01", od("2024-03-31"), Setting::community,
              Delivery::direct_payment),
          lts("young", "2020-01-01", std::nullopt, Setting::community, Delivery::direct_payment,
              "2006-04-01"),
      },
      {});
  auto sds = self_directed_support(people, fy_to);
  EXPECT_EQ(sds.people, 3);
  EXPECT_EQ(sds.self_directed, 2);
  EXPECT_EQ(sds.direct_payment, 1);
  auto measures = ascof_measures(SupportFigures{{}, 0, 0, {}, {}, sds}, {}, false);
  EXPECT_EQ(measures[3].id, "ascof.3d");
  EXPECT_DOUBLE_EQ(*measures[3].value, 3.0);
  EXPECT_EQ(measures[4].id, "ascof.3d.part_1a");
  EXPECT_DOUBLE_EQ(*measures[4].value, 200.0 / 3.0);
  EXPECT_DOUBLE_EQ(*measures[5].value, 100.0 / 3.0);
}

}  // namespace
}  // namespace careledger::domain
