#include "domain/assessment_measures.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

namespace careledger::domain {

std::size_t wait_band(int days_waited) {
  std::size_t band = 0;
  for (std::size_t i = 0; i < wait_band_floors.size(); ++i) {
    if (days_waited >= wait_band_floors[i]) band = i;
  }
  return band;
}

std::vector<WaitingSpell> waiting_spells(Date requested_on, std::optional<Date> stopped_on,
                                         const std::vector<AllocationFact>& allocations) {
  auto shown_on = [&](Date day) {
    const AllocationFact* latest = nullptr;
    for (const auto& a : allocations) {  // in order recorded: a later one of a day wins
      if (a.allocated_on <= day && (!latest || a.allocated_on >= latest->allocated_on)) latest = &a;
    }
    return latest ? std::optional<std::string>(latest->practitioner) : std::nullopt;
  };
  std::vector<Date> starts{requested_on};
  for (const auto& a : allocations) {
    if (a.allocated_on > requested_on && (!stopped_on || a.allocated_on < *stopped_on)) {
      starts.push_back(a.allocated_on);
    }
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<WaitingSpell> spells;
  if (stopped_on && *stopped_on <= requested_on) return spells;
  for (const Date start : starts) {
    auto shown = shown_on(start);
    if (!spells.empty() && spells.back().allocated_to == shown) continue;  // no change
    if (!spells.empty()) spells.back().until = start;
    spells.push_back({start, stopped_on, std::move(shown)});
  }
  return spells;
}

WaitingSummary summarise_waiting(std::span<const OpenRequest> open, Date as_at) {
  std::map<PersonId, const OpenRequest*> longest;
  for (const auto& request : open) {
    auto [it, inserted] = longest.try_emplace(request.person_id, &request);
    if (inserted) continue;
    const OpenRequest& held = *it->second;
    if (request.requested_on < held.requested_on ||
        (request.requested_on == held.requested_on && request.priority < held.priority)) {
      it->second = &request;
    }
  }
  WaitingSummary summary;
  summary.people = static_cast<long long>(longest.size());
  for (const auto& [person, request] : longest) {
    ++summary.by_band[wait_band(days_between(request->requested_on, as_at))];
    ++summary.by_priority[static_cast<std::size_t>(request->priority)];
  }
  return summary;
}

CompletionStats completion_stats(std::vector<int> days) {
  CompletionStats stats;
  stats.count = static_cast<long long>(days.size());
  if (days.empty()) return stats;
  std::sort(days.begin(), days.end());
  const auto n = days.size();
  const long long total = std::accumulate(days.begin(), days.end(), 0LL);
  stats.mean = static_cast<double>(total) / static_cast<double>(n);
  stats.median = n % 2 == 1 ? static_cast<double>(days[n / 2])
                            : (static_cast<double>(days[n / 2 - 1]) + days[n / 2]) / 2.0;
  const std::size_t rank = (9 * n + 9) / 10;  // ceil(0.9 n), exact in integers
  stats.p90 = static_cast<double>(days[rank - 1]);
  return stats;
}

std::vector<Measure> assessment_measures(const AssessmentFigures& f) {
  std::vector<Measure> out;
  out.push_back(count_measure("assessments.waiting_list", f.waiting.people, Unit::people));
  const std::string by_wait = "assessments.waiting_list_by_wait";
  out.push_back(count_measure(by_wait, f.waiting.people, Unit::people));
  for (std::size_t i = 0; i < wait_band_names.size(); ++i) {
    out.push_back(count_measure(by_wait + "." + std::string(wait_band_names[i]),
                                f.waiting.by_band[i], Unit::people));
  }
  for (const auto& [priority, name] : CodeTable<Priority>::entries) {
    out.push_back(count_measure(by_wait + "." + std::string(name),
                                f.waiting.by_priority[static_cast<std::size_t>(priority)],
                                Unit::people));
  }
  const std::string average = "assessments.average_days_to_complete";
  out.push_back(Measure{average, f.completions.mean, std::nullopt, std::nullopt, Unit::days, {}});
  out.push_back(Measure{
      average + ".median", f.completions.median, std::nullopt, std::nullopt, Unit::days, {}});
  out.push_back(
      Measure{average + ".p90", f.completions.p90, std::nullopt, std::nullopt, Unit::days, {}});
  out.push_back(count_measure("assessments.completed", f.completions.count));
  out.push_back(count_measure("assessments.requested", f.requested));
  return out;
}

}  // namespace careledger::domain
