#include "domain/safeguarding.hpp"

#include <algorithm>

namespace careledger::domain {

std::optional<EnquiryKind> enquiry_kind_of(ConcernOutcome outcome) {
  switch (outcome) {
    case ConcernOutcome::section_42_enquiry:
      return EnquiryKind::section_42;
    case ConcernOutcome::other_enquiry:
      return EnquiryKind::other;
    case ConcernOutcome::no_further_action:
      return std::nullopt;
  }
  return std::nullopt;
}

Decision decide(const ConcernState& state, const ReceiveConcern& command, const PersonState& person,
                Date today) {
  if (state.exists) return conflict("the concern already exists");
  Rejection rejection{Rejection::Kind::invalid, "the concern breaks a rule", {}};
  if (command.received_on > today) {
    rejection.errors.push_back({"received_on", "must not be in the future"});
  }
  if (command.abuse_types.empty()) {
    rejection.errors.push_back({"abuse_types", "must name at least one type of abuse or neglect"});
  }
  if (!rejection.errors.empty()) return rejection;
  std::vector<AbuseType> types;
  for (auto type : command.abuse_types) {
    if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
  }
  return std::vector<Event>{ConcernReceived{command.concern_id, person.id, person.team,
                                            command.received_on, command.source, std::move(types),
                                            command.location}};
}

Decision decide(const ConcernState& state, const DecideConcern& command, Date today) {
  if (state.decided_on) return conflict("the concern has already been decided");
  if (command.decided_on > today) return invalid("decided_on", "must not be in the future");
  if (command.decided_on < state.received_on) {
    return invalid("decided_on", "must not be before received_on");
  }
  std::optional<EnquiryId> enquiry;
  if (enquiry_kind_of(command.outcome)) enquiry = command.enquiry_id;
  return std::vector<Event>{ConcernDecided{command.decided_on, command.outcome, enquiry}};
}

Decision decide(const ConcernState& state, const ConcludeEnquiry& command, Date today) {
  if (!state.enquiry) return conflict("no enquiry was started on this concern");
  const EnquiryState& enquiry = *state.enquiry;
  if (enquiry.concluded_on) return conflict("the enquiry is already concluded");
  Rejection rejection{Rejection::Kind::invalid, "the conclusion breaks a rule", {}};
  if (command.concluded_on > today) {
    rejection.errors.push_back({"concluded_on", "must not be in the future"});
  } else if (command.concluded_on < enquiry.started_on) {
    rejection.errors.push_back({"concluded_on", "must not be before the enquiry started"});
  }
  const bool risk = command.risk_identified == RiskIdentified::yes;
  if (risk && !command.risk_outcome) {
    rejection.errors.push_back({"risk_outcome", "is required when a risk was identified"});
  }
  if (!risk && command.risk_outcome) {
    rejection.errors.push_back({"risk_outcome", "is only for an identified risk"});
  }
  const bool expressed = command.outcomes_asked == OutcomesAsked::expressed;
  if (expressed && !command.outcomes_achieved) {
    rejection.errors.push_back(
        {"outcomes_achieved", "is required when desired outcomes were expressed"});
  }
  if (!expressed && command.outcomes_achieved) {
    rejection.errors.push_back({"outcomes_achieved", "is only for expressed outcomes"});
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{EnquiryConcluded{enquiry.id, command.concluded_on,
                                             command.risk_identified, command.risk_outcome,
                                             command.outcomes_asked, command.outcomes_achieved}};
}

ConcernState evolve(ConcernState state, const Event& event) {
  if (const auto* received = std::get_if<ConcernReceived>(&event)) {
    state.exists = true;
    state.id = received->concern_id;
    state.person_id = received->person_id;
    state.team = received->team;
    state.received_on = received->received_on;
    state.source = received->source;
    state.abuse_types = received->abuse_types;
    state.location = received->location;
  } else if (const auto* decided = std::get_if<ConcernDecided>(&event)) {
    state.decided_on = decided->decided_on;
    state.outcome = decided->outcome;
    if (auto kind = enquiry_kind_of(decided->outcome); kind && decided->enquiry_id) {
      state.enquiry =
          EnquiryState{*decided->enquiry_id, *kind, decided->decided_on, {}, {}, {}, {}, {}};
    }
  } else if (const auto* concluded = std::get_if<EnquiryConcluded>(&event)) {
    if (state.enquiry) {
      state.enquiry->concluded_on = concluded->concluded_on;
      state.enquiry->risk_identified = concluded->risk_identified;
      state.enquiry->risk_outcome = concluded->risk_outcome;
      state.enquiry->outcomes_asked = concluded->outcomes_asked;
      state.enquiry->outcomes_achieved = concluded->outcomes_achieved;
    }
  }
  state.version = state.version.next();
  return state;
}

}  // namespace careledger::domain
