#include "domain/support_measures.hpp"

#include <algorithm>

#include "domain/support.hpp"

namespace careledger::domain {

namespace {

bool is_care_home(Setting setting) {
  return setting == Setting::residential || setting == Setting::nursing;
}

bool reviewed_between(const std::vector<Date>& reviews, Date from, Date to) {
  auto it = std::lower_bound(reviews.begin(), reviews.end(), from);
  return it != reviews.end() && *it <= to;
}

std::optional<Date> last_review_on_or_before(const std::vector<Date>& reviews, Date day) {
  auto it = std::upper_bound(reviews.begin(), reviews.end(), day);
  if (it == reviews.begin()) return std::nullopt;
  return *std::prev(it);
}

Measure per_100000(std::string id, long long admissions, const std::optional<long long>& population,
                   const char* band, bool team_filtered) {
  Measure m{std::move(id), std::nullopt,     static_cast<double>(admissions),
            std::nullopt,  Unit::per_100000, {}};
  if (team_filtered) {
    m.detail = "the population is council-wide, so a team has no rate";
  } else if (!population) {
    m.detail = std::string("no population configured for age band ") + band;
  } else {
    m.denominator = static_cast<double>(*population);
    if (*population > 0) m.value = 100000.0 * static_cast<double>(admissions) / *population;
  }
  return m;
}

}  // namespace

bool is_admission(const EpisodeFact& episode, const std::vector<EpisodeFact>& long_term) {
  if (!is_care_home(episode.setting)) return false;
  return std::none_of(long_term.begin(), long_term.end(), [&](const EpisodeFact& other) {
    return &other != &episode && is_care_home(other.setting) &&
           other.ended_on == episode.started_on;
  });
}

SupportByPerson group_by_person(std::vector<EpisodeFact> episodes,
                                const std::vector<ReviewFact>& reviews) {
  std::sort(episodes.begin(), episodes.end(),
            [](const EpisodeFact& a, const EpisodeFact& b) { return a.started_on < b.started_on; });
  SupportByPerson people;
  for (auto& episode : episodes) {
    auto& person = people[episode.person_id];
    person.team = episode.team;
    person.date_of_birth = episode.date_of_birth;
    (episode.kind == SupportKind::long_term ? person.long_term : person.short_term)
        .push_back(std::move(episode));
  }
  for (const auto& review : reviews) {
    auto it = people.find(review.person_id);
    if (it != people.end()) it->second.reviews.push_back(review.reviewed_on);
  }
  for (auto& [id, person] : people) std::sort(person.reviews.begin(), person.reviews.end());
  return people;
}

std::optional<Date> chain_start_on(const std::vector<EpisodeFact>& long_term, Date day) {
  std::optional<Date> start;
  std::optional<Date> end;  // nullopt while the chain is still open as at `day`
  for (const auto& episode : long_term) {
    if (episode.started_on > day) break;
    const std::optional<Date> ends =
        episode.ended_on && *episode.ended_on <= day ? episode.ended_on : std::nullopt;
    const bool joins =
        start && (!end || days_between(*end, episode.started_on) <= continuity_gap_days);
    if (!joins) {
      start = episode.started_on;
      end = ends;
    } else if (end) {
      end = ends ? std::max(*end, *ends) : ends;
    }
  }
  if (!start || end) return std::nullopt;  // no episode open on `day`
  return start;
}

bool in_long_term_support_on(const std::vector<EpisodeFact>& long_term, Date day) {
  return std::any_of(long_term.begin(), long_term.end(), [&](const EpisodeFact& e) {
    return in_support_on(e.started_on, e.ended_on, day);
  });
}

Ratio long_term_reviewed(const SupportByPerson& people, Date from, Date to) {
  Ratio ratio;
  const Date twelve_months_before = add_months(to, -12);
  for (const auto& [id, person] : people) {
    if (age_on(person.date_of_birth, to) < adult_age) continue;
    const auto start = chain_start_on(person.long_term, to);
    if (!start || *start > twelve_months_before) continue;
    ++ratio.denominator;
    if (reviewed_between(person.reviews, from, to)) ++ratio.numerator;
  }
  return ratio;
}

std::vector<OverdueReview> overdue_reviews(const SupportByPerson& people, Date as_at) {
  std::vector<OverdueReview> out;
  for (const auto& [id, person] : people) {
    const auto start = chain_start_on(person.long_term, as_at);
    if (!start) continue;
    const auto last = last_review_on_or_before(person.reviews, as_at);
    const Date reference = last ? *last : *start;
    const Date due = add_months(reference, 12);
    if (as_at <= due) continue;
    out.push_back(OverdueReview{id, person.team, last, due, days_between(due, as_at),
                                as_at > add_months(reference, 36)});
  }
  std::sort(out.begin(), out.end(), [](const OverdueReview& a, const OverdueReview& b) {
    if (a.days_overdue != b.days_overdue) return a.days_overdue > b.days_overdue;
    return a.person_id < b.person_id;
  });
  return out;
}

bool EpisodeFact::is_st_max() const {
  return domain::is_st_max(kind, short_term_type);
}

Ratio ascof_2a(const SupportByPerson& people, Date from, Date to) {
  Ratio ratio;
  for (const auto& [id, person] : people) {
    for (const auto& episode : person.short_term) {
      if (!episode.is_st_max()) continue;
      if (!episode.ended_on || *episode.ended_on < from || *episode.ended_on > to) continue;
      if (in_long_term_support_on(person.long_term, episode.started_on)) continue;
      ++ratio.denominator;
      if (episode.sequel != Sequel::long_term_support) ++ratio.numerator;
    }
  }
  return ratio;
}

Admissions admissions(const SupportByPerson& people, Date from, Date to) {
  Admissions out;
  for (const auto& [id, person] : people) {
    for (const auto& episode : person.long_term) {
      if (episode.started_on < from || episode.started_on > to) continue;
      if (!is_admission(episode, person.long_term)) continue;
      const int age = age_on(person.date_of_birth, episode.started_on);
      if (age >= older_age) {
        ++out.age_65_plus;
      } else if (age >= adult_age) {
        ++out.age_18_64;
      }
    }
  }
  return out;
}

SelfDirected self_directed_support(const SupportByPerson& people, Date as_at) {
  SelfDirected out;
  for (const auto& [id, person] : people) {
    if (age_on(person.date_of_birth, as_at) < adult_age) continue;
    bool community = false, self_directed = false, direct_payment = false;
    for (const auto& e : person.long_term) {
      if (e.setting != Setting::community || !in_support_on(e.started_on, e.ended_on, as_at)) {
        continue;
      }
      community = true;
      self_directed = self_directed || e.delivery != Delivery::council_arranged;
      direct_payment = direct_payment || e.delivery == Delivery::direct_payment;
    }
    out.people += community;
    out.self_directed += self_directed;
    out.direct_payment += direct_payment;
  }
  return out;
}

SupportFigures support_figures(const SupportByPerson& people, Date from, Date to) {
  SupportFigures f;
  f.reviewed = long_term_reviewed(people, from, to);
  for (const auto& item : overdue_reviews(people, to)) {
    ++f.overdue;
    f.overdue_over_three_years += item.over_three_years;
  }
  f.ascof_2a = ascof_2a(people, from, to);
  f.admissions = admissions(people, from, to);
  f.self_directed = self_directed_support(people, to);
  return f;
}

std::vector<Measure> review_measures(const SupportFigures& f) {
  return {
      rate_measure("reviews.long_term_12_months_reviewed", f.reviewed.numerator,
                   f.reviewed.denominator),
      count_measure("reviews.overdue", f.overdue, Unit::people),
      count_measure("reviews.overdue.over_three_years", f.overdue_over_three_years, Unit::people),
  };
}

std::vector<Measure> ascof_measures(const SupportFigures& f, const Population& population,
                                    bool team_filtered) {
  return {
      rate_measure("ascof.2a", f.ascof_2a.numerator, f.ascof_2a.denominator),
      per_100000("ascof.2b", f.admissions.age_18_64, population.age_18_64, "18-64", team_filtered),
      per_100000("ascof.2c", f.admissions.age_65_plus, population.age_65_plus, "65+",
                 team_filtered),
      count_measure("ascof.3d", f.self_directed.people, Unit::people),
      rate_measure("ascof.3d.part_1a", f.self_directed.self_directed, f.self_directed.people),
      rate_measure("ascof.3d.part_2a", f.self_directed.direct_payment, f.self_directed.people),
  };
}

}  // namespace careledger::domain
