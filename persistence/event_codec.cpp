#include "persistence/event_codec.hpp"

#include <stdexcept>

#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>

#include "persistence/json_conversions.hpp"

// The stored shape of each event: one described struct per event type. A new event type is
// one line here and one alternative in domain::Event.
namespace careledger::domain {
// Boost.JSON 1.81 converts no described class with bases, so inherited members are listed.
BOOST_DESCRIBE_STRUCT(PersonRegistered, (),
                      (person_id, given_name, family_name, date_of_birth, team, nhs_number,
                       client_type, primary_support_reason, gender, ethnicity, has_unpaid_carer,
                       registered_on))
BOOST_DESCRIBE_STRUCT(PersonDetailsChanged, (),
                      (effective_on, primary_support_reason, gender, ethnicity, has_unpaid_carer))
BOOST_DESCRIBE_STRUCT(PersonDied, (), (died_on))
BOOST_DESCRIBE_STRUCT(RequestReceived, (),
                      (request_id, person_id, team, received_on, route_of_access))
BOOST_DESCRIBE_STRUCT(RequestDecided, (), (decided_on, outcome, assessment_id))
BOOST_DESCRIBE_STRUCT(AssessmentRequested, (),
                      (assessment_id, person_id, team, kind, requested_on, priority, request_id))
BOOST_DESCRIBE_STRUCT(AssessmentAllocated, (), (practitioner, allocated_on))
BOOST_DESCRIBE_STRUCT(AssessmentCompleted, (), (completed_on, eligible_needs, outcome))
BOOST_DESCRIBE_STRUCT(AssessmentClosed, (), (closed_on, reason))
BOOST_DESCRIBE_STRUCT(SupportStarted, (),
                      (episode_id, person_id, team, kind, setting, delivery, started_on,
                       short_term_type, service_component))
BOOST_DESCRIBE_STRUCT(SupportEnded, (), (ended_on, sequel, end_reason))
BOOST_DESCRIBE_STRUCT(ConcernReceived, (),
                      (concern_id, person_id, team, received_on, source, abuse_types, location))
BOOST_DESCRIBE_STRUCT(ConcernDecided, (), (decided_on, outcome, enquiry_id))
BOOST_DESCRIBE_STRUCT(PlacementStarted, (),
                      (placement_id, person_id, team, started_on, weekly_cost, property_disregard))
BOOST_DESCRIBE_STRUCT(SelfFundingArranged, (), (arranged_on))
BOOST_DESCRIBE_STRUCT(EventVoided, (), (event_id, reason, voided_on))
BOOST_DESCRIBE_STRUCT(AgreementOffered, (), (agreement_id, offered_on))
BOOST_DESCRIBE_STRUCT(AgreementSigned, (),
                      (agreement_id, signed_on, property_value, prior_charges, weekly_deferred,
                       interest_rate_basis_points))
BOOST_DESCRIBE_STRUCT(AgreementDeclined, (), (agreement_id, declined_on))
BOOST_DESCRIBE_STRUCT(AgreementCharged, (), (agreement_id, charged_on, amount, description))
BOOST_DESCRIBE_STRUCT(AgreementRepaid, (), (agreement_id, repaid_on, amount))
BOOST_DESCRIBE_STRUCT(AgreementTerminated, (), (agreement_id, terminated_on, reason))
BOOST_DESCRIBE_STRUCT(EnquiryConcluded, (),
                      (enquiry_id, concluded_on, risk_identified, risk_outcome, outcomes_asked,
                       outcomes_achieved))
BOOST_DESCRIBE_STRUCT(ReviewRecorded, (),
                      (review_id, person_id, team, reviewed_on, planned, outcome, review_reason,
                       outcomes_achieved))
}  // namespace careledger::domain

namespace careledger::persistence {

boost::json::value event_data(const domain::Event& event) {
  return std::visit([](const auto& e) { return boost::json::value_from(e); }, event);
}

std::string encode_event(const domain::Event& event) {
  return boost::json::serialize(event_data(event));
}

namespace {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

// An optional member added after events were stored is absent from the older ones: read as
// not recorded (Boost.JSON 1.81 refuses a described struct with a member missing).
template <typename E>
void add_absent_optionals(boost::json::object& stored) {
  using Members = boost::describe::describe_members<E, boost::describe::mod_public>;
  boost::mp11::mp_for_each<Members>([&](auto member) {
    using M = std::remove_cvref_t<decltype(std::declval<E&>().*member.pointer)>;
    if constexpr (IsOptional<M>::value) {
      if (!stored.contains(member.name)) stored.emplace(member.name, nullptr);
    }
  });
}

}  // namespace

domain::Event decode_event(std::string_view type, std::string_view data) {
  boost::json::value json = boost::json::parse(data);
  std::optional<domain::Event> decoded;
  boost::mp11::mp_for_each<boost::mp11::mp_rename<domain::Event, boost::mp11::mp_list>>(
      [&](auto alternative) {
        using E = decltype(alternative);
        if (decoded || E::type != type) return;
        if (auto* stored = json.if_object()) add_absent_optionals<E>(*stored);
        decoded = boost::json::value_to<E>(json);
      });
  if (!decoded) throw std::invalid_argument("unknown event type");
  return *decoded;
}

}  // namespace careledger::persistence
