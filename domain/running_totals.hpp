#pragma once
// What each person adds to the running totals that the figures are read from (issue 12).
//
// A figure "as at D" counts what is open on D; a figure "over [from, to]" counts what happened
// in it. Both are read from running totals: each person contributes spells (+1 from the first
// day, −1 from the day after the last) and tallies (+1 from the day it happened, never taken
// back) to named counters, and a counter's value on D is the sum of its steps dated on or
// before D. So an open spell is counted on every day it covers, and the tallies of a period
// are the counter's value at its end less its value the day before it began.
//
// A person's contributions are a pure function of their records: when any of them changes,
// the person's contributions are derived again and only the difference is stepped. The rules
// are MEASURES.md's, the same functions support_measures.cpp uses (readings 1-6, 10, 11).

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "domain/assessment_measures.hpp"
#include "domain/calendar.hpp"
#include "domain/deferred_payments.hpp"
#include "domain/request_measures.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support_measures.hpp"

namespace careledger::domain {

// The counters. The number is stored: append new ones, never renumber.
enum class Counter : int {
  long_term_clients = 1,          // spell: in long-term support (reading 1)
  reviews_denominator = 2,        // spell: LTS002b's denominator (18+, 12 months continuous)
  reviewed_since = 3,             // spell: in the denominator, keyed by the last review's day
  overdue = 4,                    // spell: review overdue (reading 5)
  overdue_over_three_years = 5,   // spell: over three years since the reference date
  ascof_2a_ended = 6,             // tally: short-term episode ended, not already in LTS
  ascof_2a_no_long_term = 7,      // tally: ... and its sequel was not long-term support
  admissions_18_64 = 8,           // tally: admission to a care home (reading 11), aged 18-64
  admissions_65_plus = 9,         // tally: ... aged 65 or more
  community_adults = 10,          // spell: 18+ in community long-term support (ASCOF 3D)
  community_self_directed = 11,   // spell: ... with self-directed support
  community_direct_payment = 12,  // spell: ... with a direct payment
  reviews_recorded = 13,          // tally: a review
  long_term_adults = 14,          // spell: 18+ in long-term support, keyed by age band, setting

  concerns_received = 20,           // tally
  enquiries_section_42 = 21,        // tally: started
  enquiries_other = 22,             // tally: started
  enquiries_concluded = 23,         // tally
  concluded_within_3_months = 24,   // tally: of the concluded (reading 9)
  risk_identified = 25,             // tally: section 42 concluded with a risk identified
  risk_reduced_or_removed = 26,     // tally: ... whose risk was reduced or removed
  outcomes_expressed = 27,          // tally: concluded; MSP, desired outcomes asked and expressed
  outcomes_not_expressed = 28,      // tally
  outcomes_not_asked = 29,          // tally
  outcomes_fully = 30,              // tally: concluded; outcomes achieved fully
  outcomes_partially = 31,          // tally
  outcomes_not_achieved = 32,       // tally
  concerns_awaiting_decision = 33,  // spell: received, not yet decided
  enquiries_open = 34,              // spell: started, not yet concluded

  assessments_requested = 40,  // tally
  assessments_completed = 41,  // tally, keyed by the days it took (requested to completed)
  waiting = 42,                // spell: the person has an open request (reading 8)
  waiting_by_band = 43,        // spell: keyed by the band of their longest wait
  waiting_by_priority = 44,    // spell: keyed by that request's priority

  disregard_ending = 50,    // spell: a disregard ends within 28 days, nothing arranged (reading 12)
  unarranged = 51,          // spell: a disregard has ended, nothing arranged
  agreements_signed = 52,   // tally: a deferred payment agreement signed
  placements_started = 53,  // tally: a permanent care-home placement started

  requests_completed = 60,  // tally: a request row of the CLD file; keyed 1 when derived
  new_clients = 61,         // tally: ... a new client's, keyed by its route of access
};

// A spell of days [from, until) (until: nullopt while open), or a tally (from: the day it
// happened, until: nullopt). `key` tells apart contributions of one counter that a figure reads
// separately (the day of the last review, as a day number); 0 otherwise.
struct Contribution {
  Counter counter = Counter::long_term_clients;
  std::int64_t key = 0;
  Date from;
  std::optional<Date> until;
  friend auto operator<=>(const Contribution&, const Contribution&) = default;
};
// A person's contributions, each with how many times it is made.
using Contributions = std::map<Contribution, int>;

// One step of a counter: `delta` added from `day` on.
struct Step {
  Counter counter = Counter::long_term_clients;
  std::int64_t key = 0;
  Date day;
  std::int64_t delta = 0;
  friend bool operator==(const Step&, const Step&) = default;
};
// The steps that turn the totals of `before` into those of `after`.
std::vector<Step> steps_between(const Contributions& before, const Contributions& after);

// One assessment request, as the waiting list and the waits read it.
struct RequestFact {
  Date requested_on;
  std::optional<Date> stopped_on;  // completed or closed, whichever came first
  Priority priority = Priority::medium;
  std::optional<Date> completed_on;
};

// Days [from, until) on which a person's review is overdue (reading 5), with what the overdue
// list shows of them; until nullopt while it still is.
struct OverdueSpell {
  Date from;
  std::optional<Date> until;
  Date due_on;
  std::optional<Date> last_reviewed_on;
  Date over_three_years_from;  // the first day it is over three years since the reference date
  friend bool operator==(const OverdueSpell&, const OverdueSpell&) = default;
};

// What one person's support episodes (either kind, any order) and reviews contribute; with
// `overdue`, their spells of overdue review too, in order.
Contributions support_contributions(Date date_of_birth, std::vector<EpisodeFact> episodes,
                                    std::vector<Date> reviews,
                                    std::vector<OverdueSpell>* overdue = nullptr);

// What one person's request rows contribute (CLD.md §8), given their long-term episodes.
Contributions request_contributions(const std::vector<RequestRow>& rows,
                                    const std::vector<EpisodeFact>& long_term);

// What one person's concerns and the enquiries they led to contribute.
Contributions safeguarding_contributions(const std::vector<ConcernFact>& concerns,
                                         const std::vector<EnquiryFact>& enquiries);
// What one person's assessment requests contribute.
Contributions assessment_contributions(const std::vector<RequestFact>& requests);
// What one person's care-home placements and their agreements contribute. An agreement's
// balance is not a running total (its interest changes every day): the balances of the
// agreements signed by a day are worked out from the agreements themselves.
Contributions placement_contributions(const std::vector<PlacementState>& placements);

inline std::int64_t day_number(Date day) {
  return day.time_since_epoch().count();
}

// The least key that takes in every key (what steps_by_key reads).
inline constexpr std::int64_t any_key = std::numeric_limits<std::int64_t>::min();

// What a computation asks of the running totals. A store that reads each ask as it comes (on
// PostgreSQL a round trip each) can be told them all first, recorded by running the
// computation once on an AskRecorder, and read them together.
struct TotalsAsks {
  std::set<std::pair<Counter, Date>> values;  // value_at: the counter on a day (every key)
  // steps_in and steps_by_key: the counter over [from, to], of the keys at or above a least key
  std::set<std::tuple<Counter, Date, Date, std::int64_t>> steps;
};

// Reads the running totals of the people a figure covers.
class RunningTotals {
 public:
  virtual ~RunningTotals() = default;
  // Reads ahead what `asks` names, for the asks that follow (a store that reads nothing ahead
  // ignores it). The answers are those of the asks made one by one.
  virtual void read_ahead(const TotalsAsks& asks) { (void)asks; }
  // The sum of the counter's steps dated on or before `day`, of this key.
  virtual std::int64_t value_at(Counter counter, Date day, std::int64_t key = 0) = 0;
  // The sum of the counter's steps dated in [from, to], of the keys at or above `key_min`.
  virtual std::int64_t steps_in(Counter counter, Date from, Date to, std::int64_t key_min) = 0;
  // The sums of the counter's steps dated in [from, to], by key, in key order.
  virtual std::vector<std::pair<std::int64_t, std::int64_t>> steps_by_key(Counter counter,
                                                                          Date from, Date to) = 0;
};

// Sums by key in key order, without those that come to 0 (what steps_by_key answers).
std::vector<std::pair<std::int64_t, std::int64_t>> nonzero_sums(
    const std::map<std::int64_t, std::int64_t>& sums);

// Answers every ask 0, and records it.
class AskRecorder final : public RunningTotals {
 public:
  std::int64_t value_at(Counter counter, Date day, std::int64_t) override {
    asks_.values.emplace(counter, day);
    return 0;
  }
  std::int64_t steps_in(Counter counter, Date from, Date to, std::int64_t key_min) override {
    asks_.steps.emplace(counter, from, to, key_min);
    return 0;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> steps_by_key(Counter counter, Date from,
                                                                  Date to) override {
    asks_.steps.emplace(counter, from, to, any_key);
    return {};
  }
  const TotalsAsks& asks() const { return asks_; }

 private:
  TotalsAsks asks_;
};

// The sum of two sets of totals: the live totals and a change to them.
class SummedTotals final : public RunningTotals {
 public:
  SummedTotals(RunningTotals& a, RunningTotals& b) : a_(a), b_(b) {}
  void read_ahead(const TotalsAsks& asks) override {
    a_.read_ahead(asks);
    b_.read_ahead(asks);
  }
  std::int64_t value_at(Counter counter, Date day, std::int64_t key) override {
    return a_.value_at(counter, day, key) + b_.value_at(counter, day, key);
  }
  std::int64_t steps_in(Counter counter, Date from, Date to, std::int64_t key_min) override {
    return a_.steps_in(counter, from, to, key_min) + b_.steps_in(counter, from, to, key_min);
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> steps_by_key(Counter counter, Date from,
                                                                  Date to) override;

 private:
  RunningTotals& a_;
  RunningTotals& b_;
};

// The support figures of [from, to] (as at `to` where the figure is as at a day), read from the
// totals: equal to support_figures(people, from, to) of the same people.
SupportFigures support_figures(RunningTotals& totals, Date from, Date to);
SafeguardingFigures safeguarding_figures(RunningTotals& totals, Date from, Date to);
AssessmentFigures assessment_figures(RunningTotals& totals, Date from, Date to);
// The deferred payment figures: people and signatures from the totals, balances and active
// agreements from `agreements` (those of the same people; the ones signed after `to` are not
// counted).
DeferredPaymentFigures deferred_payment_figures(RunningTotals& totals,
                                                const std::vector<AgreementState>& agreements,
                                                const Configuration& config, Date from, Date to);
// People in long-term support on `to`, and reviews dated in [from, to]: the monthly report's own.
long long long_term_clients(RunningTotals& totals, Date to);
RequestFigures request_figures(RunningTotals& totals, Date from, Date to);
LongTermClients long_term_clients_by(RunningTotals& totals, Date on);
long long reviews_recorded(RunningTotals& totals, Date from, Date to);

}  // namespace careledger::domain
