#pragma once
// The review and outcomes-framework measures of MEASURES.md as pure functions of the support
// episodes and reviews they count (readings 1-6, 10, 11, 17, 19).

#include <map>
#include <optional>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/measure.hpp"
#include "domain/strong.hpp"

namespace careledger::domain {

// One support episode with what the measures need of its person.
struct EpisodeFact {
  PersonId person_id;
  Team team;  // the person's
  Date date_of_birth;
  SupportKind kind = SupportKind::long_term;
  Setting setting = Setting::community;
  Delivery delivery = Delivery::council_arranged;
  Date started_on;
  std::optional<Date> ended_on;
  std::optional<Sequel> sequel;
  std::optional<ShortTermType> short_term_type;  // short-term: ST-Max unless recorded otherwise

  // Short-term support to maximise independence (ST-Max), which ASCOF 2A counts (reading 10
  // as CLD.md §4 reads it): not ongoing low-level or other short-term support.
  bool is_st_max() const;
};

struct ReviewFact {
  PersonId person_id;
  Date reviewed_on;
};

// Each person's episodes (sorted by start) and review dates (sorted).
struct PersonSupport {
  Team team;
  Date date_of_birth;
  std::vector<EpisodeFact> long_term;
  std::vector<EpisodeFact> short_term;
  std::vector<Date> reviews;
};
using SupportByPerson = std::map<PersonId, PersonSupport>;
SupportByPerson group_by_person(std::vector<EpisodeFact> episodes,
                                const std::vector<ReviewFact>& reviews);

// Adults, and older people, by age in whole years (reading 6).
inline constexpr int adult_age = 18;
inline constexpr int older_age = 65;
// An admission to long-term residential or nursing care (reading 11): such an episode, unless
// another of the person's care-home episodes ended the day it started (a move between them).
bool is_admission(const EpisodeFact& episode, const std::vector<EpisodeFact>& long_term);

// Days allowed between one long-term episode's end and the next one's start for the support
// to count as continuous.
inline constexpr int continuity_gap_days = 7;

// The start of the continuous chain of long-term episodes that covers `day`, if the person is
// in long-term support on `day` (episodes sorted by start).
std::optional<Date> chain_start_on(const std::vector<EpisodeFact>& long_term, Date day);
bool in_long_term_support_on(const std::vector<EpisodeFact>& long_term, Date day);

struct Ratio {
  long long numerator = 0;
  long long denominator = 0;
  friend bool operator==(const Ratio&, const Ratio&) = default;
};

// SALT LTS002b over [from, to]: people 18+ at `to` in continuous long-term support for the
// 12 months to `to`; of them, those reviewed in [from, to].
Ratio long_term_reviewed(const SupportByPerson& people, Date from, Date to);

struct OverdueReview {
  PersonId person_id;
  Team team;
  std::optional<Date> last_reviewed_on;
  Date due_on;
  int days_overdue = 0;
  bool over_three_years = false;
};
// Most overdue first, then by person id.
std::vector<OverdueReview> overdue_reviews(const SupportByPerson& people, Date as_at);

// ASCOF 2A: short-term episodes ended in [from, to] of people not in long-term support on the
// episode's first day; numerator those whose sequel was not long-term support.
Ratio ascof_2a(const SupportByPerson& people, Date from, Date to);

struct Admissions {
  long long age_18_64 = 0;
  long long age_65_plus = 0;
};
// Long-term residential or nursing episodes starting in [from, to], except moves between
// residential and nursing care (another such episode of the person ending that day).
Admissions admissions(const SupportByPerson& people, Date from, Date to);

struct SelfDirected {
  long long people = 0;          // 18+ in community long-term support on the day
  long long self_directed = 0;   // of them: direct payment, managed budget or ISF
  long long direct_payment = 0;  // of them: direct payment
};
SelfDirected self_directed_support(const SupportByPerson& people, Date as_at);

struct Population {
  std::optional<long long> age_18_64;
  std::optional<long long> age_65_plus;
};

struct SupportFigures {
  Ratio reviewed;
  long long overdue = 0;
  long long overdue_over_three_years = 0;
  Ratio ascof_2a;
  Admissions admissions;
  SelfDirected self_directed;
};
SupportFigures support_figures(const SupportByPerson& people, Date from, Date to);

// `reviews.*` entries, in MEASURES.md's order.
std::vector<Measure> review_measures(const SupportFigures& figures);
// `ascof.*` entries; with a team filter the per-population rates have no value (reading 19).
std::vector<Measure> ascof_measures(const SupportFigures& figures, const Population& population,
                                    bool team_filtered);

}  // namespace careledger::domain
