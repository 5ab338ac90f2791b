#pragma once
// Private to persistence: the described members of each kind of record's state and of the parts
// it holds, the columns of their read-model tables (persistence/row_mapping.hpp).

#include <boost/describe.hpp>

#include "domain/records.hpp"

// The stored columns of each record's state and of the parts it holds: every described member
// is a column of the same name. A member added to a state and described here is stored, read
// back, rebuilt and verified with no other change.
namespace careledger::domain {
// Boost.Describe lists inherited members explicitly (PersonState's details).
BOOST_DESCRIBE_STRUCT(PersonState, (),
                      (id, team, given_name, family_name, date_of_birth, nhs_number, client_type,
                       primary_support_reason, gender, ethnicity, has_unpaid_carer, date_of_death,
                       version))
BOOST_DESCRIBE_STRUCT(DetailsChange, (),
                      (effective_on, primary_support_reason, gender, ethnicity, has_unpaid_carer))
BOOST_DESCRIBE_STRUCT(RequestState, (),
                      (id, person_id, team, received_on, route_of_access, status, decided_on,
                       outcome, assessment_id, version))
BOOST_DESCRIBE_STRUCT(AssessmentState, (),
                      (id, person_id, team, kind, requested_on, priority, status, allocated_to,
                       allocated_on, completed_on, eligible_needs, closed_on, closure_reason,
                       request_id, outcome, version))
BOOST_DESCRIBE_STRUCT(Allocation, (), (allocated_on, practitioner))
BOOST_DESCRIBE_STRUCT(SupportEpisodeState, (),
                      (id, person_id, team, kind, setting, delivery, started_on, ended_on, sequel,
                       short_term_type, service_component, end_reason, version))
BOOST_DESCRIBE_STRUCT(ReviewState, (),
                      (id, person_id, team, reviewed_on, planned, outcome, review_reason,
                       outcomes_achieved, version))
BOOST_DESCRIBE_STRUCT(ConcernState, (),
                      (id, person_id, team, received_on, source, abuse_types, location, decided_on,
                       outcome, version))
BOOST_DESCRIBE_STRUCT(EnquiryState, (),
                      (id, kind, started_on, concluded_on, risk_identified, risk_outcome,
                       outcomes_asked, outcomes_achieved))
BOOST_DESCRIBE_STRUCT(PlacementState, (),
                      (id, person_id, team, started_on, weekly_cost, property_disregard,
                       self_funding_on, version))
BOOST_DESCRIBE_STRUCT(AgreementState, (),
                      (id, offered_on, signed_on, property_value, prior_charges, weekly_deferred,
                       interest_rate_basis_points, declined_on, terminated_on, termination_reason))
BOOST_DESCRIBE_STRUCT(Movement, (), (on, amount, description))
}  // namespace careledger::domain
