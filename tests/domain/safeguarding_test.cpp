#include "domain/safeguarding.hpp"

#include <map>

#include <gtest/gtest.h>

#include "tests/domain/controls.hpp"

#include "domain/safeguarding_measures.hpp"

namespace careledger::domain {
namespace {

using controls::applied;
using controls::d;
using controls::today;

PersonState adult() {
  return controls::adult("1950-12-10");
}

ConcernState received(const char* on) {
  ReceiveConcern command{ConcernId{"sgc_1"},
                         d(on),
                         ConcernSource::police,
                         {AbuseType::financial, AbuseType::neglect, AbuseType::financial},
                         RiskLocation::own_home};
  return applied(ConcernState{}, decide(ConcernState{}, command, adult(), today));
}

ConcernState with_enquiry(const char* received_on, const char* decided_on,
                          ConcernOutcome outcome = ConcernOutcome::section_42_enquiry) {
  auto state = received(received_on);
  return applied(state,
                 decide(state, DecideConcern{d(decided_on), outcome, EnquiryId{"sge_1"}}, today));
}

std::vector<std::string> refused_fields(const Decision& decision) {
  std::vector<std::string> fields;
  for (const auto& e : std::get<Rejection>(decision).errors) fields.push_back(e.field);
  return fields;
}
Rejection::Kind refusal(const Decision& decision) {
  return std::get<Rejection>(decision).kind;
}

TEST(Concern, ReceivingKeepsEachAbuseTypeOnceInTheTeamOfThePerson) {
  auto state = received("2024-03-01");
  EXPECT_EQ(state.abuse_types, (std::vector<AbuseType>{AbuseType::financial, AbuseType::neglect}));
  EXPECT_EQ(state.team, Team{"north"});
  EXPECT_FALSE(state.decided_on);
}

TEST(Concern, NeedsAtLeastOneAbuseTypeAndNoFutureDate) {
  ReceiveConcern command{
      ConcernId{"sgc_1"}, d("2024-07-01"), ConcernSource::police, {}, RiskLocation::own_home};
  EXPECT_EQ(refused_fields(decide(ConcernState{}, command, adult(), today)),
            (std::vector<std::string>{"received_on", "abuse_types"}));
}

TEST(Concern, ADecisionBeforeReceiptIsRefused) {
  auto state = received("2024-03-01");
  EXPECT_EQ(
      refused_fields(decide(
          state, DecideConcern{d("2024-02-29"), ConcernOutcome::other_enquiry, EnquiryId{"sge_1"}},
          today)),
      std::vector<std::string>{"decided_on"});
}

TEST(Concern, ADecisionToEnquireStartsTheEnquiryThatDay) {
  auto state = with_enquiry("2024-03-01", "2024-03-04", ConcernOutcome::other_enquiry);
  ASSERT_TRUE(state.enquiry);
  EXPECT_EQ(state.enquiry->kind, EnquiryKind::other);
  EXPECT_EQ(state.enquiry->started_on, d("2024-03-04"));
  EXPECT_EQ(state.enquiry->id, EnquiryId{"sge_1"});
}

TEST(Concern, NoFurtherActionStartsNoEnquiryAndCannotBeConcluded) {
  auto state = with_enquiry("2024-03-01", "2024-03-04", ConcernOutcome::no_further_action);
  EXPECT_FALSE(state.enquiry);
  EXPECT_EQ(refusal(decide(state,
                           ConcludeEnquiry{d("2024-04-01"), RiskIdentified::no, std::nullopt,
                                           OutcomesAsked::not_asked, std::nullopt},
                           today)),
            Rejection::Kind::conflict);
}

TEST(Concern, ASecondDecisionIsAConflict) {
  auto state = with_enquiry("2024-03-01", "2024-03-04");
  EXPECT_EQ(refusal(decide(state,
                           DecideConcern{d("2024-03-05"), ConcernOutcome::no_further_action,
                                         EnquiryId{"sge_2"}},
                           today)),
            Rejection::Kind::conflict);
}

TEST(Enquiry, AConclusionBeforeTheStartIsRefused) {
  auto state = with_enquiry("2024-03-01", "2024-03-04");
  EXPECT_EQ(refused_fields(decide(state,
                                  ConcludeEnquiry{d("2024-03-03"), RiskIdentified::no, std::nullopt,
                                                  OutcomesAsked::not_asked, std::nullopt},
                                  today)),
            std::vector<std::string>{"concluded_on"});
}

TEST(Enquiry, ARiskOutcomeExactlyWhenARiskWasIdentified) {
  auto state = with_enquiry("2024-03-01", "2024-03-04");
  auto conclude = [&](RiskIdentified risk, std::optional<RiskOutcome> outcome) {
    return decide(
        state,
        ConcludeEnquiry{d("2024-04-01"), risk, outcome, OutcomesAsked::not_asked, std::nullopt},
        today);
  };
  EXPECT_EQ(refused_fields(conclude(RiskIdentified::yes, std::nullopt)),
            std::vector<std::string>{"risk_outcome"});
  EXPECT_EQ(refused_fields(conclude(RiskIdentified::inconclusive, RiskOutcome::reduced)),
            std::vector<std::string>{"risk_outcome"});
  EXPECT_TRUE(std::holds_alternative<std::vector<Event>>(
      conclude(RiskIdentified::yes, RiskOutcome::remains)));
  EXPECT_TRUE(
      std::holds_alternative<std::vector<Event>>(conclude(RiskIdentified::no, std::nullopt)));
}

TEST(Enquiry, OutcomesAchievedExactlyWhenOutcomesWereExpressed) {
  auto state = with_enquiry("2024-03-01", "2024-03-04");
  auto conclude = [&](OutcomesAsked asked, std::optional<OutcomesAchieved> achieved) {
    return decide(
        state, ConcludeEnquiry{d("2024-04-01"), RiskIdentified::no, std::nullopt, asked, achieved},
        today);
  };
  EXPECT_EQ(refused_fields(conclude(OutcomesAsked::expressed, std::nullopt)),
            std::vector<std::string>{"outcomes_achieved"});
  EXPECT_EQ(refused_fields(conclude(OutcomesAsked::not_asked, OutcomesAchieved::fully)),
            std::vector<std::string>{"outcomes_achieved"});
}

TEST(Enquiry, ConcludingTwiceIsAConflict) {
  auto state = with_enquiry("2024-03-01", "2024-03-04");
  ConcludeEnquiry once{d("2024-04-01"), RiskIdentified::no, std::nullopt,
                       OutcomesAsked::not_expressed, std::nullopt};
  state = applied(state, decide(state, once, today));
  EXPECT_EQ(state.enquiry->concluded_on, d("2024-04-01"));
  EXPECT_EQ(refusal(decide(state, once, today)), Rejection::Kind::conflict);
}

EnquiryFact enquiry(const char* started, const char* concluded,
                    EnquiryKind kind = EnquiryKind::section_42,
                    std::optional<RiskIdentified> risk = RiskIdentified::no,
                    std::optional<RiskOutcome> outcome = std::nullopt,
                    OutcomesAsked asked = OutcomesAsked::not_asked,
                    std::optional<OutcomesAchieved> achieved = std::nullopt) {
  static int n = 0;
  return EnquiryFact{EnquiryId{"e" + std::to_string(++n)},
                     PersonId{"p"},
                     Team{"north"},
                     kind,
                     d(started),
                     concluded ? std::optional<Date>(d(concluded)) : std::nullopt,
                     risk,
                     outcome,
                     asked,
                     achieved};
}

TEST(WithinThreeMonths, ThirtiethOfNovemberToTheEndOfFebruary) {
  // 2022-23 (not a leap year): three months after 30 November is 28 February.
  EXPECT_TRUE(concluded_within_3_months(enquiry("2022-11-30", "2023-02-28")));
  EXPECT_FALSE(concluded_within_3_months(enquiry("2022-11-30", "2023-03-01")));
  // 2023-24 (leap year): 29 February.
  EXPECT_TRUE(concluded_within_3_months(enquiry("2023-11-30", "2024-02-28")));
  EXPECT_TRUE(concluded_within_3_months(enquiry("2023-11-30", "2024-02-29")));
  EXPECT_FALSE(concluded_within_3_months(enquiry("2023-11-30", "2024-03-01")));
}

TEST(WithinThreeMonths, ThirtyFirstOfAugustToThirtiethOfNovember) {
  EXPECT_TRUE(concluded_within_3_months(enquiry("2023-08-31", "2023-11-30")));
  EXPECT_FALSE(concluded_within_3_months(enquiry("2023-08-31", "2023-12-01")));
}

std::map<std::string, Measure> by_id(const std::vector<Measure>& measures) {
  std::map<std::string, Measure> out;
  for (const auto& m : measures) out[m.id] = m;
  return out;
}

TEST(SafeguardingMeasures, AQuarterWorkedByHand) {
  // Q3 2023-24: 1 October - 31 December 2023.
  const Date from = d("2023-10-01"), to = d("2023-12-31");
  auto concern = [](const char* id, const char* received, const char* decided) {
    return ConcernFact{ConcernId{id}, PersonId{"p"}, Team{"north"}, d(received),
                       decided ? std::optional<Date>(d(decided)) : std::nullopt};
  };
  std::vector<ConcernFact> concerns{
      concern("c1", "2023-10-02", "2023-10-05"), concern("c2", "2023-11-01", "2023-11-03"),
      concern("c3", "2023-12-20", "2024-01-04"),  // received in Q3, decided in Q4
      concern("c4", "2023-12-30", nullptr),       // still awaiting a decision
      concern("c5", "2023-09-28", "2023-10-02"),  // received in Q2
  };
  std::vector<EnquiryFact> enquiries{
      // Started in the quarter: two section 42 (c1, c5) and one other (c2).
      enquiry("2023-10-05", "2023-12-01", EnquiryKind::section_42, RiskIdentified::yes,
              RiskOutcome::reduced, OutcomesAsked::expressed, OutcomesAchieved::fully),
      enquiry("2023-10-02", nullptr),  // still open at the quarter's end
      enquiry("2023-11-03", "2023-12-15", EnquiryKind::other, RiskIdentified::yes,
              RiskOutcome::remains, OutcomesAsked::expressed, OutcomesAchieved::partially),
      // Started in Q2, concluded in Q3 after more than 3 months; an inconclusive risk.
      enquiry("2023-06-30", "2023-10-01", EnquiryKind::section_42, RiskIdentified::inconclusive,
              std::nullopt, OutcomesAsked::not_asked),
      // Section 42 with risk removed, concluded after the quarter: not counted as concluded.
      enquiry("2023-09-01", "2024-01-10", EnquiryKind::section_42, RiskIdentified::yes,
              RiskOutcome::removed),
  };
  auto m = by_id(safeguarding_measures(concerns, enquiries, from, to));
  EXPECT_EQ(*m["safeguarding.concerns_received"].value, 4);  // c1-c4
  EXPECT_EQ(*m["safeguarding.enquiries_started"].value, 3);
  EXPECT_EQ(*m["safeguarding.enquiries_started.section_42"].value, 2);
  EXPECT_EQ(*m["safeguarding.enquiries_started.other"].value, 1);
  EXPECT_DOUBLE_EQ(*m["safeguarding.conversion_rate"].value, 75.0);  // 3 / 4
  // Concluded in Q3: the 5 Oct (s42, yes, reduced), 3 Nov (other), 30 Jun (s42, inconclusive).
  // Risk: only section 42 with a risk identified: 1 of 1.
  EXPECT_EQ(*m["safeguarding.risk_reduced_or_removed"].numerator, 1);
  EXPECT_EQ(*m["safeguarding.risk_reduced_or_removed"].denominator, 1);
  // Within 3 months: 5 Oct -> 1 Dec yes; 3 Nov -> 15 Dec yes; 30 Jun -> 1 Oct no (30 Sep).
  EXPECT_EQ(*m["safeguarding.concluded_within_3_months"].numerator, 2);
  EXPECT_EQ(*m["safeguarding.concluded_within_3_months"].denominator, 3);
  // Open at 31 December: concerns c3, c4; enquiries started 2 Oct and 1 Sep.
  EXPECT_EQ(*m["safeguarding.open"].value, 4);
  EXPECT_EQ(*m["safeguarding.open.concerns_awaiting_decision"].value, 2);
  EXPECT_EQ(*m["safeguarding.open.enquiries_open"].value, 2);
  EXPECT_EQ(*m["safeguarding.msp"].value, 3);
  EXPECT_EQ(*m["safeguarding.msp.expressed"].value, 2);
  EXPECT_EQ(*m["safeguarding.msp.not_asked"].value, 1);
  EXPECT_EQ(*m["safeguarding.msp.fully"].value, 1);
  EXPECT_EQ(*m["safeguarding.msp.partially"].value, 1);
  EXPECT_EQ(*m["safeguarding.msp.not"].value, 0);
  EXPECT_EQ(m["safeguarding.msp.not"].unit, Unit::count);
}

TEST(SafeguardingMeasures, NoConcernsMeansNoConversionRate) {
  auto m = by_id(safeguarding_measures({}, {}, d("2023-10-01"), d("2023-12-31")));
  EXPECT_FALSE(m["safeguarding.conversion_rate"].value);
  EXPECT_EQ(*m["safeguarding.concerns_received"].value, 0);
}

}  // namespace
}  // namespace careledger::domain
