#pragma once
// Read-model tables: rows kept by the projections, queried by the services.

#include <optional>
#include <string>
#include <vector>

#include "persistence/connection.hpp"

#include "domain/assessment.hpp"
#include "domain/person.hpp"
#include "domain/placement.hpp"
#include "domain/safeguarding.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support.hpp"
#include "domain/support_measures.hpp"

namespace careledger::persistence {

// Which teams a query covers: nullopt for every team.
using TeamFilter = std::optional<std::vector<domain::Team>>;

std::optional<domain::PersonState> find_person(Connection& db, const domain::PersonId& id);
std::optional<domain::AssessmentState> find_assessment(Connection& db,
                                                       const domain::AssessmentId& id);

void save_person(Connection& db, const domain::PersonState& person);
void save_assessment(Connection& db, const domain::AssessmentState& assessment);
void add_allocation(Connection& db, const domain::AssessmentId& id, std::int64_t position,
                    const domain::AssessmentAllocated& allocation);

std::optional<domain::SupportEpisodeState> find_support_episode(Connection& db,
                                                                const domain::SupportEpisodeId& id);
void save_support_episode(Connection& db, const domain::SupportEpisodeState& episode);
std::optional<domain::ReviewState> find_review(Connection& db, const domain::ReviewId& id);
void save_review(Connection& db, const domain::ReviewState& review);

// Support episodes started on or before `up_to` (with their person's team and date of
// birth), and reviews dated on or before it, of the teams asked for.
std::vector<domain::EpisodeFact> episode_facts(Connection& db, domain::Date up_to,
                                               const TeamFilter& teams);
std::vector<domain::ReviewFact> review_facts(Connection& db, domain::Date up_to,
                                             const TeamFilter& teams);
// One person's long-term episodes, by start.
std::vector<domain::EpisodeFact> long_term_episodes_of(Connection& db,
                                                       const domain::PersonId& person);

// A concern with the enquiry it started, if any.
std::optional<domain::ConcernState> find_concern(Connection& db, const domain::ConcernId& id);
void save_concern(Connection& db, const domain::ConcernState& concern);
// The concern that started an enquiry.
std::optional<domain::ConcernId> concern_of_enquiry(Connection& db,
                                                    const domain::EnquiryId& enquiry);

// Concerns received on or before `to` that were received on or after `from` or were still
// awaiting a decision at `to`; enquiries started on or before `to` that started or concluded
// on or after `from` or were still open at `to` (everything the measures of [from, to] need).
std::vector<domain::ConcernFact> concern_facts(Connection& db, domain::Date from, domain::Date to,
                                               const TeamFilter& teams);
std::vector<domain::EnquiryFact> enquiry_facts(Connection& db, domain::Date from, domain::Date to,
                                               const TeamFilter& teams);

// A placement with its agreements, their charges and repayments.
std::optional<domain::PlacementState> find_placement(Connection& db, const domain::PlacementId& id);
void save_placement(Connection& db, const domain::PlacementState& placement);
std::optional<domain::PlacementId> placement_of_agreement(Connection& db,
                                                          const domain::AgreementId& agreement);
// Every placement started on or before `up_to` of the teams (the person's team).
std::vector<domain::PlacementState> placements(Connection& db, domain::Date up_to,
                                               const TeamFilter& teams);

// One open assessment on the waiting list as at a date.
struct WaitingItem {
  domain::AssessmentId assessment_id;
  domain::PersonId person_id;
  domain::Team team;
  domain::Priority priority = domain::Priority::medium;
  domain::Date requested_on;
  std::optional<std::string> allocated_to;  // as at the date
};

// Ordered by priority (urgent first), then longest wait, then id.
std::vector<WaitingItem> waiting_as_at(Connection& db, domain::Date as_at, const TeamFilter& teams,
                                       std::optional<domain::Priority> priority);

// Days from request to completion of each assessment completed in [from, to].
std::vector<int> completion_days(Connection& db, domain::Date from, domain::Date to,
                                 const TeamFilter& teams);
long long count_requested(Connection& db, domain::Date from, domain::Date to,
                          const TeamFilter& teams);

}  // namespace careledger::persistence
