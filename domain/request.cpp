#include "domain/request.hpp"

namespace careledger::domain {

Decision decide(const RequestState& state, const ReceiveRequest& command, const PersonState& person,
                Date today) {
  if (state.exists) return conflict("the request already exists");
  if (command.received_on > today) return invalid("received_on", "must not be in the future");
  if (age_on(person.date_of_birth, command.received_on) < 18) {
    return invalid("received_on", "the person must be 18 or over on the day received");
  }
  return std::vector<Event>{RequestReceived{command.request_id, person.id, person.team,
                                            command.received_on, command.route_of_access}};
}

Decision decide(const RequestState& state, const DecideRequest& command, Date today) {
  if (state.status == RequestStatus::completed) return conflict("the request is already decided");
  Rejection rejection{Rejection::Kind::invalid, "the outcome of the request breaks a rule", {}};
  if (command.decided_on > today) {
    rejection.errors.push_back({"decided_on", "must not be in the future"});
  } else if (command.decided_on < state.received_on) {
    rejection.errors.push_back({"decided_on", "must not be before received_on"});
  }
  if (!outcome_allowed(command.outcome, OutcomeOf::request)) {
    rejection.errors.push_back({"outcome", "is not an outcome of a request"});
  }
  const bool to_assessment = command.outcome == EventOutcome::progress_to_assessment;
  if (to_assessment && !command.assessment_id) {
    rejection.errors.push_back(
        {"assessment", "is required when the outcome is progress_to_assessment"});
  } else if (!to_assessment && command.assessment_id) {
    rejection.errors.push_back({"assessment", "is only for the outcome progress_to_assessment"});
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{
      RequestDecided{command.decided_on, command.outcome, command.assessment_id}};
}

RequestState evolve(RequestState state, const Event& event) {
  if (const auto* received = std::get_if<RequestReceived>(&event)) {
    state.exists = true;
    state.id = received->request_id;
    state.person_id = received->person_id;
    state.team = received->team;
    state.received_on = received->received_on;
    state.route_of_access = received->route_of_access;
  } else if (const auto* decided = std::get_if<RequestDecided>(&event)) {
    state.status = RequestStatus::completed;
    state.decided_on = decided->decided_on;
    state.outcome = decided->outcome;
    state.assessment_id = decided->assessment_id;
  }
  state.version = state.version.next();
  return state;
}

}  // namespace careledger::domain
