#include "domain/assessment.hpp"

#include <algorithm>

namespace careledger::domain {

namespace {

constexpr int adult_age = 18;

// Completed and closed assessments are final: nothing moves them on.
std::optional<Rejection> refuse_if_final(const AssessmentState& state) {
  if (state.status == AssessmentStatus::completed) {
    return conflict("the assessment is already completed");
  }
  if (state.status == AssessmentStatus::closed) return conflict("the assessment is closed");
  return std::nullopt;
}

// A date on the assessment's timeline: not in the future, not before the request.
std::optional<Rejection> check_timeline_date(const AssessmentState& state, Date day,
                                             const std::string& field, Date today) {
  if (day > today) return invalid(field, "must not be in the future");
  if (day < state.requested_on) return invalid(field, "must not be before requested_on");
  return std::nullopt;
}

}  // namespace

Decision decide(const AssessmentState& state, const RequestAssessment& command,
                const PersonState& person, Date today) {
  if (state.exists) return conflict("the assessment already exists");
  if (command.requested_on > today) return invalid("requested_on", "must not be in the future");
  if (age_on(person.date_of_birth, command.requested_on) < adult_age) {
    return invalid("requested_on", "the person must be 18 or over on the request date");
  }
  return std::vector<Event>{AssessmentRequested{command.assessment_id, person.id, person.team,
                                                command.kind, command.requested_on,
                                                command.priority, command.request_id}};
}

Decision decide(const AssessmentState& state, const AllocateAssessment& command, Date today) {
  if (auto refusal = refuse_if_final(state)) return *refusal;
  if (command.practitioner.empty()) return invalid("practitioner", "must not be empty");
  if (auto refusal = check_timeline_date(state, command.allocated_on, "allocated_on", today)) {
    return *refusal;
  }
  return std::vector<Event>{AssessmentAllocated{command.practitioner, command.allocated_on}};
}

Decision decide(const AssessmentState& state, const CompleteAssessment& command, Date today) {
  if (auto refusal = refuse_if_final(state)) return *refusal;
  if (auto refusal = check_timeline_date(state, command.completed_on, "completed_on", today)) {
    return *refusal;
  }
  if (command.outcome && !outcome_allowed(*command.outcome, OutcomeOf::assessment)) {
    return invalid("outcome", "is not an outcome of an assessment");
  }
  return std::vector<Event>{
      AssessmentCompleted{command.completed_on, command.eligible_needs, command.outcome}};
}

Decision decide(const AssessmentState& state, const CloseAssessment& command, Date today) {
  if (auto refusal = refuse_if_final(state)) return *refusal;
  if (auto refusal = check_timeline_date(state, command.closed_on, "closed_on", today)) {
    return *refusal;
  }
  return std::vector<Event>{AssessmentClosed{command.closed_on, command.reason}};
}

AssessmentState evolve(AssessmentState state, const Event& event) {
  if (const auto* e = std::get_if<AssessmentRequested>(&event)) {
    state.exists = true;
    state.id = e->assessment_id;
    state.person_id = e->person_id;
    state.team = e->team;
    state.kind = e->kind;
    state.requested_on = e->requested_on;
    state.priority = e->priority;
    state.status = AssessmentStatus::waiting;
    state.request_id = e->request_id;
  } else if (const auto* allocated = std::get_if<AssessmentAllocated>(&event)) {
    state.allocated_to = allocated->practitioner;
    state.allocated_on = allocated->allocated_on;
    state.allocations.push_back({allocated->allocated_on, allocated->practitioner});
  } else if (const auto* completed = std::get_if<AssessmentCompleted>(&event)) {
    state.status = AssessmentStatus::completed;
    state.completed_on = completed->completed_on;
    state.eligible_needs = completed->eligible_needs;
    state.outcome = completed->outcome;
  } else if (const auto* closed = std::get_if<AssessmentClosed>(&event)) {
    state.status = AssessmentStatus::closed;
    state.closed_on = closed->closed_on;
    state.closure_reason = closed->reason;
  }
  state.version = state.version.next();
  return state;
}

std::optional<Date> AssessmentState::stopped_waiting_on() const {
  if (completed_on && closed_on) return std::min(*completed_on, *closed_on);
  return completed_on ? completed_on : closed_on;
}

std::optional<int> AssessmentState::days_to_complete() const {
  if (!completed_on) return std::nullopt;
  return days_between(requested_on, *completed_on);
}

}  // namespace careledger::domain
