#pragma once
// Support episodes (long-term support, and short-term support to maximise independence) and
// reviews of people in long-term support.

#include <optional>

#include "domain/decision.hpp"
#include "domain/events.hpp"
#include "domain/person.hpp"

namespace careledger::domain {

struct SupportEpisodeState {
  bool exists = false;
  SupportEpisodeId id;
  PersonId person_id;
  Team team;
  SupportKind kind = SupportKind::long_term;
  Setting setting = Setting::community;
  Delivery delivery = Delivery::council_arranged;
  Date started_on;
  std::optional<Date> ended_on;
  std::optional<Sequel> sequel;
  std::optional<ShortTermType> short_term_type;
  std::optional<ServiceComponent> service_component;
  std::optional<EventOutcome> end_reason;
  Version version;
  friend bool operator==(const SupportEpisodeState&, const SupportEpisodeState&) = default;
};

struct StartSupport {
  SupportEpisodeId episode_id;
  SupportKind kind = SupportKind::long_term;
  Setting setting = Setting::community;
  Delivery delivery = Delivery::council_arranged;
  Date started_on;
  std::optional<ShortTermType> short_term_type;  // short-term support only
  std::optional<ServiceComponent> service_component;
};
struct EndSupport {
  Date ended_on;
  std::optional<Sequel> sequel;
  std::optional<EventOutcome> end_reason;  // one an episode's end may have (domain/codes.hpp)
};

Decision decide(const SupportEpisodeState& state, const StartSupport& command,
                const PersonState& person, Date today);
// The sequel is required for short-term support and refused for long-term support.
Decision decide(const SupportEpisodeState& state, const EndSupport& command, Date today);
SupportEpisodeState evolve(SupportEpisodeState state, const Event& event);

// Short-term support to maximise independence (ST-Max): short-term support recorded as such, or
// of no recorded type (CLD.md §4); not ongoing low-level or other short-term support.
inline bool is_st_max(SupportKind kind, const std::optional<ShortTermType>& short_term_type) {
  return kind == SupportKind::short_term &&
         short_term_type.value_or(ShortTermType::st_max) == ShortTermType::st_max;
}

// In support on `day`: started on or before it and not ended by it (an episode that ended on
// `day` is over as at `day`).
inline bool in_support_on(Date started_on, const std::optional<Date>& ended_on, Date day) {
  return started_on <= day && (!ended_on || *ended_on > day);
}

struct ReviewState {
  bool exists = false;
  ReviewId id;
  PersonId person_id;
  Team team;
  Date reviewed_on;
  bool planned = true;
  ReviewOutcome outcome = ReviewOutcome::no_change;
  std::optional<ReviewReason> review_reason;
  std::optional<OutcomesMet> outcomes_achieved;
  Version version;
  friend bool operator==(const ReviewState&, const ReviewState&) = default;
};

struct RecordReview {
  ReviewId review_id;
  Date reviewed_on;
  bool planned = true;
  ReviewOutcome outcome = ReviewOutcome::no_change;
  std::optional<ReviewReason> review_reason;  // unplanned reviews only
  std::optional<OutcomesMet> outcomes_achieved;
};

// `in_long_term_support` says whether the person is in long-term support on reviewed_on.
Decision decide(const ReviewState& state, const RecordReview& command, const PersonState& person,
                bool in_long_term_support, Date today);
ReviewState evolve(ReviewState state, const Event& event);

}  // namespace careledger::domain
