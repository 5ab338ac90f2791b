#include "domain/assessment.hpp"

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

AssessmentState requested_on(const char* day) {
  RequestAssessment command{AssessmentId{"asm_1"}, AssessmentKind::needs, d(day), Priority::high,
                            std::nullopt};
  return applied(AssessmentState{}, decide(AssessmentState{}, command, adult(), today));
}

Rejection refused(const Decision& decision) {
  return std::get<Rejection>(decision);
}

TEST(Assessment, ARequestPutsThePersonOnTheWaitingListWithTheirTeam) {
  auto state = requested_on("2024-03-01");
  EXPECT_EQ(state.status, AssessmentStatus::waiting);
  EXPECT_EQ(state.team, Team{"north"});
  EXPECT_EQ(state.person_id, PersonId{"per_1"});
  EXPECT_EQ(state.version, Version{1});
}

TEST(Assessment, ARequestDatedInTheFutureIsRefused) {
  RequestAssessment command{AssessmentId{"asm_1"}, AssessmentKind::needs, d("2024-07-01"),
                            Priority::high, std::nullopt};
  const auto r = refused(decide(AssessmentState{}, command, adult(), today));
  EXPECT_EQ(r.kind, Rejection::Kind::invalid);
  EXPECT_EQ(r.errors.at(0).field, "requested_on");
}

TEST(Assessment, APersonUnder18OnTheRequestDateIsRefused) {
  auto young = adult();
  young.date_of_birth = d("2006-03-02");
  RequestAssessment command{AssessmentId{"asm_1"}, AssessmentKind::needs, d("2024-03-01"),
                            Priority::high, std::nullopt};
  EXPECT_EQ(refused(decide(AssessmentState{}, command, young, today)).errors.at(0).field,
            "requested_on");
  command.requested_on = d("2024-03-02");  // the 18th birthday
  EXPECT_TRUE(
      std::holds_alternative<std::vector<Event>>(decide(AssessmentState{}, command, young, today)));
}

TEST(Assessment, CompletionOnTheRequestDayIsAllowed) {
  auto state = applied(requested_on("2024-03-01"),
                       decide(requested_on("2024-03-01"),
                              CompleteAssessment{d("2024-03-01"), true, std::nullopt}, today));
  EXPECT_EQ(state.status, AssessmentStatus::completed);
  EXPECT_EQ(state.eligible_needs, true);
}

TEST(Assessment, CompletionBeforeTheRequestIsRefused) {
  const auto& r = refused(decide(requested_on("2024-03-01"),
                                 CompleteAssessment{d("2024-02-29"), true, std::nullopt}, today));
  EXPECT_EQ(r.kind, Rejection::Kind::invalid);
  EXPECT_EQ(r.errors.at(0).field, "completed_on");
}

TEST(Assessment, CompletionInTheFutureIsRefused) {
  EXPECT_EQ(refused(decide(requested_on("2024-03-01"),
                           CompleteAssessment{d("2024-07-01"), true, std::nullopt}, today))
                .errors.at(0)
                .field,
            "completed_on");
}

TEST(Assessment, ClosureBeforeTheRequestIsRefused) {
  EXPECT_EQ(refused(decide(requested_on("2024-03-01"),
                           CloseAssessment{d("2024-02-01"), ClosureReason::withdrawn}, today))
                .errors.at(0)
                .field,
            "closed_on");
}

TEST(Assessment, AllocationBeforeTheRequestIsRefused) {
  EXPECT_EQ(
      refused(decide(requested_on("2024-03-01"), AllocateAssessment{"Sam", d("2024-02-01")}, today))
          .errors.at(0)
          .field,
      "allocated_on");
}

TEST(Assessment, AllocationKeepsItWaitingAndNamesThePractitioner) {
  auto state = requested_on("2024-03-01");
  state = applied(state, decide(state, AllocateAssessment{"Sam", d("2024-03-05")}, today));
  EXPECT_EQ(state.status, AssessmentStatus::waiting);
  EXPECT_EQ(state.allocated_to, "Sam");
}

TEST(Assessment, CompletingTwiceIsAConflict) {
  auto state = requested_on("2024-03-01");
  state = applied(state,
                  decide(state, CompleteAssessment{d("2024-04-01"), false, std::nullopt}, today));
  EXPECT_EQ(
      refused(decide(state, CompleteAssessment{d("2024-04-02"), false, std::nullopt}, today)).kind,
      Rejection::Kind::conflict);
}

TEST(Assessment, NothingMovesAClosedAssessment) {
  auto state = requested_on("2024-03-01");
  state = applied(state,
                  decide(state, CloseAssessment{d("2024-04-01"), ClosureReason::deceased}, today));
  EXPECT_EQ(state.status, AssessmentStatus::closed);
  EXPECT_EQ(
      refused(decide(state, CompleteAssessment{d("2024-04-02"), true, std::nullopt}, today)).kind,
      Rejection::Kind::conflict);
  EXPECT_EQ(
      refused(decide(state, CloseAssessment{d("2024-04-02"), ClosureReason::duplicate}, today))
          .kind,
      Rejection::Kind::conflict);
  EXPECT_EQ(refused(decide(state, AllocateAssessment{"Sam", d("2024-04-02")}, today)).kind,
            Rejection::Kind::conflict);
}

// The rules the projection writes for the waiting list and the waits.
TEST(Assessment, ItStopsWaitingOnTheFirstOfCompletionOrClosure) {
  auto state = requested_on("2024-03-01");
  EXPECT_FALSE(state.stopped_waiting_on());
  EXPECT_FALSE(state.days_to_complete());
  auto completed =
      applied(state, decide(state, CompleteAssessment{d("2024-04-10"), true, std::nullopt}, today));
  EXPECT_EQ(completed.stopped_waiting_on(), d("2024-04-10"));
  EXPECT_EQ(completed.days_to_complete(), 40);  // 1 March to 10 April
  auto closed = applied(
      state, decide(state, CloseAssessment{d("2024-03-05"), ClosureReason::withdrawn}, today));
  EXPECT_EQ(closed.stopped_waiting_on(), d("2024-03-05"));
  EXPECT_FALSE(closed.days_to_complete());
}

TEST(Assessment, EveryAllocationIsKeptInTheOrderRecorded) {
  auto state = requested_on("2024-03-01");
  state = applied(state, decide(state, AllocateAssessment{"Sam", d("2024-03-05")}, today));
  state = applied(state, decide(state, AllocateAssessment{"Kim", d("2024-03-02")}, today));
  ASSERT_EQ(state.allocations.size(), 2u);
  EXPECT_EQ(state.allocations[0], (Allocation{d("2024-03-05"), "Sam"}));
  EXPECT_EQ(state.allocated_to, "Kim");
}

}  // namespace
}  // namespace careledger::domain
