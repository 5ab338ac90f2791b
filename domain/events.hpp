#pragma once
// Every fact careledger records. An event is immutable; its envelope (stream, version, who,
// when recorded) is added by the event store.

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/strong.hpp"

namespace careledger::domain {

// What is held about a person, as recorded and as read.
struct PersonDetails {
  std::string given_name;
  std::string family_name;
  Date date_of_birth;
  Team team;
  std::optional<std::string> nhs_number;
  ClientType client_type = ClientType::service_user;
  std::optional<SupportReason> primary_support_reason;
  friend bool operator==(const PersonDetails&, const PersonDetails&) = default;
};

struct PersonRegistered : PersonDetails {
  static constexpr std::string_view type = "person_registered";
  PersonId person_id;
  Date registered_on;
};

struct AssessmentRequested {
  static constexpr std::string_view type = "assessment_requested";
  AssessmentId assessment_id;
  PersonId person_id;
  Team team;
  AssessmentKind kind = AssessmentKind::needs;
  Date requested_on;
  Priority priority = Priority::medium;
};

struct AssessmentAllocated {
  static constexpr std::string_view type = "assessment_allocated";
  std::string practitioner;
  Date allocated_on;
};

struct AssessmentCompleted {
  static constexpr std::string_view type = "assessment_completed";
  Date completed_on;
  bool eligible_needs = false;
};

struct AssessmentClosed {
  static constexpr std::string_view type = "assessment_closed";
  Date closed_on;
  ClosureReason reason = ClosureReason::withdrawn;
};

struct SupportStarted {
  static constexpr std::string_view type = "support_started";
  SupportEpisodeId episode_id;
  PersonId person_id;
  Team team;
  SupportKind kind = SupportKind::long_term;
  Setting setting = Setting::community;
  Delivery delivery = Delivery::council_arranged;
  Date started_on;
};

struct SupportEnded {
  static constexpr std::string_view type = "support_ended";
  Date ended_on;
  std::optional<Sequel> sequel;  // short-term support only
};

struct ReviewRecorded {
  static constexpr std::string_view type = "review_recorded";
  ReviewId review_id;
  PersonId person_id;
  Team team;
  Date reviewed_on;
  bool planned = true;
  ReviewOutcome outcome = ReviewOutcome::no_change;
};

struct ConcernReceived {
  static constexpr std::string_view type = "safeguarding_concern_received";
  ConcernId concern_id;
  PersonId person_id;
  Team team;
  Date received_on;
  ConcernSource source = ConcernSource::other;
  std::vector<AbuseType> abuse_types;
  RiskLocation location = RiskLocation::other;
};

// The decision on a concern; an enquiry starts on the decision date unless no further action.
struct ConcernDecided {
  static constexpr std::string_view type = "safeguarding_concern_decided";
  Date decided_on;
  ConcernOutcome outcome = ConcernOutcome::no_further_action;
  std::optional<EnquiryId> enquiry_id;
};

struct EnquiryConcluded {
  static constexpr std::string_view type = "safeguarding_enquiry_concluded";
  EnquiryId enquiry_id;
  Date concluded_on;
  RiskIdentified risk_identified = RiskIdentified::no;
  std::optional<RiskOutcome> risk_outcome;
  OutcomesAsked outcomes_asked = OutcomesAsked::not_asked;
  std::optional<OutcomesAchieved> outcomes_achieved;
};

using Event = std::variant<PersonRegistered, AssessmentRequested, AssessmentAllocated,
                           AssessmentCompleted, AssessmentClosed, SupportStarted, SupportEnded,
                           ReviewRecorded, ConcernReceived, ConcernDecided, EnquiryConcluded>;

// The date the fact happened (UK calendar date).
inline Date occurred_on(const Event& event) {
  struct Visitor {
    Date operator()(const PersonRegistered& e) const { return e.registered_on; }
    Date operator()(const AssessmentRequested& e) const { return e.requested_on; }
    Date operator()(const AssessmentAllocated& e) const { return e.allocated_on; }
    Date operator()(const AssessmentCompleted& e) const { return e.completed_on; }
    Date operator()(const AssessmentClosed& e) const { return e.closed_on; }
    Date operator()(const SupportStarted& e) const { return e.started_on; }
    Date operator()(const SupportEnded& e) const { return e.ended_on; }
    Date operator()(const ReviewRecorded& e) const { return e.reviewed_on; }
    Date operator()(const ConcernReceived& e) const { return e.received_on; }
    Date operator()(const ConcernDecided& e) const { return e.decided_on; }
    Date operator()(const EnquiryConcluded& e) const { return e.concluded_on; }
  };
  return std::visit(Visitor{}, event);
}

inline std::string_view event_type(const Event& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::type; }, event);
}

}  // namespace careledger::domain
