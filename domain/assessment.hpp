#pragma once
// The Care Act assessment aggregate (sections 9 and 10): requested, perhaps allocated, then
// completed or closed without completion.

#include <optional>
#include <string>
#include <vector>

#include "domain/decision.hpp"
#include "domain/events.hpp"
#include "domain/person.hpp"

namespace careledger::domain {

enum class AssessmentStatus { waiting, completed, closed };
template <>
struct CodeTable<AssessmentStatus> {
  static constexpr std::array<std::pair<AssessmentStatus, std::string_view>, 3> entries{{
      {AssessmentStatus::waiting, "waiting"},
      {AssessmentStatus::completed, "completed"},
      {AssessmentStatus::closed, "closed"},
  }};
};

// An allocation to a practitioner, as recorded (reallocation is allowed while waiting).
struct Allocation {
  Date allocated_on;
  std::string practitioner;
  friend bool operator==(const Allocation&, const Allocation&) = default;
};

struct AssessmentState {
  bool exists = false;
  AssessmentId id;
  PersonId person_id;
  Team team;
  AssessmentKind kind = AssessmentKind::needs;
  Date requested_on;
  Priority priority = Priority::medium;
  AssessmentStatus status = AssessmentStatus::waiting;
  std::optional<std::string> allocated_to;
  std::optional<Date> allocated_on;
  std::optional<Date> completed_on;
  std::optional<bool> eligible_needs;
  std::optional<Date> closed_on;
  std::optional<ClosureReason> closure_reason;
  std::optional<RequestId> request_id;  // the request whose outcome started it, if any
  std::optional<EventOutcome> outcome;  // as recorded at completion, if it was
  std::vector<Allocation> allocations;  // in the order recorded
  Version version;
  friend bool operator==(const AssessmentState&, const AssessmentState&) = default;

  // The day the request stopped waiting (completed or closed, whichever came first): it is on
  // the waiting list as at D when requested on or before D and this is after D, or absent
  // (reading: "open as at D"). The projection stores it; queries compare it with D.
  std::optional<Date> stopped_waiting_on() const;
  // Days from request to completion, once completed.
  std::optional<int> days_to_complete() const;
};

struct RequestAssessment {
  AssessmentId assessment_id;
  AssessmentKind kind = AssessmentKind::needs;
  Date requested_on;
  Priority priority = Priority::medium;
  std::optional<RequestId> request_id;
};
struct AllocateAssessment {
  std::string practitioner;
  Date allocated_on;
};
struct CompleteAssessment {
  Date completed_on;
  bool eligible_needs = false;
  std::optional<EventOutcome> outcome;  // one an assessment may have (domain/codes.hpp)
};
struct CloseAssessment {
  Date closed_on;
  ClosureReason reason = ClosureReason::withdrawn;
};

// The person must be registered; they must be 18 or over on the request date.
Decision decide(const AssessmentState& state, const RequestAssessment& command,
                const PersonState& person, Date today);
Decision decide(const AssessmentState& state, const AllocateAssessment& command, Date today);
Decision decide(const AssessmentState& state, const CompleteAssessment& command, Date today);
Decision decide(const AssessmentState& state, const CloseAssessment& command, Date today);
AssessmentState evolve(AssessmentState state, const Event& event);

}  // namespace careledger::domain
