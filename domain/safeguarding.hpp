#pragma once
// Safeguarding (Care Act section 42): a concern, the decision on it, and the enquiry that the
// decision may start, concluded with its risk outcome and Making Safeguarding Personal.
// A concern and its enquiry are one aggregate, so a decision that starts an enquiry is one
// atomic append.

#include <optional>
#include <vector>

#include "domain/decision.hpp"
#include "domain/events.hpp"
#include "domain/person.hpp"

namespace careledger::domain {

struct EnquiryState {
  EnquiryId id;
  EnquiryKind kind = EnquiryKind::section_42;
  Date started_on;
  std::optional<Date> concluded_on;
  std::optional<RiskIdentified> risk_identified;
  std::optional<RiskOutcome> risk_outcome;
  std::optional<OutcomesAsked> outcomes_asked;
  std::optional<OutcomesAchieved> outcomes_achieved;
  friend bool operator==(const EnquiryState&, const EnquiryState&) = default;
};

struct ConcernState {
  bool exists = false;
  ConcernId id;
  PersonId person_id;
  Team team;
  Date received_on;
  ConcernSource source = ConcernSource::other;
  std::vector<AbuseType> abuse_types;
  RiskLocation location = RiskLocation::other;
  std::optional<Date> decided_on;
  std::optional<ConcernOutcome> outcome;
  std::optional<EnquiryState> enquiry;
  Version version;
  friend bool operator==(const ConcernState&, const ConcernState&) = default;
};

struct ReceiveConcern {
  ConcernId concern_id;
  Date received_on;
  ConcernSource source = ConcernSource::other;
  std::vector<AbuseType> abuse_types;  // at least one; repeats are dropped
  RiskLocation location = RiskLocation::other;
};
struct DecideConcern {
  Date decided_on;
  ConcernOutcome outcome = ConcernOutcome::no_further_action;
  EnquiryId enquiry_id;  // used when the decision starts an enquiry
};
struct ConcludeEnquiry {
  Date concluded_on;
  RiskIdentified risk_identified = RiskIdentified::no;
  std::optional<RiskOutcome> risk_outcome;  // exactly when a risk was identified
  OutcomesAsked outcomes_asked = OutcomesAsked::not_asked;
  std::optional<OutcomesAchieved> outcomes_achieved;  // exactly when outcomes were expressed
};

Decision decide(const ConcernState& state, const ReceiveConcern& command, const PersonState& person,
                Date today);
Decision decide(const ConcernState& state, const DecideConcern& command, Date today);
Decision decide(const ConcernState& state, const ConcludeEnquiry& command, Date today);
ConcernState evolve(ConcernState state, const Event& event);

std::optional<EnquiryKind> enquiry_kind_of(ConcernOutcome outcome);

}  // namespace careledger::domain
