#pragma once
// The assessment measures of MEASURES.md as pure functions of the facts they count.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/measure.hpp"
#include "domain/strong.hpp"

namespace careledger::domain {

// An assessment request open (neither completed nor closed) as at the date in question.
// One open assessment on the waiting list as at a date.
struct WaitingItem {
  AssessmentId assessment_id;
  PersonId person_id;
  Team team;
  Priority priority = Priority::medium;
  Date requested_on;
  std::optional<std::string> allocated_to;  // the latest allocation dated on or before it
};

// One allocation of a request, in the order recorded.
struct AllocationFact {
  Date allocated_on;
  std::string practitioner;
};
// Days [from, until) a request is on the waiting list (until: nullopt while it is), with the
// practitioner shown beside it then: the latest allocation dated on or before the day (of two
// dated the same day, the later recorded).
struct WaitingSpell {
  Date from;
  std::optional<Date> until;
  std::optional<std::string> allocated_to;
  friend bool operator==(const WaitingSpell&, const WaitingSpell&) = default;
};
// From the day it was asked for until it stopped waiting, split where the practitioner shown
// changes; none when it stopped waiting on the day it was asked for.
std::vector<WaitingSpell> waiting_spells(Date requested_on, std::optional<Date> stopped_on,
                                         const std::vector<AllocationFact>& allocations);

struct OpenRequest {
  PersonId person_id;
  Date requested_on;
  Priority priority = Priority::medium;
};

// Bands of days waited: 0-27, 28-89, 90-179, 180-364, 365+.
inline constexpr std::array<int, 5> wait_band_floors{0, 28, 90, 180, 365};
inline constexpr std::array<std::string_view, 5> wait_band_names{
    "days_0_27", "days_28_89", "days_90_179", "days_180_364", "days_365_plus"};
std::size_t wait_band(int days_waited);

struct WaitingSummary {
  long long people = 0;
  std::array<long long, 5> by_band{};
  std::array<long long, 4> by_priority{};  // indexed by Priority
  friend bool operator==(const WaitingSummary&, const WaitingSummary&) = default;
};

// Each person once, under their earliest open request (on a tie, the higher priority).
WaitingSummary summarise_waiting(std::span<const OpenRequest> open, Date as_at);

struct CompletionStats {
  long long count = 0;
  std::optional<double> mean;
  std::optional<double> median;
  std::optional<double> p90;  // nearest rank: the ceil(0.9 n)-th smallest
  friend bool operator==(const CompletionStats&, const CompletionStats&) = default;
};
CompletionStats completion_stats(std::vector<int> days_to_complete);

struct AssessmentFigures {
  WaitingSummary waiting;       // as at the period end
  CompletionStats completions;  // completions within the period
  long long requested = 0;      // requests within the period
  friend bool operator==(const AssessmentFigures&, const AssessmentFigures&) = default;
};

// The `assessments.*` entries of /v1/measures, in MEASURES.md's order, parts after each whole.
std::vector<Measure> assessment_measures(const AssessmentFigures& figures);

}  // namespace careledger::domain
