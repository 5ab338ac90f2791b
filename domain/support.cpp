#include "domain/support.hpp"

namespace careledger::domain {

Decision decide(const SupportEpisodeState& state, const StartSupport& command,
                const PersonState& person, Date today) {
  if (state.exists) return conflict("the support episode already exists");
  if (command.started_on > today) return invalid("started_on", "must not be in the future");
  if (command.short_term_type && command.kind != SupportKind::short_term) {
    return invalid("short_term_type", "is only for short-term support");
  }
  return std::vector<Event>{SupportStarted{command.episode_id, person.id, person.team, command.kind,
                                           command.setting, command.delivery, command.started_on,
                                           command.short_term_type, command.service_component}};
}

Decision decide(const SupportEpisodeState& state, const EndSupport& command, Date today) {
  if (state.ended_on) return conflict("the support episode has already ended");
  Rejection rejection{Rejection::Kind::invalid, "the end of support breaks a rule", {}};
  if (command.ended_on > today) {
    rejection.errors.push_back({"ended_on", "must not be in the future"});
  } else if (command.ended_on < state.started_on) {
    rejection.errors.push_back({"ended_on", "must not be before started_on"});
  }
  if (state.kind == SupportKind::short_term && !command.sequel) {
    rejection.errors.push_back({"sequel", "is required when short-term support ends"});
  }
  if (state.kind == SupportKind::long_term && command.sequel) {
    rejection.errors.push_back({"sequel", "is only for short-term support"});
  }
  if (command.end_reason && !outcome_allowed(*command.end_reason, OutcomeOf::episode_end)) {
    rejection.errors.push_back({"end_reason", "is not an outcome of the end of support"});
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{SupportEnded{command.ended_on, command.sequel, command.end_reason}};
}

SupportEpisodeState evolve(SupportEpisodeState state, const Event& event) {
  if (const auto* started = std::get_if<SupportStarted>(&event)) {
    state.exists = true;
    state.id = started->episode_id;
    state.person_id = started->person_id;
    state.team = started->team;
    state.kind = started->kind;
    state.setting = started->setting;
    state.delivery = started->delivery;
    state.started_on = started->started_on;
    state.short_term_type = started->short_term_type;
    state.service_component = started->service_component;
  } else if (const auto* ended = std::get_if<SupportEnded>(&event)) {
    state.ended_on = ended->ended_on;
    state.sequel = ended->sequel;
    state.end_reason = ended->end_reason;
  }
  state.version = state.version.next();
  return state;
}

Decision decide(const ReviewState& state, const RecordReview& command, const PersonState& person,
                bool in_long_term_support, Date today) {
  if (state.exists) return conflict("the review already exists");
  if (command.reviewed_on > today) return invalid("reviewed_on", "must not be in the future");
  if (!in_long_term_support) {
    return invalid("reviewed_on", "the person is not in long-term support on this date");
  }
  if (command.planned && command.review_reason) {
    return invalid("review_reason",
                   "is only for unplanned reviews (a planned review's is Planned)");
  }
  return std::vector<Event>{ReviewRecorded{command.review_id, person.id, person.team,
                                           command.reviewed_on, command.planned, command.outcome,
                                           command.review_reason, command.outcomes_achieved}};
}

ReviewState evolve(ReviewState state, const Event& event) {
  if (const auto* e = std::get_if<ReviewRecorded>(&event)) {
    state.exists = true;
    state.id = e->review_id;
    state.person_id = e->person_id;
    state.team = e->team;
    state.reviewed_on = e->reviewed_on;
    state.planned = e->planned;
    state.outcome = e->outcome;
    state.review_reason = e->review_reason;
    state.outcomes_achieved = e->outcomes_achieved;
  }
  state.version = state.version.next();
  return state;
}

}  // namespace careledger::domain
