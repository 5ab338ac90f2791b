#pragma once
// The daily view that stops unarranged disregards becoming residual debt, and the
// `deferred_payments.*` measures (MEASURES.md "Deferred payments").

#include <optional>
#include <vector>

#include "domain/configuration.hpp"
#include "domain/measure.hpp"
#include "domain/placement.hpp"

namespace careledger::domain {

inline constexpr int default_horizon_days = 28;

struct DisregardEnding {
  PersonId person_id;
  PlacementId placement_id;
  Team team;
  Date disregard_ends_on;
  int days_until = 0;
};

struct Unarranged {
  PersonId person_id;
  PlacementId placement_id;
  Team team;
  Date disregard_ended_on;
  int days_since = 0;
  Pence unrecovered_cost;  // weekly cost x whole weeks since the disregard ended
};

struct NearEquityLimit {
  AgreementId agreement_id;
  PersonId person_id;
  Team team;
  Pence balance;
  Pence equity_limit;
  double share = 0;  // a fraction, for display; the flag is decided in integers
  int flag = 70;     // 70 or 90: the share is at or above it
};

struct Attention {
  std::vector<DisregardEnding> disregard_ending;   // soonest first
  std::vector<Unarranged> unarranged;              // longest ended first
  std::vector<NearEquityLimit> near_equity_limit;  // highest share first
};

// As at `as_at`: disregards ending in (as_at, as_at + horizon] with no arrangement, disregards
// ended with no arrangement, and signed agreements not terminated at 70% or more of their limit.
Attention attention(const std::vector<PlacementState>& placements, const Configuration& config,
                    Date as_at, int horizon_days = default_horizon_days);

// Days [from, until) (until: nullopt while it lasts).
struct DaySpell {
  Date from;
  std::optional<Date> until;
  friend bool operator==(const DaySpell&, const DaySpell&) = default;
};
// The days on which `attention` looks at a placement: from its start while its disregard has
// nothing arranged (none when it has no disregard), and while an agreement is signed and not
// terminated (one set of days, in order). The two never overlap: the first signature arranges.
struct AttentionSpells {
  std::optional<DaySpell> unarranged;
  std::vector<DaySpell> signed_agreement;
};
AttentionSpells attention_spells(const PlacementState& placement);

// An agreement as at a day, as a client is shown it: before it is signed (or when it is signed
// later) it has no balance to speak of and no equity limit.
struct AgreementPosition {
  Date as_at;
  AgreementStatus status = AgreementStatus::offered;
  bool signed_by = false;  // signed on or before as_at
  Pence balance;
  std::optional<Pence> equity_limit;  // once signed
  std::optional<double> share;        // of a positive limit, as a fraction
  std::optional<int> flag;            // 70 or 90
};
AgreementPosition position_as_at(const AgreementState& agreement, const Configuration& config,
                                 Date as_at);

// 70 or 90 when the balance is at or above that share of a positive limit.
std::optional<int> equity_flag(Pence balance, Pence limit);

// The `deferred_payments.*` figures over [from, to], as-at figures at `to` (readings 12, 20),
// and the placements started in the period (the monthly report's own count).
struct DeferredPaymentFigures {
  long long disregard_ending = 0;  // people
  long long unarranged = 0;        // people
  long long active = 0;            // agreements signed, not terminated or with a balance above 0
  long long signed_in_period = 0;
  Pence outstanding;
  long long placements_started = 0;
  friend bool operator==(const DeferredPaymentFigures&, const DeferredPaymentFigures&) = default;
};

// The figures worked out from the placements themselves (those started by `to`).
DeferredPaymentFigures deferred_payment_figures(const std::vector<PlacementState>& placements,
                                                const Configuration& config, Date from, Date to);
// Adds to `figures` the active agreements and the balances as at `to` of those of `agreements`
// signed on or before it.
void add_balances(DeferredPaymentFigures& figures, const std::vector<AgreementState>& agreements,
                  const Configuration& config, Date to);

// The `deferred_payments.*` entries of /v1/measures.
std::vector<Measure> deferred_payment_measures(const DeferredPaymentFigures& figures);

}  // namespace careledger::domain
