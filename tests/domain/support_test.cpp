#include "domain/support.hpp"

#include <gtest/gtest.h>

#include "tests/domain/controls.hpp"

namespace careledger::domain {
namespace {

using controls::applied;
using controls::d;
using controls::today;

PersonState adult() {
  return controls::adult("1950-12-10");
}

SupportEpisodeState started(SupportKind kind, const char* on) {
  StartSupport command{SupportEpisodeId{"sup_1"},
                       kind,
                       Setting::community,
                       Delivery::direct_payment,
                       d(on),
                       std::nullopt,
                       std::nullopt};
  auto events =
      std::get<std::vector<Event>>(decide(SupportEpisodeState{}, command, adult(), today));
  return evolve(SupportEpisodeState{}, events.at(0));
}

std::vector<std::string> refused_fields(const Decision& decision) {
  std::vector<std::string> fields;
  for (const auto& e : std::get<Rejection>(decision).errors) fields.push_back(e.field);
  return fields;
}

TEST(SupportEpisode, StartingRecordsThePersonsTeam) {
  auto state = started(SupportKind::long_term, "2024-01-01");
  EXPECT_TRUE(state.exists);
  EXPECT_EQ(state.team, Team{"north"});
  EXPECT_EQ(state.person_id, PersonId{"per_1"});
}

TEST(SupportEpisode, StartingInTheFutureIsRefused) {
  StartSupport command{SupportEpisodeId{"sup_1"},
                       SupportKind::long_term,
                       Setting::community,
                       Delivery::direct_payment,
                       d("2024-07-01"),
                       std::nullopt,
                       std::nullopt};
  EXPECT_EQ(refused_fields(decide(SupportEpisodeState{}, command, adult(), today)),
            std::vector<std::string>{"started_on"});
}

TEST(SupportEpisode, EndingBeforeItStartedIsRefused) {
  auto state = started(SupportKind::long_term, "2024-01-01");
  EXPECT_EQ(
      refused_fields(decide(state, EndSupport{d("2023-12-31"), std::nullopt, std::nullopt}, today)),
      std::vector<std::string>{"ended_on"});
}

TEST(SupportEpisode, EndingOnTheDayItStartedIsAllowed) {
  auto state = started(SupportKind::long_term, "2024-01-01");
  EXPECT_TRUE(std::holds_alternative<std::vector<Event>>(
      decide(state, EndSupport{d("2024-01-01"), std::nullopt, std::nullopt}, today)));
}

TEST(SupportEpisode, EndingTwiceIsAConflict) {
  auto state = started(SupportKind::long_term, "2024-01-01");
  auto events = std::get<std::vector<Event>>(
      decide(state, EndSupport{d("2024-02-01"), {}, std::nullopt}, today));
  state = evolve(state, events.at(0));
  EXPECT_EQ(
      std::get<Rejection>(decide(state, EndSupport{d("2024-03-01"), {}, std::nullopt}, today)).kind,
      Rejection::Kind::conflict);
}

TEST(SupportEpisode, ShortTermSupportNeedsASequel) {
  auto state = started(SupportKind::short_term, "2024-01-01");
  EXPECT_EQ(
      refused_fields(decide(state, EndSupport{d("2024-02-01"), std::nullopt, std::nullopt}, today)),
      std::vector<std::string>{"sequel"});
  EXPECT_TRUE(std::holds_alternative<std::vector<Event>>(decide(
      state, EndSupport{d("2024-02-01"), Sequel::lower_level_support, std::nullopt}, today)));
}

TEST(SupportEpisode, LongTermSupportRefusesASequel) {
  auto state = started(SupportKind::long_term, "2024-01-01");
  EXPECT_EQ(
      refused_fields(decide(
          state, EndSupport{d("2024-02-01"), Sequel::long_term_support, std::nullopt}, today)),
      std::vector<std::string>{"sequel"});
}

TEST(Review, NeedsThePersonInLongTermSupportOnTheDay) {
  RecordReview command{ReviewId{"rev_1"},        d("2024-03-01"), true,
                       ReviewOutcome::no_change, std::nullopt,    std::nullopt};
  EXPECT_EQ(refused_fields(decide(ReviewState{}, command, adult(), false, today)),
            std::vector<std::string>{"reviewed_on"});
  auto events = std::get<std::vector<Event>>(decide(ReviewState{}, command, adult(), true, today));
  auto state = evolve(ReviewState{}, events.at(0));
  EXPECT_EQ(state.reviewed_on, d("2024-03-01"));
  EXPECT_EQ(state.team, Team{"north"});
}

TEST(Review, InTheFutureIsRefused) {
  RecordReview command{ReviewId{"rev_1"},        d("2024-07-01"), true,
                       ReviewOutcome::no_change, std::nullopt,    std::nullopt};
  EXPECT_EQ(refused_fields(decide(ReviewState{}, command, adult(), true, today)),
            std::vector<std::string>{"reviewed_on"});
}

TEST(InSupportOn, AnEpisodeThatEndedOnTheDayIsOverThatDay) {
  EXPECT_TRUE(in_support_on(d("2024-01-01"), std::nullopt, d("2024-01-01")));
  EXPECT_TRUE(in_support_on(d("2024-01-01"), d("2024-02-01"), d("2024-01-31")));
  EXPECT_FALSE(in_support_on(d("2024-01-01"), d("2024-02-01"), d("2024-02-01")));
  EXPECT_FALSE(in_support_on(d("2024-01-02"), std::nullopt, d("2024-01-01")));
}

}  // namespace
}  // namespace careledger::domain
