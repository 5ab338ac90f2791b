// Care-home placements and deferred payment agreements: rules, money and the attention lists.
#include "domain/placement.hpp"

#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "tests/domain/controls.hpp"

#include "domain/deferred_payments.hpp"

namespace careledger::domain {
namespace {

using controls::applied;
using controls::d;
using controls::today;

PersonState adult() {
  return controls::adult("1940-01-01");
}

PlacementState placement(const char* started, bool disregard = true, Pence weekly = Pence{80000}) {
  return applied(
      PlacementState{},
      decide(PlacementState{}, StartPlacement{PlacementId{"plc_1"}, d(started), weekly, disregard},
             adult(), today));
}

const AgreementId dpa{"dpa_1"};

PlacementState offered(const char* started, const char* offered_on) {
  auto p = placement(started);
  return applied(p, decide(p, OfferAgreement{dpa, d(offered_on)}, today));
}

SignAgreement signature(const char* on, int rate = 300, Pence weekly = Pence{50000}) {
  return SignAgreement{dpa, d(on), Pence{25000000}, Pence{100000}, weekly, rate};
}

Rejection refused(const Decision& decision) {
  return std::get<Rejection>(decision);
}

TEST(Placement, TheDisregardEndsEightyFourDaysAfterTheStart) {
  EXPECT_EQ(placement("2024-01-01").disregard_ends_on(), d("2024-03-25"));
  EXPECT_FALSE(placement("2024-01-01", false).disregard_ends_on());
}

TEST(Placement, AttentionLooksAtAnUnarrangedDisregardAndAtSignedAgreements) {
  PlacementState p;
  p.started_on = d("2024-01-01");
  p.property_disregard = true;
  auto spells = attention_spells(p);
  EXPECT_EQ(spells.unarranged, (DaySpell{d("2024-01-01"), std::nullopt}));
  EXPECT_TRUE(spells.signed_agreement.empty());

  // The first signature arranges; two agreements overlapping are one set of days, a third
  // after a gap its own.
  AgreementState a, b, c;
  a.signed_on = d("2024-05-01");
  a.terminated_on = d("2024-09-01");
  b.signed_on = d("2024-08-01");
  b.terminated_on = d("2024-10-01");
  c.signed_on = d("2025-01-01");
  p.agreements = {b, c, a};
  spells = attention_spells(p);
  EXPECT_EQ(spells.unarranged, (DaySpell{d("2024-01-01"), d("2024-05-01")}));
  EXPECT_EQ(spells.signed_agreement, (std::vector<DaySpell>{{d("2024-05-01"), d("2024-10-01")},
                                                            {d("2025-01-01"), std::nullopt}}));

  // Self-funding from the first day: nothing unarranged; without a disregard, none either.
  p.agreements.clear();
  p.self_funding_on = p.started_on;
  EXPECT_FALSE(attention_spells(p).unarranged);
  p.self_funding_on.reset();
  p.property_disregard = false;
  EXPECT_FALSE(attention_spells(p).unarranged);
}

TEST(Placement, AWeeklyCostMustBePositive) {
  auto r = refused(decide(PlacementState{},
                          StartPlacement{PlacementId{"plc_1"}, d("2024-01-01"), Pence{0}, true},
                          adult(), today));
  EXPECT_EQ(r.errors.at(0).field, "weekly_cost_pence");
}

TEST(Placement, OneArrangementPerPlacement) {
  auto p = offered("2024-01-01", "2024-02-01");
  p = applied(p, decide(p, signature("2024-02-10"), {}, today));
  EXPECT_EQ(p.arranged_on(), d("2024-02-10"));
  EXPECT_EQ(refused(decide(p, ArrangeSelfFunding{d("2024-03-01")}, today)).kind,
            Rejection::Kind::conflict);
  EXPECT_EQ(refused(decide(p, OfferAgreement{AgreementId{"dpa_2"}, d("2024-03-01")}, today)).kind,
            Rejection::Kind::conflict);

  auto self = placement("2024-01-01");
  self = applied(self, decide(self, OfferAgreement{dpa, d("2024-01-10")}, today));
  self = applied(self, decide(self, ArrangeSelfFunding{d("2024-01-20")}, today));
  EXPECT_EQ(refused(decide(self, signature("2024-02-10"), {}, today)).kind,
            Rejection::Kind::conflict);
}

TEST(Agreement, OnlyAnOfferedAgreementIsSignedOrDeclined) {
  auto p = offered("2024-01-01", "2024-02-01");
  auto declined = applied(p, decide(p, DeclineAgreement{dpa, d("2024-02-05")}, today));
  EXPECT_EQ(declined.agreements[0].status_as_at(today), AgreementStatus::declined);
  EXPECT_EQ(refused(decide(declined, signature("2024-02-10"), {}, today)).kind,
            Rejection::Kind::conflict);
  auto signed_once = applied(p, decide(p, signature("2024-02-10"), {}, today));
  EXPECT_EQ(refused(decide(signed_once, signature("2024-02-11"), {}, today)).kind,
            Rejection::Kind::conflict);
  EXPECT_EQ(refused(decide(signed_once, DeclineAgreement{dpa, d("2024-02-11")}, today)).kind,
            Rejection::Kind::conflict);
}

TEST(Agreement, ARateAboveTheMaximumForTheSigningDateIsRefused) {
  const std::vector<InterestRateCap> caps{{d("2023-07-01"), 275}, {d("2024-01-01"), 305}};
  auto p = offered("2023-06-01", "2023-06-15");
  EXPECT_EQ(refused(decide(p, signature("2023-12-31", 300), caps, today)).errors.at(0).field,
            "interest_rate_basis_points");
  EXPECT_TRUE(std::holds_alternative<std::vector<Event>>(
      decide(p, signature("2024-01-01", 305), caps, today)));
  EXPECT_TRUE(std::holds_alternative<std::vector<Event>>(
      decide(p, signature("2023-06-30", 900), caps, today)));  // before the first entry: no cap
}

TEST(Agreement, AmountsArePositiveAndDatesFollowTheAgreement) {
  auto p = offered("2024-01-01", "2024-02-01");
  SignAgreement bad{dpa, d("2024-01-31"), Pence{0}, Pence{-1}, Pence{0}, 300};
  std::vector<std::string> fields;
  for (const auto& e : refused(decide(p, bad, {}, today)).errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"signed_on", "property_value_pence",
                                              "prior_charges_pence", "weekly_deferred_pence"}));
  p = applied(p, decide(p, signature("2024-02-10"), {}, today));
  EXPECT_EQ(refused(decide(p, ChargeAgreement{dpa, d("2024-02-09"), Pence{100}, "fee"}, {}, today))
                .errors.at(0)
                .field,
            "charged_on");
  EXPECT_EQ(refused(decide(p, RepayAgreement{dpa, d("2024-03-01"), Pence{0}}, {}, today))
                .errors.at(0)
                .field,
            "amount_pence");
  EXPECT_EQ(refused(decide(p, ChargeAgreement{dpa, d("2024-03-01"), Pence{100}, ""}, {}, today))
                .errors.at(0)
                .field,
            "description");
}

TEST(Agreement, TerminatedOnceAndChargesAfterwardsAreAllowed) {
  auto p = offered("2024-01-01", "2024-02-01");
  p = applied(p, decide(p, signature("2024-02-10"), {}, today));
  p = applied(
      p, decide(p, TerminateAgreement{dpa, d("2024-04-01"), TerminationReason::deceased}, today));
  EXPECT_EQ(p.agreements[0].status_as_at(d("2024-03-31")), AgreementStatus::is_signed);
  EXPECT_EQ(p.agreements[0].status_as_at(d("2024-04-01")), AgreementStatus::terminated);
  EXPECT_EQ(
      refused(decide(p, TerminateAgreement{dpa, d("2024-04-02"), TerminationReason::other}, today))
          .kind,
      Rejection::Kind::conflict);
  EXPECT_TRUE(std::holds_alternative<std::vector<Event>>(
      decide(p, ChargeAgreement{dpa, d("2024-04-10"), Pence{15000}, "legal fee"}, {}, today)));
}

TEST(Agreement, NoChargeTakesTheBalanceAboveTheBoundAndNoRepaymentIsMoreThanIsOwed) {
  auto p = offered("2024-01-01", "2024-02-01");
  p = applied(p, decide(p, signature("2024-02-10"), {}, today));
  const auto balance_on = [&](const char* day) {
    return balance_as_at(p.agreements[0], {}, d(day)).value();
  };
  // The largest charge allowed on a day takes the balance to the bound exactly.
  const Pence room{max_pence - balance_on("2024-03-01")};
  EXPECT_EQ(
      refused(decide(p, ChargeAgreement{dpa, d("2024-03-01"), room + Pence{1}, "fee"}, {}, today))
          .errors.at(0)
          .field,
      "amount_pence");
  p = applied(p, decide(p, ChargeAgreement{dpa, d("2024-03-01"), room, "fee"}, {}, today));
  EXPECT_EQ(balance_on("2024-03-01"), max_pence);
  // Owed that day (the bound): more may not be repaid, exactly that may.
  const Pence owed{balance_on("2024-03-01")};
  EXPECT_EQ(refused(decide(p, RepayAgreement{dpa, d("2024-03-01"), owed + Pence{1}}, {}, today))
                .errors.at(0)
                .field,
            "amount_pence");
  p = applied(p, decide(p, RepayAgreement{dpa, d("2024-03-01"), owed}, {}, today));
  EXPECT_EQ(balance_on("2024-03-01"), 0);
}

TEST(Money, ArithmeticBeyondSixtyFourBitsIsPinnedNeverWrapped) {
  constexpr auto most = std::numeric_limits<std::int64_t>::max();
  constexpr auto least = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ((Pence{most} + Pence{most}).value(), most);  // two charges of 2^63-1 were 798
  EXPECT_EQ((Pence{least} - Pence{1}).value(), least);
  EXPECT_EQ((Pence{std::int64_t{1} << 62} * 4).value(), most);
  EXPECT_EQ((Pence{std::int64_t{1} << 62} * -4).value(), least);
  EXPECT_EQ((Pence{5} * 3 - Pence{20}).value(), -5);
}

AgreementState signed_agreement(const char* on, Pence weekly, int rate) {
  AgreementState a;
  a.id = dpa;
  a.offered_on = d(on);
  a.signed_on = d(on);
  a.property_value = Pence{25000000};
  a.prior_charges = Pence{100000};
  a.weekly_deferred = weekly;
  a.interest_rate_basis_points = rate;
  return a;
}

TEST(Balance, AnAgreementAtTheBoundsReadCenturiesOnStaysPositiveAndFinite) {
  // Amounts at the bound and the highest rate a signature takes, read at the far end of the
  // dates a query may name: nothing wraps (UBSan checks the arithmetic itself).
  auto a = signed_agreement("1900-01-01", Pence{max_pence}, 100000);
  a.movements.push_back({d("1900-01-02"), Pence{max_pence}, "fee"});
  const auto far = balance_as_at(a, {}, d("2031-12-31"));
  EXPECT_EQ(far.value(), std::numeric_limits<std::int64_t>::max());  // pinned, not wrapped
  EXPECT_GT(balance_as_at(a, {}, d("1901-01-01")).value(), 2 * max_pence);
  EXPECT_EQ(equity_flag(far, Pence{max_pence}), 90);
}

TEST(Balance, OverAHalfYearBoundaryWithTheRateCapped) {
  // Signed Wednesday 20 December 2023 at 3.00%, £500 a week; the maximum is 2.75% to
  // 31 December and 3.05% from 1 January, so interest runs at 2.75% then 3.00%.
  const std::vector<InterestRateCap> caps{{d("2023-07-01"), 275}, {d("2024-01-01"), 305}};
  const auto a = signed_agreement("2023-12-20", Pence{50000}, 300);
  EXPECT_EQ(balance_as_at(a, caps, d("2023-12-26")), Pence{0});
  // 27 Dec: £500 deferred. 28-31 Dec: 4 days x 50,000 x 275 / 3,650,000 = 15.07p accrued.
  EXPECT_EQ(balance_as_at(a, caps, d("2023-12-27")), Pence{50000});
  EXPECT_EQ(balance_as_at(a, caps, d("2023-12-31")), Pence{50015});
  // 1 Jan: 15p compounded (50,015); that day's interest is on 31 December's 50,000 at 3.00%.
  // 2 and 3 Jan: on 50,015. 3 Jan: +£500 (100,015). 4-10 Jan: 7 days on 100,015.
  // 10 Jan: +£500 (150,015). Accrued since 1 Jan:
  //   (50,000 + 2 x 50,015 + 7 x 100,015) x 300 / 3,650,000 = 255,040,500 / 3,650,000 = 69.87p.
  EXPECT_EQ(balance_as_at(a, caps, d("2024-01-10")), Pence{150085});
}

TEST(Balance, ALeapYearWithAChargeAndARepayment) {
  // 3.65% makes a day's interest exactly balance / 10,000. Signed Monday 26 February 2024.
  auto a = signed_agreement("2024-02-26", Pence{10000}, 365);
  a.movements = {{d("2024-02-27"), Pence{25000}, "administration"},
                 {d("2024-03-04"), Pence{-5000}, "repayment"}};
  // 28 Feb - 4 Mar (6 days, 29 February among them): 2.5p a day on 25,000 = 15p accrued.
  // 4 Mar: +£100 deferred, -£50 repaid: 30,000. 5 Mar: 3p on 30,000. Total 30,018.
  EXPECT_EQ(balance_as_at(a, {}, d("2024-03-05")), Pence{30018});
  EXPECT_EQ(balance_as_at(a, {}, d("2024-02-26")), Pence{0});
  EXPECT_EQ(balance_as_at(a, {}, d("2024-02-25")), Pence{0});  // before signing
}

TEST(Balance, HalfAPennyOfInterestRoundsUp) {
  auto a = signed_agreement("2024-03-01", Pence{10000}, 365);
  a.movements = {{d("2024-03-01"), Pence{5000}, "administration"}};
  EXPECT_EQ(balance_as_at(a, {}, d("2024-03-02")), Pence{5001});  // 0.5p accrued
}

TEST(Balance, NoDeferralsFromTerminationAndNoInterestOnceRepaid) {
  auto a = signed_agreement("2024-03-01", Pence{10000}, 365);
  a.terminated_on = d("2024-03-08");  // the amount due on 8 March is not deferred
  a.movements = {{d("2024-03-01"), Pence{5000}, "administration"},
                 {d("2024-03-10"), Pence{-5000 - 7 - 5}, "repayment"}};
  // 2-8 Mar: 7 days x 0.5p = 3.5p accrued; 9 Mar 0.5p; 10 Mar 0.5p: 4.5p, rounds to 5.
  // Repaid 5,012 on 10 March leaves -12 (an overpayment of 12p before the interest); after that
  // nothing accrues.
  EXPECT_EQ(balance_as_at(a, {}, d("2024-03-09")), Pence{5004});
  EXPECT_EQ(balance_as_at(a, {}, d("2024-03-10")), Pence{-12 + 5});
  EXPECT_EQ(balance_as_at(a, {}, d("2024-06-30")), Pence{-12 + 5});
}

// The balance worked out day by day, as MEASURES.md readings 12, 20 and 22 describe it: the
// reference balance_as_at (which visits only the days on which more than interest happens) is
// checked against.
Pence day_by_day_balance(const AgreementState& agreement, const std::vector<InterestRateCap>& caps,
                         Date day) {
  if (!agreement.signed_on || day < *agreement.signed_on) return Pence{0};
  const Date signed_on = *agreement.signed_on;
  std::int64_t balance = 0, accrued = 0, previous_closing = 0;
  for (Date d = signed_on; d <= day; d += date::days{1}) {
    if (d > signed_on) {
      if (is_compounding_day(d)) {
        balance += divide_round_half_up(accrued, 365 * 10000);
        accrued = 0;
      }
      if (previous_closing > 0) {
        const auto cap = maximum_rate_on(caps, d);
        accrued += previous_closing * (cap ? std::min(agreement.interest_rate_basis_points, *cap)
                                           : agreement.interest_rate_basis_points);
      }
      const bool before_termination = !agreement.terminated_on || d < *agreement.terminated_on;
      if (days_between(signed_on, d) % 7 == 0 && before_termination) {
        balance += agreement.weekly_deferred.value();
      }
    }
    for (const auto& m : agreement.movements) {
      if (m.on == d || (d == signed_on && m.on < d)) balance += m.amount.value();
    }
    previous_closing = balance;
  }
  return Pence{balance + divide_round_half_up(accrued, 365 * 10000)};
}

TEST(Balance, EqualsTheDayByDayWorkingForRandomAgreements) {
  std::mt19937 rng(12);
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<InterestRateCap> caps{
      {d("2020-01-01"), 250}, {d("2021-07-01"), 150}, {d("2023-01-01"), 400}};
  int checked = 0;
  for (int i = 0; i < 300; ++i) {
    auto a = signed_agreement("2020-01-01", Pence{between(0, 90000)}, between(0, 500));
    a.signed_on = d("2019-06-01") + date::days{between(0, 900)};
    if (between(0, 2) > 0) a.terminated_on = *a.signed_on + date::days{between(0, 900)};
    for (int m = between(0, 6); m > 0; --m) {
      // Charges and repayments, some before signing, some large enough to overpay.
      a.movements.push_back({*a.signed_on + date::days{between(-10, 1400)},
                             Pence{between(-2000000, 500000)}, "movement"});
    }
    for (int k = 0; k < 8; ++k) {
      const Date day = *a.signed_on + date::days{between(-3, 1600)};
      const auto& used = i % 2 == 0 ? caps : std::vector<InterestRateCap>{};
      ASSERT_EQ(balance_as_at(a, used, day), day_by_day_balance(a, used, day))
          << "agreement " << i << " on " << format_date(day);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2400);
}

TEST(EquityLimit, NinetyPercentRoundedDownLessTheLimitAndPriorCharges) {
  auto a = signed_agreement("2024-03-01", Pence{10000}, 300);
  a.property_value = Pence{10000001};  // 90% = 9,000,000.9: rounded down
  a.prior_charges = Pence{100000};
  EXPECT_EQ(equity_limit(a, Pence{1425000}), Pence{9000000 - 1425000 - 100000});
  EXPECT_EQ(equity_flag(Pence{6999}, Pence{10000}), std::nullopt);
  EXPECT_EQ(equity_flag(Pence{7000}, Pence{10000}), 70);
  EXPECT_EQ(equity_flag(Pence{9000}, Pence{10000}), 90);
}

TEST(Attention, BoundaryDays) {
  // Started 1 January 2024: the disregard ends 25 March 2024. £800 a week.
  const std::vector<PlacementState> placements{placement("2024-01-01")};
  const Configuration config;
  auto at = [&](const char* day) { return attention(placements, config, d(day), 28); };
  EXPECT_TRUE(at("2024-02-25").disregard_ending.empty());   // 29 days ahead
  ASSERT_EQ(at("2024-02-26").disregard_ending.size(), 1u);  // exactly 28 days ahead
  EXPECT_EQ(at("2024-02-26").disregard_ending[0].days_until, 28);
  EXPECT_EQ(at("2024-03-24").disregard_ending[0].days_until, 1);
  // Ends on the as-at date: ended, nothing owed yet.
  auto on_the_day = at("2024-03-25");
  EXPECT_TRUE(on_the_day.disregard_ending.empty());
  ASSERT_EQ(on_the_day.unarranged.size(), 1u);
  EXPECT_EQ(on_the_day.unarranged[0].days_since, 0);
  EXPECT_EQ(on_the_day.unarranged[0].unrecovered_cost, Pence{0});
  EXPECT_EQ(at("2024-03-31").unarranged[0].unrecovered_cost, Pence{0});       // 6 days
  EXPECT_EQ(at("2024-04-01").unarranged[0].unrecovered_cost, Pence{80000});   // 1 week
  EXPECT_EQ(at("2024-04-08").unarranged[0].unrecovered_cost, Pence{160000});  // 2 weeks
}

TEST(Attention, AnArrangementTakesThePlacementOffTheListsFromItsDate) {
  auto p = placement("2024-01-01");
  p = applied(p, decide(p, ArrangeSelfFunding{d("2024-03-20")}, today));
  const Configuration config;
  EXPECT_EQ(attention({p}, config, d("2024-03-19"), 28).disregard_ending.size(), 1u);
  EXPECT_TRUE(attention({p}, config, d("2024-03-20"), 28).disregard_ending.empty());
  EXPECT_TRUE(attention({p}, config, d("2024-04-20"), 28).unarranged.empty());
  EXPECT_TRUE(
      attention({placement("2024-01-01", false)}, config, d("2024-04-20"), 28).unarranged.empty());
}

TEST(DeferredPaymentMeasures, CountsBalancesAndPeople) {
  auto p = offered("2023-06-01", "2023-06-10");
  p = applied(p, decide(p, signature("2023-12-20", 300), {}, today));
  const Configuration config{
      {}, 1425000, {{d("2023-07-01"), 275}, {d("2024-01-01"), 305}}, std::nullopt};
  auto m = deferred_payment_measures(deferred_payment_figures({p, placement("2024-05-01")}, config,
                                                              d("2023-04-01"), d("2024-01-10")));
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].id, "deferred_payments.disregard_ending");
  EXPECT_EQ(*m[0].value, 0);
  EXPECT_EQ(m[2].id, "deferred_payments.active");
  EXPECT_EQ(*m[2].value, 1);
  EXPECT_EQ(m[3].id, "deferred_payments.signed");
  EXPECT_EQ(*m[3].value, 1);
  EXPECT_EQ(m[4].id, "deferred_payments.total_outstanding");
  EXPECT_EQ(*m[4].value, 150085);  // as worked in Balance.OverAHalfYearBoundaryWithTheRateCapped
  EXPECT_EQ(m[4].unit, Unit::pence);
}

TEST(Placement, InterestIsCompoundedOnTheFirstOfJanuaryAndOfJuly) {
  EXPECT_TRUE(is_compounding_day(d("2024-01-01")));
  EXPECT_TRUE(is_compounding_day(d("2024-07-01")));
  EXPECT_FALSE(is_compounding_day(d("2024-07-02")));
  EXPECT_FALSE(is_compounding_day(d("2024-04-01")));
}

TEST(Placement, AnAgreementAsAtADayBeforeItsSignatureHasNoLimitNorShare) {
  auto p = offered("2024-01-01", "2024-01-10");
  p = applied(p, decide(p, signature("2024-01-20"), {}, today));
  const Configuration config{};
  const auto before = position_as_at(*p.agreement(dpa), config, d("2024-01-19"));
  EXPECT_EQ(before.status, AgreementStatus::offered);
  EXPECT_FALSE(before.signed_by);
  EXPECT_EQ(before.balance, Pence{0});
  EXPECT_FALSE(before.equity_limit);
  EXPECT_FALSE(before.share);
  const auto after = position_as_at(*p.agreement(dpa), config, d("2024-01-20"));
  EXPECT_TRUE(after.signed_by);
  ASSERT_TRUE(after.equity_limit);  // 90% of £250,000 - £14,250 - £1,000 prior charges
  EXPECT_EQ(*after.equity_limit, Pence{22500000 - 1425000 - 100000});
  EXPECT_EQ(after.share, 0.0);
}

}  // namespace
}  // namespace careledger::domain
