#include "domain/placement.hpp"

#include <algorithm>
#include <limits>

namespace careledger::domain {

bool is_compounding_day(Date day) {
  const date::year_month_day ymd{day};
  return ymd.day() == date::day{1} && (ymd.month() == date::January || ymd.month() == date::July);
}

namespace {

constexpr std::int64_t interest_divisor = 365 * 10000;  // days in every year x basis points

// A date on the agreement's timeline: not in the future, not before `earliest`.
std::optional<Rejection> check_date(Date day, Date earliest, const char* field,
                                    const char* earliest_name, Date today) {
  if (day > today) return invalid(field, "must not be in the future");
  if (day < earliest) return invalid(field, std::string("must not be before ") + earliest_name);
  return std::nullopt;
}

std::optional<Rejection> refuse_if_arranged(const PlacementState& state) {
  if (state.self_funding_on) return conflict("self-funding is already arranged for this placement");
  for (const auto& a : state.agreements) {
    if (a.signed_on) return conflict("an agreement is already signed for this placement");
  }
  return std::nullopt;
}

AgreementState* find(PlacementState& state, const AgreementId& id) {
  for (auto& a : state.agreements) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

}  // namespace

AgreementStatus AgreementState::status_as_at(Date day) const {
  if (declined_on && *declined_on <= day) return AgreementStatus::declined;
  if (terminated_on && *terminated_on <= day) return AgreementStatus::terminated;
  if (signed_by(day)) return AgreementStatus::is_signed;
  return AgreementStatus::offered;
}

std::optional<Date> PlacementState::disregard_ends_on() const {
  if (!property_disregard) return std::nullopt;
  return started_on + date::days{disregard_days};
}

std::optional<Date> PlacementState::arranged_on() const {
  std::optional<Date> first = self_funding_on;
  for (const auto& a : agreements) {
    if (a.signed_on && (!first || *a.signed_on < *first)) first = a.signed_on;
  }
  return first;
}

const AgreementState* PlacementState::agreement(const AgreementId& wanted) const {
  for (const auto& a : agreements) {
    if (a.id == wanted) return &a;
  }
  return nullptr;
}

namespace {
// An amount of money must lie from `least` to max_pence (API.md Bounds).
void check_pence(Rejection& rejection, const char* field, Pence amount, std::int64_t least) {
  if (amount < Pence{least} || amount > Pence{max_pence}) {
    rejection.errors.push_back({field, "must be a whole number of pence from " +
                                           std::to_string(least) + " to " +
                                           std::to_string(max_pence)});
  }
}
}  // namespace

Decision decide(const PlacementState& state, const StartPlacement& command,
                const PersonState& person, Date today) {
  if (state.exists) return conflict("the placement already exists");
  Rejection rejection{Rejection::Kind::invalid, "the placement breaks a rule", {}};
  if (command.started_on > today) {
    rejection.errors.push_back({"started_on", "must not be in the future"});
  }
  check_pence(rejection, "weekly_cost_pence", command.weekly_cost, 1);
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{PlacementStarted{command.placement_id, person.id, person.team,
                                             command.started_on, command.weekly_cost,
                                             command.property_disregard}};
}

Decision decide(const PlacementState& state, const ArrangeSelfFunding& command, Date today) {
  if (auto refusal = refuse_if_arranged(state)) return *refusal;
  if (auto refusal = check_date(command.arranged_on, state.started_on, "arranged_on",
                                "the placement", today)) {
    return *refusal;
  }
  return std::vector<Event>{SelfFundingArranged{command.arranged_on}};
}

Decision decide(const PlacementState& state, const OfferAgreement& command, Date today) {
  if (auto refusal = refuse_if_arranged(state)) return *refusal;
  if (auto refusal =
          check_date(command.offered_on, state.started_on, "offered_on", "the placement", today)) {
    return *refusal;
  }
  return std::vector<Event>{AgreementOffered{command.agreement_id, command.offered_on}};
}

Decision decide(const PlacementState& state, const SignAgreement& command,
                const std::vector<InterestRateCap>& caps, Date today) {
  const AgreementState* agreement = state.agreement(command.agreement_id);
  if (agreement == nullptr) return conflict("no such agreement on this placement");
  if (agreement->signed_on) return conflict("the agreement is already signed");
  if (agreement->declined_on) return conflict("the agreement was declined");
  if (auto refusal = refuse_if_arranged(state)) return *refusal;
  Rejection rejection{Rejection::Kind::invalid, "the signature breaks a rule", {}};
  if (auto bad =
          check_date(command.signed_on, agreement->offered_on, "signed_on", "offered_on", today)) {
    rejection.errors.push_back(bad->errors.at(0));
  }
  check_pence(rejection, "property_value_pence", command.property_value, 1);
  check_pence(rejection, "prior_charges_pence", command.prior_charges, 0);
  check_pence(rejection, "weekly_deferred_pence", command.weekly_deferred, 1);
  const auto cap = maximum_rate_on(caps, command.signed_on);
  if (command.interest_rate_basis_points < 0) {
    rejection.errors.push_back({"interest_rate_basis_points", "must not be negative"});
  } else if (cap && command.interest_rate_basis_points > *cap) {
    rejection.errors.push_back(
        {"interest_rate_basis_points",
         "is above the national maximum of " + std::to_string(*cap) + " for the signing date"});
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{AgreementSigned{
      command.agreement_id, command.signed_on, command.property_value, command.prior_charges,
      command.weekly_deferred, command.interest_rate_basis_points}};
}

Decision decide(const PlacementState& state, const DeclineAgreement& command, Date today) {
  const AgreementState* agreement = state.agreement(command.agreement_id);
  if (agreement == nullptr) return conflict("no such agreement on this placement");
  if (agreement->signed_on || agreement->declined_on) {
    return conflict("only an offered agreement can be declined");
  }
  if (auto refusal = check_date(command.declined_on, agreement->offered_on, "declined_on",
                                "offered_on", today)) {
    return *refusal;
  }
  return std::vector<Event>{AgreementDeclined{command.agreement_id, command.declined_on}};
}

Decision decide(const PlacementState& state, const ChargeAgreement& command,
                const std::vector<InterestRateCap>& caps, Date today) {
  const AgreementState* agreement = state.agreement(command.agreement_id);
  if (agreement == nullptr) return conflict("no such agreement on this placement");
  if (!agreement->signed_on) return conflict("only a signed agreement takes charges");
  Rejection rejection{Rejection::Kind::invalid, "the charge breaks a rule", {}};
  if (auto bad =
          check_date(command.charged_on, *agreement->signed_on, "charged_on", "signed_on", today)) {
    rejection.errors.push_back(bad->errors.at(0));
  }
  check_pence(rejection, "amount_pence", command.amount, 1);
  if (command.description.empty()) {
    rejection.errors.push_back({"description", "must not be empty"});
  }
  if (rejection.errors.empty()) {  // the balance on its date, with the charge, within bounds
    AgreementState charged = *agreement;
    charged.movements.push_back({command.charged_on, command.amount, command.description});
    if (balance_as_at(charged, caps, command.charged_on) > Pence{max_pence}) {
      rejection.errors.push_back({"amount_pence", "would take the balance on charged_on above " +
                                                      std::to_string(max_pence) + " pence"});
    }
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{AgreementCharged{command.agreement_id, command.charged_on,
                                             command.amount, command.description}};
}

Decision decide(const PlacementState& state, const RepayAgreement& command,
                const std::vector<InterestRateCap>& caps, Date today) {
  const AgreementState* agreement = state.agreement(command.agreement_id);
  if (agreement == nullptr) return conflict("no such agreement on this placement");
  if (!agreement->signed_on) return conflict("only a signed agreement takes repayments");
  Rejection rejection{Rejection::Kind::invalid, "the repayment breaks a rule", {}};
  if (auto bad =
          check_date(command.repaid_on, *agreement->signed_on, "repaid_on", "signed_on", today)) {
    rejection.errors.push_back(bad->errors.at(0));
  }
  check_pence(rejection, "amount_pence", command.amount, 1);
  if (rejection.errors.empty()) {
    const Pence owed = balance_as_at(*agreement, caps, command.repaid_on);
    if (command.amount > owed) {
      rejection.errors.push_back(
          {"amount_pence",
           "is more than the " + std::to_string(owed.value()) + " pence owed on repaid_on"});
    }
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{
      AgreementRepaid{command.agreement_id, command.repaid_on, command.amount}};
}

Decision decide(const PlacementState& state, const TerminateAgreement& command, Date today) {
  const AgreementState* agreement = state.agreement(command.agreement_id);
  if (agreement == nullptr) return conflict("no such agreement on this placement");
  if (!agreement->signed_on) return conflict("only a signed agreement can be terminated");
  if (agreement->terminated_on) return conflict("the agreement is already terminated");
  if (auto refusal = check_date(command.terminated_on, *agreement->signed_on, "terminated_on",
                                "signed_on", today)) {
    return *refusal;
  }
  return std::vector<Event>{
      AgreementTerminated{command.agreement_id, command.terminated_on, command.reason}};
}

PlacementState evolve(PlacementState state, const Event& event) {
  if (const auto* e = std::get_if<PlacementStarted>(&event)) {
    state.exists = true;
    state.id = e->placement_id;
    state.person_id = e->person_id;
    state.team = e->team;
    state.started_on = e->started_on;
    state.weekly_cost = e->weekly_cost;
    state.property_disregard = e->property_disregard;
  } else if (const auto* arranged = std::get_if<SelfFundingArranged>(&event)) {
    state.self_funding_on = arranged->arranged_on;
  } else if (const auto* offered = std::get_if<AgreementOffered>(&event)) {
    AgreementState agreement;
    agreement.id = offered->agreement_id;
    agreement.offered_on = offered->offered_on;
    state.agreements.push_back(std::move(agreement));
  } else if (const auto* s = std::get_if<AgreementSigned>(&event)) {
    if (auto* a = find(state, s->agreement_id)) {
      a->signed_on = s->signed_on;
      a->property_value = s->property_value;
      a->prior_charges = s->prior_charges;
      a->weekly_deferred = s->weekly_deferred;
      a->interest_rate_basis_points = s->interest_rate_basis_points;
    }
  } else if (const auto* declined = std::get_if<AgreementDeclined>(&event)) {
    if (auto* a = find(state, declined->agreement_id)) a->declined_on = declined->declined_on;
  } else if (const auto* charged = std::get_if<AgreementCharged>(&event)) {
    if (auto* a = find(state, charged->agreement_id)) {
      a->movements.push_back({charged->charged_on, charged->amount, charged->description});
    }
  } else if (const auto* repaid = std::get_if<AgreementRepaid>(&event)) {
    if (auto* a = find(state, repaid->agreement_id)) {
      a->movements.push_back({repaid->repaid_on, Pence{0} - repaid->amount, "repayment"});
    }
  } else if (const auto* terminated = std::get_if<AgreementTerminated>(&event)) {
    if (auto* a = find(state, terminated->agreement_id)) {
      a->terminated_on = terminated->terminated_on;
      a->termination_reason = terminated->reason;
    }
  }
  state.version = state.version.next();
  return state;
}

std::optional<int> maximum_rate_on(const std::vector<InterestRateCap>& caps, Date day) {
  std::optional<int> rate;
  for (const auto& cap : caps) {
    if (cap.from <= day) rate = cap.basis_points;
  }
  return rate;
}

Pence balance_as_at(const AgreementState& agreement, const std::vector<InterestRateCap>& caps,
                    Date day) {
  if (!agreement.signed_on || day < *agreement.signed_on) return Pence{0};
  const Date signed_on = *agreement.signed_on;
  // The movements by date: as recorded, unless some were recorded out of order.
  auto earlier = [](const Movement& a, const Movement& b) { return a.on < b.on; };
  const std::vector<Movement>* by_date = &agreement.movements;
  std::vector<Movement> sorted;
  if (!std::is_sorted(by_date->begin(), by_date->end(), earlier)) {
    sorted = *by_date;
    std::stable_sort(sorted.begin(), sorted.end(), earlier);
    by_date = &sorted;
  }
  const auto movements_end = by_date->end();
  auto next_movement = by_date->begin();
  auto rate_on = [&](Date d) {
    const auto cap = maximum_rate_on(caps, d);
    return cap ? std::min(agreement.interest_rate_basis_points, *cap)
               : agreement.interest_rate_basis_points;
  };
  // The next day after `d` that is a compounding day (1 January or 1 July).
  auto next_compounding = [](Date d) {
    const date::year_month_day ymd{d};
    const auto july = ymd.year() / date::July / 1;
    if (ymd.month() < date::July) return Date{july};
    return Date{(ymd.year() + date::years{1}) / date::January / 1};
  };
  // Weekly amounts are deferred in arrears until the termination date.
  const std::optional<Date> deferrals_end = agreement.terminated_on;

  // In 128 bits, each kept within 2^100 (far beyond any real balance; the interest a day adds
  // to that stays within 2^127): no rate, amount or length of time can overflow them.
  constexpr Wide ceiling = Wide{1} << 100;
  auto bounded = [&](Wide v) { return std::clamp(v, -ceiling, ceiling); };
  Wide balance = 0;
  Wide accrued = 0;  // interest not yet compounded, in pence / interest_divisor
  for (; next_movement != movements_end && next_movement->on <= signed_on; ++next_movement) {
    balance = bounded(balance + next_movement->amount.value());
  }
  // Day by day, only the days on which something other than interest happens are visited:
  // a deferral, a compounding, a movement, or `day` itself. On the quiet days between, the
  // closing balance does not change, nor the rate (it changes only on compounding days), so
  // their interest is the closing balance times the rate times their number.
  Date last = signed_on;  // every day up to `last` is done; `balance` is its closing balance
  Date compounding = next_compounding(last);  // the first compounding day after `last`
  while (last < day) {
    if (compounding <= last) compounding = next_compounding(last);
    // The next day on which more than a deferral can happen.
    Date barrier = std::min(day, compounding);
    if (next_movement != movements_end) barrier = std::min(barrier, next_movement->on);
    for (const auto& cap : caps) {  // configured from compounding days; any other is visited
      if (cap.from > last && cap.from < barrier) barrier = cap.from;
    }
    // Whole weeks from a deferral day with the balance above zero, up to a day before the
    // barrier (and before termination): each week's seven days of interest are on the same
    // closing balance, and the week ends with an amount deferred.
    if (balance > 0 && agreement.weekly_deferred.value() >= 0 &&
        days_between(signed_on, last) % 7 == 0) {
      const Date end = deferrals_end ? std::min(barrier, *deferrals_end) : barrier;
      const std::int64_t weeks = std::max(0, days_between(last, end) - 1) / 7;
      if (weeks > 0) {
        const Wide weekly = agreement.weekly_deferred.value();
        accrued = bounded(accrued + 7 * rate_on(last + date::days{1}) *
                                        (weeks * balance + weekly * weeks * (weeks - 1) / 2));
        balance = bounded(balance + weekly * weeks);
        last += date::days{7 * weeks};
        continue;
      }
    }
    Date next = barrier;
    const Date deferral = last + date::days{7 - days_between(signed_on, last) % 7};
    if (!deferrals_end || deferral < *deferrals_end) next = std::min(next, deferral);
    const std::int64_t quiet = days_between(last, next) - 1;
    if (quiet > 0 && balance > 0) {
      accrued = bounded(accrued + balance * rate_on(last + date::days{1}) * quiet);
    }
    // The day `next` itself, as every day after signing is done: its interest accrues on the
    // previous day's closing balance, after the interest before it is compounded.
    const Wide previous_closing = balance;
    if (next == compounding) {
      balance = bounded(balance + (accrued + interest_divisor / 2) / interest_divisor);
      accrued = 0;
    }
    if (previous_closing > 0) accrued = bounded(accrued + previous_closing * rate_on(next));
    const bool deferral_day = days_between(signed_on, next) % 7 == 0;
    const bool before_termination = !deferrals_end || next < *deferrals_end;
    if (deferral_day && before_termination) balance += agreement.weekly_deferred.value();
    for (; next_movement != movements_end && next_movement->on <= next; ++next_movement) {
      balance = bounded(balance + next_movement->amount.value());
    }
    last = next;
  }
  // Rounded half up, as divide_round_half_up (accrued is never negative); then as 64 bits,
  // pinned at their limits.
  const Wide total = balance + (accrued + interest_divisor / 2) / interest_divisor;
  return Pence{static_cast<std::int64_t>(std::clamp<Wide>(
      total, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()))};
}

std::optional<Pence> equity_limit(const AgreementState& agreement, Pence lower_capital_limit) {
  if (!agreement.signed_on) return std::nullopt;
  const Pence ninety_percent{agreement.property_value.value() * 9 / 10};
  return ninety_percent - lower_capital_limit - agreement.prior_charges;
}

}  // namespace careledger::domain
