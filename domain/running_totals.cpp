#include "domain/running_totals.hpp"

#include <algorithm>
#include <functional>

#include "domain/support.hpp"

namespace careledger::domain {

namespace {

// Days [from, until); until nullopt while open.
struct Span {
  Date from;
  std::optional<Date> until;
};

bool is_empty(const Span& s) {
  return s.until && *s.until <= s.from;
}

// The same days as `spans`, as disjoint spans in order; spans that meet are joined.
std::vector<Span> union_of(std::vector<Span> spans) {
  std::erase_if(spans, is_empty);
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.from < b.from; });
  std::vector<Span> out;
  for (const auto& s : spans) {
    if (!out.empty() && (!out.back().until || s.from <= *out.back().until)) {
      auto& last = out.back();
      last.until = last.until && s.until ? std::max(*last.until, *s.until) : std::optional<Date>{};
      continue;
    }
    out.push_back(s);
  }
  return out;
}

// The first day on or after a guess a little before it on which `holds` (monotone) holds.
Date first_day(Date guess, const std::function<bool(Date)>& holds) {
  while (holds(guess - date::days{1})) guess -= date::days{1};
  while (!holds(guess)) guess += date::days{1};
  return guess;
}

// The first day D with add_months(D, -12) >= start: 12 months of support from `start` (reading 3).
Date twelve_months_after(Date start) {
  return first_day(add_months(start, 12) - date::days{5},
                   [&](Date d) { return add_months(d, -12) >= start; });
}

Date birthday(Date date_of_birth, int age) {
  return first_day(add_months(date_of_birth, 12 * age) - date::days{5},
                   [&](Date d) { return age_on(date_of_birth, d) >= age; });
}
Date adult_from(Date date_of_birth) {
  return birthday(date_of_birth, adult_age);
}

// The days of `spans` that are not days of `minus` (both any spans), as disjoint spans.
std::vector<Span> subtract(const std::vector<Span>& spans, const std::vector<Span>& minus) {
  std::vector<Span> out = union_of(spans);
  for (const auto& m : union_of(minus)) {
    std::vector<Span> kept;
    for (const auto& s : out) {
      const bool before = m.until && *m.until <= s.from;
      const bool after = s.until && *s.until <= m.from;
      if (before || after) {
        kept.push_back(s);
        continue;
      }
      if (s.from < m.from) kept.push_back({s.from, m.from});
      if (m.until && (!s.until || *m.until < *s.until)) kept.push_back({*m.until, s.until});
    }
    out = std::move(kept);
  }
  return out;
}

// The key of Counter::long_term_adults: age band (0: 18-64, 1: 65+) by three, plus the setting
// (0 community, 1 residential, 2 nursing).
std::int64_t adult_key(int band, Setting setting) {
  return band * 3 + (setting == Setting::nursing ? 2 : setting == Setting::residential ? 1 : 0);
}

// The last review on or before `day`.
std::optional<Date> last_review(const std::vector<Date>& reviews, Date day) {
  auto it = std::upper_bound(reviews.begin(), reviews.end(), day);
  if (it == reviews.begin()) return std::nullopt;
  return *std::prev(it);
}

// `span` cut at each review day inside it, so that the last review is the same on every day
// of a piece: f(piece, last review on or before its first day).
template <typename F>
void by_last_review(const Span& span, const std::vector<Date>& reviews, F&& f) {
  Date from = span.from;
  for (auto it = std::upper_bound(reviews.begin(), reviews.end(), span.from);
       it != reviews.end() && (!span.until || *it < *span.until); ++it) {
    if (*it == from) continue;
    f(Span{from, *it}, last_review(reviews, from));
    from = *it;
  }
  f(Span{from, span.until}, last_review(reviews, from));
}

class Builder {
 public:
  void spell(Counter counter, Span span, Date not_before, std::int64_t key = 0) {
    span.from = std::max(span.from, not_before);
    if (is_empty(span)) return;
    ++out_[Contribution{counter, key, span.from, span.until}];
  }
  void spells(Counter counter, const std::vector<Span>& spans, Date not_before) {
    for (const auto& s : spans) spell(counter, s, not_before);
  }
  void tally(Counter counter, Date day, std::int64_t key = 0) {
    ++out_[Contribution{counter, key, day, std::nullopt}];
  }
  Contributions done() { return std::move(out_); }

 private:
  Contributions out_;
};

}  // namespace

std::vector<Step> steps_between(const Contributions& before, const Contributions& after) {
  std::vector<Step> steps;
  auto step = [&](const Contribution& c, int times) {
    if (times == 0) return;
    steps.push_back({c.counter, c.key, c.from, times});
    if (c.until) steps.push_back({c.counter, c.key, *c.until, -times});
  };
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      step(b->first, -b->second);
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      step(a->first, a->second);
      ++a;
    } else {
      step(a->first, a->second - b->second);
      ++a;
      ++b;
    }
  }
  return steps;
}

Contributions support_contributions(Date date_of_birth, std::vector<EpisodeFact> episodes,
                                    std::vector<Date> reviews, std::vector<OverdueSpell>* overdue) {
  std::sort(reviews.begin(), reviews.end());
  std::sort(episodes.begin(), episodes.end(),
            [](const EpisodeFact& a, const EpisodeFact& b) { return a.started_on < b.started_on; });
  std::vector<EpisodeFact> long_term;
  for (const auto& e : episodes) {
    if (e.kind == SupportKind::long_term) long_term.push_back(e);
  }
  const Date adult = adult_from(date_of_birth);
  const Date always = Date::min();
  Builder out;

  // Continuous chains (reading 2): an episode joins the chain before it when it starts no
  // more than 7 days after the chain's last end, or while any episode of it is open.
  struct Chain {
    Date start;
    std::optional<Date> end;
    std::vector<Span> episodes;
  };
  std::vector<Chain> chains;
  for (const auto& e : long_term) {
    const Span span{e.started_on, e.ended_on};
    if (!chains.empty() && (!chains.back().end || days_between(*chains.back().end, e.started_on) <=
                                                      continuity_gap_days)) {
      auto& chain = chains.back();
      if (chain.end) chain.end = e.ended_on ? std::max(*chain.end, *e.ended_on) : e.ended_on;
      chain.episodes.push_back(span);
    } else {
      chains.push_back({e.started_on, e.ended_on, {span}});
    }
  }
  for (const auto& chain : chains) {
    const Date counted_from = std::max(twelve_months_after(chain.start), adult);
    for (const auto& in_support : union_of(chain.episodes)) {
      out.spell(Counter::long_term_clients, in_support, always);
      out.spell(Counter::reviews_denominator, in_support, counted_from);
      by_last_review(in_support, reviews, [&](Span piece, std::optional<Date> last) {
        if (last) out.spell(Counter::reviewed_since, piece, counted_from, day_number(*last));
        const Date reference = last.value_or(chain.start);
        const Date due = add_months(reference, 12);
        const Date over_three_years = add_months(reference, 36) + date::days{1};
        out.spell(Counter::overdue, piece, due + date::days{1});
        out.spell(Counter::overdue_over_three_years, piece, over_three_years);
        const Span late{std::max(piece.from, due + date::days{1}), piece.until};
        if (overdue && !is_empty(late)) {
          overdue->push_back({late.from, late.until, due, last, over_three_years});
        }
      });
    }
  }

  // Adults by the highest setting of their open episodes, and by age band (the 65th birthday
  // starts a new piece).
  std::vector<Span> by_setting[3];
  for (const auto& e : long_term) {
    by_setting[adult_key(0, e.setting)].push_back({e.started_on, e.ended_on});
  }
  const auto nursing = union_of(by_setting[2]);
  auto above_community = by_setting[2];
  above_community.insert(above_community.end(), by_setting[1].begin(), by_setting[1].end());
  const std::pair<Setting, std::vector<Span>> highest[] = {
      {Setting::nursing, nursing},
      {Setting::residential, subtract(by_setting[1], by_setting[2])},
      {Setting::community, subtract(by_setting[0], above_community)}};
  const Date older = birthday(date_of_birth, older_age);
  for (const auto& [setting, spans] : highest) {
    for (const auto& s : spans) {
      out.spell(Counter::long_term_adults, {s.from, s.until ? std::min(*s.until, older) : older},
                adult, adult_key(0, setting));
      out.spell(Counter::long_term_adults, s, std::max(adult, older), adult_key(1, setting));
    }
  }

  std::vector<Span> community, self_directed, direct_payment;
  for (const auto& e : long_term) {
    if (e.setting != Setting::community) continue;
    community.push_back({e.started_on, e.ended_on});
    if (e.delivery != Delivery::council_arranged)
      self_directed.push_back({e.started_on, e.ended_on});
    if (e.delivery == Delivery::direct_payment)
      direct_payment.push_back({e.started_on, e.ended_on});
  }
  out.spells(Counter::community_adults, union_of(community), adult);
  out.spells(Counter::community_self_directed, union_of(self_directed), adult);
  out.spells(Counter::community_direct_payment, union_of(direct_payment), adult);

  for (const auto& e : episodes) {
    if (!e.is_st_max() || !e.ended_on) continue;
    if (in_long_term_support_on(long_term, e.started_on)) continue;
    out.tally(Counter::ascof_2a_ended, *e.ended_on);
    if (e.sequel != Sequel::long_term_support)
      out.tally(Counter::ascof_2a_no_long_term, *e.ended_on);
  }
  for (const auto& e : long_term) {
    if (!is_admission(e, long_term)) continue;
    const int age = age_on(date_of_birth, e.started_on);
    if (age >= older_age) {
      out.tally(Counter::admissions_65_plus, e.started_on);
    } else if (age >= adult_age) {
      out.tally(Counter::admissions_18_64, e.started_on);
    }
  }
  for (const auto& day : reviews) out.tally(Counter::reviews_recorded, day);
  return out.done();
}

Contributions request_contributions(const std::vector<RequestRow>& rows,
                                    const std::vector<EpisodeFact>& long_term) {
  Builder out;
  for (const auto& row : rows) {
    out.tally(Counter::requests_completed, row.counted_on, row.derived ? 1 : 0);
    if (is_new_client(row, long_term)) {
      out.tally(Counter::new_clients, row.counted_on, static_cast<std::int64_t>(row.route));
    }
  }
  return out.done();
}

Contributions safeguarding_contributions(const std::vector<ConcernFact>& concerns,
                                         const std::vector<EnquiryFact>& enquiries) {
  Builder out;
  const Date always = Date::min();
  for (const auto& c : concerns) {
    out.tally(Counter::concerns_received, c.received_on);
    out.spell(Counter::concerns_awaiting_decision, {c.received_on, c.decided_on}, always);
  }
  for (const auto& e : enquiries) {
    out.tally(e.kind == EnquiryKind::section_42 ? Counter::enquiries_section_42
                                                : Counter::enquiries_other,
              e.started_on);
    out.spell(Counter::enquiries_open, {e.started_on, e.concluded_on}, always);
    if (!e.concluded_on) continue;
    const Date on = *e.concluded_on;
    out.tally(Counter::enquiries_concluded, on);
    if (concluded_within_3_months(e)) out.tally(Counter::concluded_within_3_months, on);
    if (counts_for_risk(e)) out.tally(Counter::risk_identified, on);
    if (counts_for_risk(e) && risk_reduced_or_removed(e)) {
      out.tally(Counter::risk_reduced_or_removed, on);
    }
    switch (e.outcomes_asked.value_or(OutcomesAsked::not_asked)) {
      case OutcomesAsked::expressed:
        out.tally(Counter::outcomes_expressed, on);
        break;
      case OutcomesAsked::not_expressed:
        out.tally(Counter::outcomes_not_expressed, on);
        break;
      case OutcomesAsked::not_asked:
        out.tally(Counter::outcomes_not_asked, on);
        break;
    }
    if (e.outcomes_achieved == OutcomesAchieved::fully) out.tally(Counter::outcomes_fully, on);
    if (e.outcomes_achieved == OutcomesAchieved::partially) {
      out.tally(Counter::outcomes_partially, on);
    }
    if (e.outcomes_achieved == OutcomesAchieved::not_achieved) {
      out.tally(Counter::outcomes_not_achieved, on);
    }
  }
  return out.done();
}

Contributions assessment_contributions(const std::vector<RequestFact>& requests) {
  Builder out;
  std::vector<Date> changes;
  for (const auto& r : requests) {
    out.tally(Counter::assessments_requested, r.requested_on);
    if (r.completed_on) {
      out.tally(Counter::assessments_completed, *r.completed_on,
                days_between(r.requested_on, *r.completed_on));
    }
    changes.push_back(r.requested_on);
    if (r.stopped_on) changes.push_back(*r.stopped_on);
  }
  std::sort(changes.begin(), changes.end());
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());

  // Between two changes the open requests are the same; the person waits under the longest
  // (on a tie, the higher priority) of them (readings 8, 21). Pieces under the same request
  // are joined.
  struct Piece {
    Span days;
    const RequestFact* longest;
  };
  std::vector<Piece> pieces;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const Date day = changes[i];
    const RequestFact* longest = nullptr;
    for (const auto& r : requests) {
      if (r.requested_on > day || (r.stopped_on && *r.stopped_on <= day)) continue;
      if (!longest || r.requested_on < longest->requested_on ||
          (r.requested_on == longest->requested_on && r.priority < longest->priority)) {
        longest = &r;
      }
    }
    if (!longest) continue;
    const std::optional<Date> until =
        i + 1 < changes.size() ? std::optional<Date>(changes[i + 1]) : std::nullopt;
    if (!pieces.empty() && pieces.back().days.until == day &&
        pieces.back().longest->requested_on == longest->requested_on &&
        pieces.back().longest->priority == longest->priority) {
      pieces.back().days.until = until;
    } else {
      pieces.push_back({{day, until}, longest});
    }
  }
  for (const auto& [days, longest] : pieces) {
    out.spell(Counter::waiting, days, Date::min());
    out.spell(Counter::waiting_by_priority, days, Date::min(),
              static_cast<std::int64_t>(longest->priority));
    for (std::size_t band = 0; band < wait_band_floors.size(); ++band) {
      Span in_band = days;
      const Date band_from = longest->requested_on + date::days{wait_band_floors[band]};
      if (band + 1 < wait_band_floors.size()) {
        const Date band_until = longest->requested_on + date::days{wait_band_floors[band + 1]};
        if (!in_band.until || *in_band.until > band_until) in_band.until = band_until;
      }
      out.spell(Counter::waiting_by_band, in_band, band_from, static_cast<std::int64_t>(band));
    }
  }
  return out.done();
}

Contributions placement_contributions(const std::vector<PlacementState>& placements) {
  Builder out;
  std::vector<Span> ending, unarranged;
  for (const auto& p : placements) {
    out.tally(Counter::placements_started, p.started_on);
    for (const auto& a : p.agreements) {
      if (a.signed_on) out.tally(Counter::agreements_signed, *a.signed_on);
    }
    const auto ends = p.disregard_ends_on();
    if (!ends) continue;
    // Counted on a day before the first arrangement: in the 28 days before the disregard ends
    // (reading 12's horizon), then from the day it ends.
    const auto arranged = p.arranged_on();
    auto before_arranged = [&](Date until) {
      return arranged && *arranged < until ? *arranged : until;
    };
    ending.push_back({*ends - date::days{default_horizon_days}, before_arranged(*ends)});
    unarranged.push_back({*ends, arranged});
  }
  // People, not placements: a person's spells are joined.
  out.spells(Counter::disregard_ending, union_of(ending), Date::min());
  out.spells(Counter::unarranged, union_of(unarranged), Date::min());
  return out.done();
}

DeferredPaymentFigures deferred_payment_figures(RunningTotals& totals,
                                                const std::vector<AgreementState>& agreements,
                                                const Configuration& config, Date from, Date to) {
  DeferredPaymentFigures f;
  f.disregard_ending = totals.value_at(Counter::disregard_ending, to);
  f.unarranged = totals.value_at(Counter::unarranged, to);
  f.signed_in_period = totals.steps_in(Counter::agreements_signed, from, to, 0);
  f.placements_started = totals.steps_in(Counter::placements_started, from, to, 0);
  add_balances(f, agreements, config, to);
  return f;
}

std::vector<std::pair<std::int64_t, std::int64_t>> SummedTotals::steps_by_key(Counter counter,
                                                                              Date from, Date to) {
  std::map<std::int64_t, std::int64_t> sums;
  for (auto* totals : {&a_, &b_}) {
    for (const auto& [key, sum] : totals->steps_by_key(counter, from, to)) sums[key] += sum;
  }
  return nonzero_sums(sums);
}

std::vector<std::pair<std::int64_t, std::int64_t>> nonzero_sums(
    const std::map<std::int64_t, std::int64_t>& sums) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& [key, sum] : sums) {
    if (sum != 0) out.emplace_back(key, sum);
  }
  return out;
}

SafeguardingFigures safeguarding_figures(RunningTotals& totals, Date from, Date to) {
  auto in_period = [&](Counter c) { return totals.steps_in(c, from, to, 0); };
  SafeguardingFigures f;
  f.received = in_period(Counter::concerns_received);
  f.section_42 = in_period(Counter::enquiries_section_42);
  f.other = in_period(Counter::enquiries_other);
  f.concluded = in_period(Counter::enquiries_concluded);
  f.within_3_months = in_period(Counter::concluded_within_3_months);
  f.risk_identified = in_period(Counter::risk_identified);
  f.risk_reduced_or_removed = in_period(Counter::risk_reduced_or_removed);
  f.expressed = in_period(Counter::outcomes_expressed);
  f.not_expressed = in_period(Counter::outcomes_not_expressed);
  f.not_asked = in_period(Counter::outcomes_not_asked);
  f.fully = in_period(Counter::outcomes_fully);
  f.partially = in_period(Counter::outcomes_partially);
  f.not_achieved = in_period(Counter::outcomes_not_achieved);
  f.open_concerns = totals.value_at(Counter::concerns_awaiting_decision, to);
  f.open_enquiries = totals.value_at(Counter::enquiries_open, to);
  return f;
}

AssessmentFigures assessment_figures(RunningTotals& totals, Date from, Date to) {
  AssessmentFigures f;
  f.waiting.people = totals.value_at(Counter::waiting, to);
  for (std::size_t band = 0; band < f.waiting.by_band.size(); ++band) {
    f.waiting.by_band[band] =
        totals.value_at(Counter::waiting_by_band, to, static_cast<std::int64_t>(band));
  }
  for (std::size_t priority = 0; priority < f.waiting.by_priority.size(); ++priority) {
    f.waiting.by_priority[priority] =
        totals.value_at(Counter::waiting_by_priority, to, static_cast<std::int64_t>(priority));
  }
  std::vector<int> days;
  for (const auto& [took, times] : totals.steps_by_key(Counter::assessments_completed, from, to)) {
    days.insert(days.end(), static_cast<std::size_t>(times), static_cast<int>(took));
  }
  f.completions = completion_stats(std::move(days));
  f.requested = totals.steps_in(Counter::assessments_requested, from, to, 0);
  return f;
}

SupportFigures support_figures(RunningTotals& totals, Date from, Date to) {
  auto in_period = [&](Counter c) { return totals.steps_in(c, from, to, 0); };
  SupportFigures f;
  f.reviewed.denominator = totals.value_at(Counter::reviews_denominator, to);
  // A spell keyed by a review on or after `from` starts on or after it: its steps up to `to`
  // are all dated in [from, to].
  f.reviewed.numerator = totals.steps_in(Counter::reviewed_since, from, to, day_number(from));
  f.overdue = totals.value_at(Counter::overdue, to);
  f.overdue_over_three_years = totals.value_at(Counter::overdue_over_three_years, to);
  f.ascof_2a.denominator = in_period(Counter::ascof_2a_ended);
  f.ascof_2a.numerator = in_period(Counter::ascof_2a_no_long_term);
  f.admissions.age_18_64 = in_period(Counter::admissions_18_64);
  f.admissions.age_65_plus = in_period(Counter::admissions_65_plus);
  f.self_directed.people = totals.value_at(Counter::community_adults, to);
  f.self_directed.self_directed = totals.value_at(Counter::community_self_directed, to);
  f.self_directed.direct_payment = totals.value_at(Counter::community_direct_payment, to);
  return f;
}

RequestFigures request_figures(RunningTotals& totals, Date from, Date to) {
  RequestFigures f;
  f.completed = totals.steps_in(Counter::requests_completed, from, to, 0);
  f.derived = totals.steps_in(Counter::requests_completed, from, to, 1);
  for (const auto& [route, n] : totals.steps_by_key(Counter::new_clients, from, to)) {
    f.new_clients += n;
    f.new_clients_by_route[static_cast<RouteOfAccess>(route)] = n;
  }
  return f;
}

LongTermClients long_term_clients_by(RunningTotals& totals, Date on) {
  LongTermClients c;
  for (int band = 0; band < 2; ++band) {
    for (const Setting setting : {Setting::community, Setting::residential, Setting::nursing}) {
      const auto n = totals.value_at(Counter::long_term_adults, on, adult_key(band, setting));
      (band == 0 ? c.age_18_64 : c.age_65_plus) += n;
      (setting == Setting::nursing       ? c.nursing
       : setting == Setting::residential ? c.residential
                                         : c.community) += n;
    }
  }
  return c;
}

long long long_term_clients(RunningTotals& totals, Date to) {
  return totals.value_at(Counter::long_term_clients, to);
}

long long reviews_recorded(RunningTotals& totals, Date from, Date to) {
  return totals.steps_in(Counter::reviews_recorded, from, to, 0);
}

}  // namespace careledger::domain
