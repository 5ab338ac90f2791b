#pragma once
// A request for support (CLD's Request event, CLD.md §4): received by a route of access, then
// decided once, perhaps by progressing to an assessment.

#include <optional>

#include "domain/decision.hpp"
#include "domain/events.hpp"
#include "domain/person.hpp"

namespace careledger::domain {

enum class RequestStatus { open, completed };
template <>
struct CodeTable<RequestStatus> {
  static constexpr std::array<std::pair<RequestStatus, std::string_view>, 2> entries{{
      {RequestStatus::open, "open"},
      {RequestStatus::completed, "completed"},
  }};
};

struct RequestState {
  bool exists = false;
  RequestId id;
  PersonId person_id;
  Team team;
  Date received_on;
  RouteOfAccess route_of_access = RouteOfAccess::community_other;
  RequestStatus status = RequestStatus::open;
  std::optional<Date> decided_on;
  std::optional<EventOutcome> outcome;
  std::optional<AssessmentId> assessment_id;
  Version version;
  friend bool operator==(const RequestState&, const RequestState&) = default;
};

struct ReceiveRequest {
  RequestId request_id;
  Date received_on;
  RouteOfAccess route_of_access = RouteOfAccess::community_other;
};
struct DecideRequest {
  Date decided_on;
  EventOutcome outcome = EventOutcome::nfa_other;
  // The assessment it starts: exactly when the outcome is progress to assessment.
  std::optional<AssessmentId> assessment_id;
};

// The person must be registered and 18 or over on the day the request is received.
Decision decide(const RequestState& state, const ReceiveRequest& command, const PersonState& person,
                Date today);
Decision decide(const RequestState& state, const DecideRequest& command, Date today);
RequestState evolve(RequestState state, const Event& event);

}  // namespace careledger::domain
