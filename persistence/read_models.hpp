#pragma once
// Read-model tables: rows kept by the projections, queried by the services.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "persistence/connection.hpp"

#include "domain/assessment_measures.hpp"
#include "domain/records.hpp"
#include "domain/running_totals.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support_measures.hpp"

namespace careledger::persistence {

// Which teams a query covers: nullopt for every team.
using TeamFilter = std::optional<std::vector<domain::Team>>;

// Teams or people as a JSON array, for a query's `IN (SELECT value FROM json_each(?))`.
std::string json_list(const std::vector<domain::Team>& teams);
std::string json_list(const std::vector<domain::PersonId>& people);
// Binds the teams as json_list writes them, or NULL for every team.
void bind_teams(Statement& q, int index, const TeamFilter& teams);

// Every kind of record in domain::Records has a read model: its row in a table of its own
// (generated from the state's described members, see read_models.cpp), and the rows of the
// parts it holds (an assessment's allocations, a concern's enquiry, a placement's agreements
// and their charges and repayments).
template <typename State>
std::optional<State> find(Connection& db, const typename domain::Record<State>::Id& id);
template <typename Tag>
std::optional<domain::StateOf<domain::Id<Tag>>> find(Connection& db, const domain::Id<Tag>& id) {
  return find<domain::StateOf<domain::Id<Tag>>>(db, id);
}
// The records of these ids that have rows, with their parts, in the order of the ids: their rows
// and each table of their parts read at once.
template <typename State>
std::vector<State> find_all(Connection& db,
                            const std::vector<typename domain::Record<State>::Id>& ids);
// Saves each record's rows as its state has them (a row saved again is updated where it is),
// their own rows by one statement for all of them on PostgreSQL: each a state and its rows as
// they stand (nullptr: none; its parts' rows are written only when they differ from those). No
// two of one record.
template <typename State>
void save_all(Connection& db, const std::vector<std::pair<const State*, const State*>>& states);
// Deletes the record's rows.
template <typename State>
void remove(Connection& db, const typename domain::Record<State>::Id& id);

// The table of a kind of record's own rows.
template <typename State>
const char* read_model_table();

// One read-model table: its name, the column naming the record it belongs to, its DDL.
struct TableSchema {
  std::string name;
  std::string record_column;
  std::string create;
};
// Every read-model table, in a fixed order, and the indexes on them.
const std::vector<TableSchema>& read_model_tables();
const std::vector<std::string>& read_model_indexes();

// Support episodes started on or before `up_to` (with their person's team and date of
// birth), and reviews dated on or before it, of the teams asked for.
std::vector<domain::EpisodeFact> episode_facts(Connection& db, domain::Date up_to,
                                               const TeamFilter& teams);
std::vector<domain::ReviewFact> review_facts(Connection& db, domain::Date up_to,
                                             const TeamFilter& teams);
// Some people's records, by person (one with none has no entry): one person's read through their
// key, many people's at once (a statement for all of them, however many).
template <typename Row>
using RowsByPerson = std::map<domain::PersonId, std::vector<Row>>;
// Their support episodes of either kind, and their reviews, by day.
RowsByPerson<domain::EpisodeFact> support_episodes_of(Connection& db,
                                                      const std::vector<domain::PersonId>& people);
RowsByPerson<domain::ReviewFact> reviews_of(Connection& db,
                                            const std::vector<domain::PersonId>& people);
// Their concerns and the enquiries they led to (none when the person is not recorded).
RowsByPerson<domain::ConcernFact> concerns_of(Connection& db,
                                              const std::vector<domain::PersonId>& people);
RowsByPerson<domain::EnquiryFact> enquiries_of(Connection& db,
                                               const std::vector<domain::PersonId>& people);
// Their requests for support, and their assessments (without their allocations), by id.
RowsByPerson<domain::RequestState> support_requests_of(Connection& db,
                                                       const std::vector<domain::PersonId>& people);
RowsByPerson<domain::AssessmentState> assessments_of(Connection& db,
                                                     const std::vector<domain::PersonId>& people);
// Their long-term episodes, by start.
RowsByPerson<domain::EpisodeFact> long_term_episodes_of(
    Connection& db, const std::vector<domain::PersonId>& people);
std::vector<domain::EpisodeFact> long_term_episodes_of(Connection& db,
                                                       const domain::PersonId& person);
// Their care-home placements, with their agreements, by id.
RowsByPerson<domain::PlacementState> placements_of(Connection& db,
                                                   const std::vector<domain::PersonId>& people);
// The signed agreements the balances are worked out from, kept by person with their team when
// the person's deferred payment totals are derived (persistence/running_totals.cpp): rewritten
// from their placements (none, or no team: the person is not recorded).
TableSchema signed_agreements_schema();
void save_signed_agreements(Connection& db, const domain::PersonId& person,
                            const std::optional<domain::Team>& team,
                            const std::vector<domain::PlacementState>& placements);
// The signed agreements of the teams asked for, with their movements' days and amounts, but for
// those of `except_people`.
std::vector<domain::AgreementState> signed_agreements(
    Connection& db, const TeamFilter& teams,
    const std::vector<domain::PersonId>& except_people = {});

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

std::optional<domain::PlacementId> placement_of_agreement(Connection& db,
                                                          const domain::AgreementId& agreement);
// Every placement started on or before `up_to` of the teams (the person's team): what the
// deferred payment figures were worked out from before the running totals, kept as the tests'
// reference.
std::vector<domain::PlacementState> placements(Connection& db, domain::Date up_to,
                                               const TeamFilter& teams);
using domain::WaitingItem;

// The waiting list as at a day read plainly from the assessments' rows, ordered by priority
// (urgent first), then longest wait, then id: what it was read from before it was kept
// (persistence/kept_lists.hpp), kept as the tests' reference.
std::vector<WaitingItem> waiting_from_requests(Connection& db, domain::Date as_at,
                                               const TeamFilter& teams,
                                               std::optional<domain::Priority> priority);

// Days from request to completion of each assessment completed in [from, to].
std::vector<int> completion_days(Connection& db, domain::Date from, domain::Date to,
                                 const TeamFilter& teams);
long long count_requested(Connection& db, domain::Date from, domain::Date to,
                          const TeamFilter& teams);

// What a list shows of a person beside their row.
struct PersonName {
  domain::PersonId id;
  std::string given_name;
  std::string family_name;
  domain::Date date_of_birth;
};
std::vector<PersonName> person_names(Connection& db, const std::vector<domain::PersonId>& ids);

// Every team the council's records or users name, in name order.
std::vector<domain::Team> known_teams(Connection& db);

}  // namespace careledger::persistence
