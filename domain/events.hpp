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
#include "domain/money.hpp"
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
  std::optional<Gender> gender;
  std::optional<Ethnicity> ethnicity;
  std::optional<UnpaidCarer> has_unpaid_carer;
  friend bool operator==(const PersonDetails&, const PersonDetails&) = default;
};

struct PersonRegistered : PersonDetails {
  static constexpr std::string_view type = "person_registered";
  PersonId person_id;
  Date registered_on;
};

// Details of a person that change over time, from a day on: the fields given replace those
// recorded before (CLD.md §3). A file for a period reads those in force at its end.
struct DetailsChange {
  Date effective_on;
  std::optional<SupportReason> primary_support_reason;
  std::optional<Gender> gender;
  std::optional<Ethnicity> ethnicity;
  std::optional<UnpaidCarer> has_unpaid_carer;
  friend bool operator==(const DetailsChange&, const DetailsChange&) = default;
};
struct PersonDetailsChanged : DetailsChange {
  static constexpr std::string_view type = "person_details_changed";
};

struct PersonDied {
  static constexpr std::string_view type = "person_died";
  Date died_on;
};

// A request for support (CLD's Request event): received by a route, then decided.
struct RequestReceived {
  static constexpr std::string_view type = "support_request_received";
  RequestId request_id;
  PersonId person_id;
  Team team;
  Date received_on;
  RouteOfAccess route_of_access = RouteOfAccess::community_other;
};

// The outcome of a request; progress to assessment names the assessment it started, recorded in
// the same transaction.
struct RequestDecided {
  static constexpr std::string_view type = "support_request_decided";
  Date decided_on;
  EventOutcome outcome = EventOutcome::nfa_other;
  std::optional<AssessmentId> assessment_id;
};

struct AssessmentRequested {
  static constexpr std::string_view type = "assessment_requested";
  AssessmentId assessment_id;
  PersonId person_id;
  Team team;
  AssessmentKind kind = AssessmentKind::needs;
  Date requested_on;
  Priority priority = Priority::medium;
  std::optional<RequestId> request_id;  // the request whose outcome started it, if any
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
  std::optional<EventOutcome> outcome;
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
  std::optional<ShortTermType> short_term_type;  // short-term support only
  std::optional<ServiceComponent> service_component;
};

struct SupportEnded {
  static constexpr std::string_view type = "support_ended";
  Date ended_on;
  std::optional<Sequel> sequel;  // short-term support only
  std::optional<EventOutcome> end_reason;
};

struct ReviewRecorded {
  static constexpr std::string_view type = "review_recorded";
  ReviewId review_id;
  PersonId person_id;
  Team team;
  Date reviewed_on;
  bool planned = true;
  ReviewOutcome outcome = ReviewOutcome::no_change;
  std::optional<ReviewReason> review_reason;  // unplanned reviews only
  std::optional<OutcomesMet> outcomes_achieved;
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

// A permanent care-home placement. Agreements about it share its stream, so that "one
// arrangement per placement" is decided on one consistent state.
struct PlacementStarted {
  static constexpr std::string_view type = "care_home_placement_started";
  PlacementId placement_id;
  PersonId person_id;
  Team team;
  Date started_on;
  Pence weekly_cost;
  bool property_disregard = false;
};

struct SelfFundingArranged {
  static constexpr std::string_view type = "self_funding_arranged";
  Date arranged_on;
};

struct AgreementOffered {
  static constexpr std::string_view type = "deferred_payment_offered";
  AgreementId agreement_id;
  Date offered_on;
};

struct AgreementSigned {
  static constexpr std::string_view type = "deferred_payment_signed";
  AgreementId agreement_id;
  Date signed_on;
  Pence property_value;
  Pence prior_charges;
  Pence weekly_deferred;
  int interest_rate_basis_points = 0;
};

struct AgreementDeclined {
  static constexpr std::string_view type = "deferred_payment_declined";
  AgreementId agreement_id;
  Date declined_on;
};

struct AgreementCharged {
  static constexpr std::string_view type = "deferred_payment_charged";
  AgreementId agreement_id;
  Date charged_on;
  Pence amount;
  std::string description;
};

struct AgreementRepaid {
  static constexpr std::string_view type = "deferred_payment_repaid";
  AgreementId agreement_id;
  Date repaid_on;
  Pence amount;
};

struct AgreementTerminated {
  static constexpr std::string_view type = "deferred_payment_terminated";
  AgreementId agreement_id;
  Date terminated_on;
  TerminationReason reason = TerminationReason::other;
};

// A correction: the event named is to be treated as if it had never happened. It is recorded
// in the same stream as the event it voids, so the stream's history keeps both.
struct EventVoided {
  static constexpr std::string_view type = "event_voided";
  std::string event_id;
  std::string reason;
  Date voided_on;  // the day the correction was made
};

using Event =
    std::variant<PersonRegistered, PersonDetailsChanged, PersonDied, RequestReceived,
                 RequestDecided, AssessmentRequested, AssessmentAllocated, AssessmentCompleted,
                 AssessmentClosed, SupportStarted, SupportEnded, ReviewRecorded, ConcernReceived,
                 ConcernDecided, EnquiryConcluded, PlacementStarted, SelfFundingArranged,
                 AgreementOffered, AgreementSigned, AgreementDeclined, AgreementCharged,
                 AgreementRepaid, AgreementTerminated, EventVoided>;

// The date the fact happened (UK calendar date).
inline Date occurred_on(const Event& event) {
  struct Visitor {
    Date operator()(const PersonRegistered& e) const { return e.registered_on; }
    Date operator()(const PersonDetailsChanged& e) const { return e.effective_on; }
    Date operator()(const PersonDied& e) const { return e.died_on; }
    Date operator()(const RequestReceived& e) const { return e.received_on; }
    Date operator()(const RequestDecided& e) const { return e.decided_on; }
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
    Date operator()(const PlacementStarted& e) const { return e.started_on; }
    Date operator()(const SelfFundingArranged& e) const { return e.arranged_on; }
    Date operator()(const AgreementOffered& e) const { return e.offered_on; }
    Date operator()(const AgreementSigned& e) const { return e.signed_on; }
    Date operator()(const AgreementDeclined& e) const { return e.declined_on; }
    Date operator()(const AgreementCharged& e) const { return e.charged_on; }
    Date operator()(const AgreementRepaid& e) const { return e.repaid_on; }
    Date operator()(const AgreementTerminated& e) const { return e.terminated_on; }
    Date operator()(const EventVoided& e) const { return e.voided_on; }
  };
  return std::visit(Visitor{}, event);
}

inline std::string_view event_type(const Event& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::type; }, event);
}

}  // namespace careledger::domain
