#include "domain/deferred_payments.hpp"

#include <algorithm>
#include <set>

namespace careledger::domain {

namespace {

bool arranged_by(const PlacementState& placement, Date day) {
  const auto arranged = placement.arranged_on();
  return arranged && *arranged <= day;
}

// Days from `as_at` to the end of the placement's disregard (0 or less once it has ended), for
// a placement begun by `as_at` whose disregard has no arrangement by then.
std::optional<int> unarranged_disregard(const PlacementState& p, Date as_at) {
  const auto ends = p.disregard_ends_on();
  if (p.started_on > as_at || !ends || arranged_by(p, as_at)) return std::nullopt;
  return days_between(as_at, *ends);
}

}  // namespace

AgreementPosition position_as_at(const AgreementState& agreement, const Configuration& config,
                                 Date as_at) {
  AgreementPosition position;
  position.as_at = as_at;
  position.status = agreement.status_as_at(as_at);
  position.signed_by = agreement.signed_by(as_at);
  position.balance = balance_as_at(agreement, config.maximum_interest_rates, as_at);
  if (!position.signed_by) return position;
  position.equity_limit = equity_limit(agreement, Pence{config.lower_capital_limit_pence});
  if (position.equity_limit && *position.equity_limit > Pence{0}) {
    position.share = static_cast<double>(position.balance.value()) /
                     static_cast<double>(position.equity_limit->value());
    position.flag = equity_flag(position.balance, *position.equity_limit);
  }
  return position;
}

std::optional<int> equity_flag(Pence balance, Pence limit) {
  if (limit <= Pence{0}) return std::nullopt;
  // Ten times any balance fits in Wide.
  const Wide b = Wide{balance.value()} * 10;
  if (b >= Wide{limit.value()} * 9) return 90;
  if (b >= Wide{limit.value()} * 7) return 70;
  return std::nullopt;
}

Attention attention(const std::vector<PlacementState>& placements, const Configuration& config,
                    Date as_at, int horizon_days) {
  Attention out;
  const Pence lower_capital_limit{config.lower_capital_limit_pence};
  for (const auto& p : placements) {
    if (p.started_on > as_at) continue;
    if (const auto days = unarranged_disregard(p, as_at)) {
      const Date ends = *p.disregard_ends_on();
      if (*days > 0 && *days <= horizon_days) {
        out.disregard_ending.push_back({p.person_id, p.id, p.team, ends, *days});
      } else if (*days <= 0) {
        const int since = -*days;
        out.unarranged.push_back(
            {p.person_id, p.id, p.team, ends, since, p.weekly_cost * (since / 7)});
      }
    }
    for (const auto& a : p.agreements) {
      if (a.status_as_at(as_at) != AgreementStatus::is_signed) continue;
      const Pence balance = balance_as_at(a, config.maximum_interest_rates, as_at);
      const Pence limit = *equity_limit(a, lower_capital_limit);
      if (const auto flag = equity_flag(balance, limit)) {
        out.near_equity_limit.push_back(
            {a.id, p.person_id, p.team, balance, limit,
             static_cast<double>(balance.value()) / static_cast<double>(limit.value()), *flag});
      }
    }
  }
  std::sort(out.disregard_ending.begin(), out.disregard_ending.end(),
            [](const auto& a, const auto& b) {
              return std::tie(a.disregard_ends_on, a.placement_id) <
                     std::tie(b.disregard_ends_on, b.placement_id);
            });
  std::sort(out.unarranged.begin(), out.unarranged.end(), [](const auto& a, const auto& b) {
    if (a.days_since != b.days_since) return a.days_since > b.days_since;
    return a.placement_id < b.placement_id;
  });
  std::sort(out.near_equity_limit.begin(), out.near_equity_limit.end(),
            [](const auto& a, const auto& b) {
              if (a.share != b.share) return a.share > b.share;
              return a.agreement_id < b.agreement_id;
            });
  return out;
}

AttentionSpells attention_spells(const PlacementState& p) {
  AttentionSpells out;
  const auto arranged = p.arranged_on();
  if (p.property_disregard && (!arranged || *arranged > p.started_on)) {
    out.unarranged = DaySpell{p.started_on, arranged};
  }
  std::vector<DaySpell> spells;
  for (const auto& a : p.agreements) {
    if (!a.signed_on) continue;
    const Date from = std::max(*a.signed_on, p.started_on);  // nothing before the placement
    if (!a.terminated_on || *a.terminated_on > from) spells.push_back({from, a.terminated_on});
  }
  // As one set of days: spells that overlap or meet are joined.
  std::sort(spells.begin(), spells.end(),
            [](const DaySpell& a, const DaySpell& b) { return a.from < b.from; });
  auto& joined = out.signed_agreement;
  for (const auto& s : spells) {
    if (!joined.empty() && (!joined.back().until || s.from <= *joined.back().until)) {
      auto& last = joined.back();
      if (last.until && (!s.until || *s.until > *last.until)) last.until = s.until;
    } else {
      joined.push_back(s);
    }
  }
  return out;
}

DeferredPaymentFigures deferred_payment_figures(const std::vector<PlacementState>& placements,
                                                const Configuration& config, Date from, Date to) {
  // People counted once; balances are worked out once per agreement, below.
  std::set<PersonId> ending, unarranged;
  DeferredPaymentFigures figures;
  std::vector<AgreementState> signed_by_to;
  for (const auto& p : placements) {
    const auto days = unarranged_disregard(p, to);
    if (days && *days > 0 && *days <= default_horizon_days) ending.insert(p.person_id);
    if (days && *days <= 0) unarranged.insert(p.person_id);
    figures.placements_started += from <= p.started_on && p.started_on <= to;
    for (const auto& a : p.agreements) {
      if (!a.signed_on) continue;
      if (from <= *a.signed_on && *a.signed_on <= to) ++figures.signed_in_period;
      if (*a.signed_on <= to) signed_by_to.push_back(a);
    }
  }
  figures.disregard_ending = static_cast<long long>(ending.size());
  figures.unarranged = static_cast<long long>(unarranged.size());
  add_balances(figures, signed_by_to, config, to);
  return figures;
}

void add_balances(DeferredPaymentFigures& figures, const std::vector<AgreementState>& agreements,
                  const Configuration& config, Date to) {
  for (const auto& a : agreements) {
    if (!a.signed_by(to)) continue;
    const Pence balance = balance_as_at(a, config.maximum_interest_rates, to);
    figures.outstanding += balance;
    const bool terminated = a.terminated_on && *a.terminated_on <= to;
    if (!terminated || balance > Pence{0}) ++figures.active;
  }
}

std::vector<Measure> deferred_payment_measures(const DeferredPaymentFigures& f) {
  return {
      count_measure("deferred_payments.disregard_ending", f.disregard_ending, Unit::people),
      count_measure("deferred_payments.unarranged", f.unarranged, Unit::people),
      count_measure("deferred_payments.active", f.active),
      count_measure("deferred_payments.signed", f.signed_in_period),
      count_measure("deferred_payments.total_outstanding", f.outstanding.value(), Unit::pence),
  };
}

}  // namespace careledger::domain
