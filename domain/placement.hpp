#pragma once
// Permanent care-home placements and their deferred payment agreements (DOMAIN.md "Deferred
// payment agreements"): the 12-week property disregard, self-funding, and each agreement's
// life from offer to termination.

#include <optional>
#include <string>
#include <vector>

#include "domain/configuration.hpp"
#include "domain/decision.hpp"
#include "domain/events.hpp"
#include "domain/money.hpp"
#include "domain/person.hpp"

namespace careledger::domain {

inline constexpr int disregard_days = 84;  // 12 weeks

// An administration charge (adds to the balance) or a repayment (takes from it).
struct Movement {
  Date on;
  Pence amount;  // positive for a charge, negative for a repayment
  std::string description;
  friend bool operator==(const Movement&, const Movement&) = default;
};

enum class AgreementStatus { offered, is_signed, declined, terminated };
template <>
struct CodeTable<AgreementStatus> {
  static constexpr std::array<std::pair<AgreementStatus, std::string_view>, 4> entries{{
      {AgreementStatus::offered, "offered"},
      {AgreementStatus::is_signed, "signed"},
      {AgreementStatus::declined, "declined"},
      {AgreementStatus::terminated, "terminated"},
  }};
};

struct AgreementState {
  AgreementId id;
  Date offered_on;
  std::optional<Date> signed_on;
  Pence property_value;
  Pence prior_charges;
  Pence weekly_deferred;
  int interest_rate_basis_points = 0;
  std::optional<Date> declined_on;
  std::optional<Date> terminated_on;
  std::optional<TerminationReason> termination_reason;
  std::vector<Movement> movements;  // in the order recorded
  friend bool operator==(const AgreementState&, const AgreementState&) = default;

  AgreementStatus status_as_at(Date day) const;
  bool signed_by(Date day) const { return signed_on && *signed_on <= day; }
};

struct PlacementState {
  bool exists = false;
  PlacementId id;
  PersonId person_id;
  Team team;
  Date started_on;
  Pence weekly_cost;
  bool property_disregard = false;
  std::optional<Date> self_funding_on;
  std::vector<AgreementState> agreements;
  Version version;
  friend bool operator==(const PlacementState&, const PlacementState&) = default;

  // Start + 84 days when the property is disregarded.
  std::optional<Date> disregard_ends_on() const;
  // The first day self-funding was arranged or an agreement signed.
  std::optional<Date> arranged_on() const;
  const AgreementState* agreement(const AgreementId& id) const;
};

struct StartPlacement {
  PlacementId placement_id;
  Date started_on;
  Pence weekly_cost;
  bool property_disregard = false;
};
struct ArrangeSelfFunding {
  Date arranged_on;
};
struct OfferAgreement {
  AgreementId agreement_id;
  Date offered_on;
};
struct SignAgreement {
  AgreementId agreement_id;
  Date signed_on;
  Pence property_value;
  Pence prior_charges;
  Pence weekly_deferred;
  int interest_rate_basis_points = 0;
};
struct DeclineAgreement {
  AgreementId agreement_id;
  Date declined_on;
};
struct ChargeAgreement {
  AgreementId agreement_id;
  Date charged_on;
  Pence amount;
  std::string description;
};
struct RepayAgreement {
  AgreementId agreement_id;
  Date repaid_on;
  Pence amount;
};
struct TerminateAgreement {
  AgreementId agreement_id;
  Date terminated_on;
  TerminationReason reason = TerminationReason::other;
};

Decision decide(const PlacementState& state, const StartPlacement& command,
                const PersonState& person, Date today);
Decision decide(const PlacementState& state, const ArrangeSelfFunding& command, Date today);
Decision decide(const PlacementState& state, const OfferAgreement& command, Date today);
// A rate above the maximum configured for the signing date's half-year is refused.
Decision decide(const PlacementState& state, const SignAgreement& command,
                const std::vector<InterestRateCap>& caps, Date today);
Decision decide(const PlacementState& state, const DeclineAgreement& command, Date today);
// A charge may not take the balance on its date above max_pence; a repayment may not be more
// than the balance owed on its date.
Decision decide(const PlacementState& state, const ChargeAgreement& command,
                const std::vector<InterestRateCap>& caps, Date today);
Decision decide(const PlacementState& state, const RepayAgreement& command,
                const std::vector<InterestRateCap>& caps, Date today);
Decision decide(const PlacementState& state, const TerminateAgreement& command, Date today);
PlacementState evolve(PlacementState state, const Event& event);

// 1 January and 1 July: the days interest is compounded and a national maximum rate may change.
bool is_compounding_day(Date day);

// The national maximum rate in force on `day`, if any is configured by then.
std::optional<int> maximum_rate_on(const std::vector<InterestRateCap>& caps, Date day);

// The agreement's balance as at `day` (MEASURES.md readings 12, 20, 22): weekly amounts
// deferred in arrears until termination, charges and repayments on their dates, simple daily
// interest on the previous day's closing balance at min(rate, cap)/365 while it is above zero,
// compounded on 1 January and 1 July (rounded half up), plus interest accrued since, rounded
// half up. Integer arithmetic throughout.
Pence balance_as_at(const AgreementState& agreement, const std::vector<InterestRateCap>& caps,
                    Date day);

// 90% of the property value (rounded down to the penny) - lower capital limit - prior charges.
std::optional<Pence> equity_limit(const AgreementState& agreement, Pence lower_capital_limit);

}  // namespace careledger::domain
