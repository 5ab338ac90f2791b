#pragma once
// Read-model tables: rows kept by the projections, queried by the services.

#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "domain/assessment.hpp"
#include "domain/person.hpp"

namespace careledger::persistence {

// Which teams a query covers: nullopt for every team.
using TeamFilter = std::optional<std::vector<domain::Team>>;

std::optional<domain::PersonState> find_person(SQLite::Database& db, const domain::PersonId& id);
std::optional<domain::AssessmentState> find_assessment(SQLite::Database& db,
                                                       const domain::AssessmentId& id);

void save_person(SQLite::Database& db, const domain::PersonState& person);
void save_assessment(SQLite::Database& db, const domain::AssessmentState& assessment);
void add_allocation(SQLite::Database& db, const domain::AssessmentId& id, std::int64_t position,
                    const domain::AssessmentAllocated& allocation);

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
std::vector<WaitingItem> waiting_as_at(SQLite::Database& db, domain::Date as_at,
                                       const TeamFilter& teams,
                                       std::optional<domain::Priority> priority);

// Days from request to completion of each assessment completed in [from, to].
std::vector<int> completion_days(SQLite::Database& db, domain::Date from, domain::Date to,
                                 const TeamFilter& teams);
long long count_requested(SQLite::Database& db, domain::Date from, domain::Date to,
                          const TeamFilter& teams);

}  // namespace careledger::persistence
