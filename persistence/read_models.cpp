#include "persistence/read_models.hpp"
#include "persistence/running_totals.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <SQLiteCpp/Statement.h>
#include <boost/json.hpp>

#include "persistence/described_states.hpp"
#include "persistence/kept_lists.hpp"
#include "persistence/row_batch.hpp"
#include "persistence/row_mapping.hpp"

namespace careledger::domain {
// Rows the queries read: each member from the result column of its name (aliased in the SQL
// where the table calls it otherwise), whatever the order of the SELECT.
BOOST_DESCRIBE_STRUCT(EpisodeFact, (),
                      (person_id, team, date_of_birth, kind, setting, delivery, started_on,
                       ended_on, sequel, short_term_type))
BOOST_DESCRIBE_STRUCT(ReviewFact, (), (person_id, reviewed_on))
BOOST_DESCRIBE_STRUCT(WaitingItem, (),
                      (assessment_id, person_id, team, priority, requested_on, allocated_to))
BOOST_DESCRIBE_STRUCT(ConcernFact, (), (id, person_id, team, received_on, decided_on))
BOOST_DESCRIBE_STRUCT(EnquiryFact, (),
                      (id, person_id, team, kind, started_on, concluded_on, risk_identified,
                       risk_outcome, outcomes_asked, outcomes_achieved))
}  // namespace careledger::domain

namespace careledger::persistence {

// Which record a part's row belongs to (its first member names the record).
struct AllocationOf {
  domain::AssessmentId assessment_id;
};
struct DetailsChangeOf {
  domain::PersonId person_id;
};
struct EnquiryOf {
  domain::ConcernId concern_id;
  domain::PersonId person_id;
};
struct AgreementOf {
  domain::PlacementId placement_id;
};
struct MovementOf {
  domain::PlacementId placement_id;
  domain::AgreementId agreement_id;
};
// Columns the domain derives from an assessment when it is projected, for the queries to select
// on: the rules live in domain::AssessmentState, SQL only compares and sums what they wrote.
struct AssessmentDerived {
  std::optional<domain::Date> stopped_waiting_on;
  std::optional<int> days_to_complete;
};
// A signed agreement's row among those the balances are worked out from: whose it is, and the
// team they are in (reading 13).
struct SignedAgreementOf {
  domain::PersonId person_id;
  domain::Team team;
};
BOOST_DESCRIBE_STRUCT(SignedAgreementOf, (), (person_id, team))
constexpr const char* signed_agreements_table = "rm_signed_agreements";
BOOST_DESCRIBE_STRUCT(AllocationOf, (), (assessment_id))
BOOST_DESCRIBE_STRUCT(DetailsChangeOf, (), (person_id))
BOOST_DESCRIBE_STRUCT(EnquiryOf, (), (concern_id, person_id))
BOOST_DESCRIBE_STRUCT(AgreementOf, (), (placement_id))
BOOST_DESCRIBE_STRUCT(MovementOf, (), (placement_id, agreement_id))
BOOST_DESCRIBE_STRUCT(AssessmentDerived, (), (stopped_waiting_on, days_to_complete))
BOOST_DESCRIBE_STRUCT(PersonName, (), (id, given_name, family_name, date_of_birth))

namespace {

using domain::Date;

// Nothing derived: the state's own columns are all there is.
struct NothingDerived {};
BOOST_DESCRIBE_STRUCT(NothingDerived, (), ())

// The table of a part: the columns naming its record, its place among the record's parts
// (seq), then its own columns.
template <typename Owner, typename Part>
TableSchema part_table(const char* name) {
  std::string owner_key;
  rows::for_each_member<Owner>([&](const char* column, auto) {
    if (owner_key.empty()) owner_key = column;
  });
  return {name, owner_key,
          std::string("CREATE TABLE ") + name + " (" + rows::column_definitions<Owner>() +
              ", seq INTEGER NOT NULL, " + rows::column_definitions<Part>() + ", PRIMARY KEY (" +
              rows::column_names<Owner>() + ", seq)) WITHOUT ROWID"};
}

// Each (Owner, Part) pair is the row of one table only, so its SQL is made once.
template <typename Owner, typename Part>
void insert_part(Connection& db, const char* table, const Owner& owner, std::int64_t seq,
                 const Part& part) {
  static const std::string sql = [&] {
    std::string marks;
    for (int i = 0; i < rows::column_count<Owner>() + 1 + rows::column_count<Part>(); ++i) {
      marks += marks.empty() ? "?" : ",?";
    }
    return std::string("INSERT INTO ") + table + " (" + rows::column_names<Owner>() + ", seq, " +
           rows::column_names<Part>() + ") VALUES (" + marks + ")";
  }();
  Prepared q(db, sql);
  int next = rows::bind_row(*q, 1, owner);
  q->bind(next++, seq);
  rows::bind_row(*q, next, part);
  q->exec();
}

// Records whose parts are read, by id: the parts of all of them are read at once.
template <typename State>
class Loading {
 public:
  void add(State& state) { records_.emplace(state.id.str(), &state); }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& [id, state] : records_) out.push_back(id);
    return out;
  }
  template <typename Id>
  State& operator[](const Id& id) const {
    return *records_.at(id.str());
  }

 private:
  std::map<std::string, State*> records_;
};

// The parts of some records, each record's in their order; `Owner` is read before each (to tell
// whose they are). One record's are read through its key alone.
template <typename Owner, typename Part>
std::vector<std::pair<Owner, Part>> parts_of(Connection& db, const char* table,
                                             const std::vector<std::string>& record_ids) {
  static const auto sql = [&] {
    std::string first;
    rows::for_each_member<Owner>([&](const char* column, auto) {
      if (first.empty()) first = column;
    });
    const std::string select = "SELECT " + rows::column_names<Owner>() + ", " +
                               rows::column_names<Part>() + " FROM " + table + " WHERE " +
                               rows::quoted(first);
    return std::pair{
        select + " = ? ORDER BY seq",
        select + " IN (SELECT value FROM json_each(?)) ORDER BY " + rows::quoted(first) + ", seq"};
  }();
  std::vector<std::pair<Owner, Part>> out;
  if (record_ids.empty()) return out;
  Prepared q(db, record_ids.size() == 1 ? sql.first : sql.second);
  if (record_ids.size() == 1) {
    q->bind(1, record_ids.front());
  } else {
    boost::json::array list(record_ids.begin(), record_ids.end());
    q->bind(1, boost::json::serialize(list));
  }
  while (q->executeStep()) {
    std::pair<Owner, Part> row;
    rows::read_row(*q, rows::read_row(*q, 0, row.first), row.second);
    out.push_back(std::move(row));
  }
  return out;
}

// The read model of each kind of record: its table, what the domain derives for queries, the
// tables of its parts and how they are written and read, its indexes. A kind of record in
// domain::Records without one here does not compile.
template <typename State>
struct ReadModel;

// What a read model has unless it says otherwise: nothing derived, no parts, no indexes.
struct PlainReadModel {
  using Derived = NothingDerived;
  static Derived derive(const auto&) { return {}; }
  static std::vector<TableSchema> parts() { return {}; }
  static void save_parts(Connection&, const auto&) {}
  static void load_parts(Connection&, const auto&) {}
  static bool same_parts(const auto&, const auto&) { return true; }
  static std::vector<std::string> indexes() { return {}; }
};

template <>
struct ReadModel<domain::PersonState> : PlainReadModel {
  static constexpr const char* table = "rm_people";
  static std::vector<TableSchema> parts() {
    return {part_table<DetailsChangeOf, domain::DetailsChange>("rm_person_details_changes")};
  }
  static void save_parts(Connection& db, const domain::PersonState& p) {
    for (std::size_t i = 0; i < p.details_changes.size(); ++i) {
      insert_part(db, "rm_person_details_changes", DetailsChangeOf{p.id},
                  static_cast<std::int64_t>(i), p.details_changes[i]);
    }
  }
  static bool same_parts(const domain::PersonState& a, const domain::PersonState& b) {
    return a.details_changes == b.details_changes;
  }
  static void load_parts(Connection& db, const Loading<domain::PersonState>& people) {
    for (auto& [of, change] : parts_of<DetailsChangeOf, domain::DetailsChange>(
             db, "rm_person_details_changes", people.ids())) {
      people[of.person_id].details_changes.push_back(std::move(change));
    }
  }
  static std::vector<std::string> indexes() {
    return {"CREATE INDEX rm_people_by_team ON rm_people (team)",
            "CREATE INDEX rm_people_by_nhs_number ON rm_people (nhs_number)"};
  }
};

template <>
struct ReadModel<domain::AssessmentState> : PlainReadModel {
  static constexpr const char* table = "rm_assessments";
  using Derived = AssessmentDerived;
  static Derived derive(const domain::AssessmentState& a) {
    return {a.stopped_waiting_on(), a.days_to_complete()};
  }
  static std::vector<TableSchema> parts() {
    return {part_table<AllocationOf, domain::Allocation>("rm_allocations")};
  }
  static void save_parts(Connection& db, const domain::AssessmentState& a) {
    for (std::size_t i = 0; i < a.allocations.size(); ++i) {
      insert_part(db, "rm_allocations", AllocationOf{a.id}, static_cast<std::int64_t>(i),
                  a.allocations[i]);
    }
  }
  static bool same_parts(const domain::AssessmentState& a, const domain::AssessmentState& b) {
    return a.allocations == b.allocations;
  }
  static void load_parts(Connection& db, const Loading<domain::AssessmentState>& assessments) {
    for (auto& [of, allocation] :
         parts_of<AllocationOf, domain::Allocation>(db, "rm_allocations", assessments.ids())) {
      assessments[of.assessment_id].allocations.push_back(std::move(allocation));
    }
  }
  static std::vector<std::string> indexes() {
    // Only what the appending transaction reads: the figures and lists read the running
    // totals and the kept lists, not these rows by day.
    return {"CREATE INDEX rm_assessments_by_person ON rm_assessments (person_id)"};
  }
};

template <>
struct ReadModel<domain::SupportEpisodeState> : PlainReadModel {
  static constexpr const char* table = "rm_support_episodes";
  static std::vector<std::string> indexes() {
    return {
        "CREATE INDEX rm_support_episodes_by_person ON rm_support_episodes "
        "(person_id, started_on)"};
  }
};

template <>
struct ReadModel<domain::ReviewState> : PlainReadModel {
  static constexpr const char* table = "rm_reviews";
  static std::vector<std::string> indexes() {
    return {"CREATE INDEX rm_reviews_by_person ON rm_reviews (person_id, reviewed_on)"};
  }
};

template <>
struct ReadModel<domain::RequestState> : PlainReadModel {
  static constexpr const char* table = "rm_requests";
  static std::vector<std::string> indexes() {
    return {"CREATE INDEX rm_requests_by_person ON rm_requests (person_id, received_on)"};
  }
};

template <>
struct ReadModel<domain::ConcernState> : PlainReadModel {
  static constexpr const char* table = "rm_concerns";
  static std::vector<TableSchema> parts() {
    return {part_table<EnquiryOf, domain::EnquiryState>("rm_enquiries")};
  }
  static void save_parts(Connection& db, const domain::ConcernState& c) {
    if (c.enquiry) insert_part(db, "rm_enquiries", EnquiryOf{c.id, c.person_id}, 0, *c.enquiry);
  }
  static bool same_parts(const domain::ConcernState& a, const domain::ConcernState& b) {
    return a.enquiry == b.enquiry;
  }
  static void load_parts(Connection& db, const Loading<domain::ConcernState>& concerns) {
    for (auto& [of, enquiry] :
         parts_of<EnquiryOf, domain::EnquiryState>(db, "rm_enquiries", concerns.ids())) {
      concerns[of.concern_id].enquiry = std::move(enquiry);
    }
  }
  static std::vector<std::string> indexes() {
    return {
        "CREATE INDEX rm_concerns_by_person ON rm_concerns (person_id)",
        "CREATE INDEX rm_enquiries_by_person ON rm_enquiries (person_id)",
        "CREATE UNIQUE INDEX rm_enquiries_by_id ON rm_enquiries (id)",
    };
  }
};

template <>
struct ReadModel<domain::PlacementState> : PlainReadModel {
  static constexpr const char* table = "rm_placements";
  static std::vector<TableSchema> parts() {
    return {part_table<AgreementOf, domain::AgreementState>("rm_agreements"),
            part_table<MovementOf, domain::Movement>("rm_agreement_movements")};
  }
  static void save_parts(Connection& db, const domain::PlacementState& p) {
    std::int64_t movement_seq = 0;
    for (std::size_t i = 0; i < p.agreements.size(); ++i) {
      const auto& agreement = p.agreements[i];
      insert_part(db, "rm_agreements", AgreementOf{p.id}, static_cast<std::int64_t>(i), agreement);
      for (const auto& movement : agreement.movements) {
        insert_part(db, "rm_agreement_movements", MovementOf{p.id, agreement.id}, movement_seq++,
                    movement);
      }
    }
  }
  static bool same_parts(const domain::PlacementState& a, const domain::PlacementState& b) {
    return a.agreements == b.agreements;
  }
  static void load_parts(Connection& db, const Loading<domain::PlacementState>& placements) {
    const auto ids = placements.ids();
    for (auto& [of, agreement] :
         parts_of<AgreementOf, domain::AgreementState>(db, "rm_agreements", ids)) {
      placements[of.placement_id].agreements.push_back(std::move(agreement));
    }
    for (auto& [of, movement] :
         parts_of<MovementOf, domain::Movement>(db, "rm_agreement_movements", ids)) {
      for (auto& agreement : placements[of.placement_id].agreements) {
        if (agreement.id == of.agreement_id) agreement.movements.push_back(std::move(movement));
      }
    }
  }
  static std::vector<std::string> indexes() {
    return {"CREATE UNIQUE INDEX rm_agreements_by_id ON rm_agreements (id)",
            "CREATE INDEX rm_placements_by_person ON rm_placements (person_id)"};
  }
};

// The record's own table: its described members, then what the domain derives.
template <typename State>
TableSchema record_table() {
  using Model = ReadModel<State>;
  std::string derived = rows::column_definitions<typename Model::Derived>();
  return {Model::table, "id",
          std::string("CREATE TABLE ") + Model::table + " (" + rows::column_definitions<State>() +
              (derived.empty() ? "" : ", " + derived) + ", PRIMARY KEY (id))"};
}

// The rows of the records' own table, inserted or, when there, updated where they are: INSERT ...
// ON CONFLICT DO UPDATE (INSERT OR REPLACE would delete a row and insert it again, touching
// every index twice), for many records at once.
template <typename State>
RowBatch upsert_rows() {
  using Derived = typename ReadModel<State>::Derived;
  std::vector<std::string> columns;
  std::string updates;
  auto add = [&](const char* name, auto) {
    columns.emplace_back(name);
    if (std::string_view(name) == "id") return;
    updates += std::string(updates.empty() ? "" : ", ") + rows::quoted(name) + " = excluded." +
               rows::quoted(name);
  };
  rows::for_each_member<State>(add);
  rows::for_each_member<Derived>(add);
  return RowBatch::insert(ReadModel<State>::table, std::move(columns),
                          "ON CONFLICT (id) DO UPDATE SET " + updates);
}

template <typename State>
void delete_parts(Connection& db, const std::string& id) {
  static const std::vector<std::string> deletes = [] {
    std::vector<std::string> sql;
    for (const auto& part : ReadModel<State>::parts()) {
      sql.push_back("DELETE FROM " + part.name + " WHERE " + rows::quoted(part.record_column) +
                    " = ?");
    }
    return sql;
  }();
  for (const auto& sql : deletes) {
    Prepared q(db, sql);
    q->bind(1, id);
    q->exec();
  }
}

template <typename Named>
std::string json_list_of(const std::vector<Named>& names) {
  boost::json::array list;
  for (const auto& name : names) list.emplace_back(name.str());
  return boost::json::serialize(list);
}

// The query's rows, each member read from the column of its name.
template <typename Row>
std::vector<Row> read_rows(Statement& q) {
  std::vector<Row> out;
  std::vector<int> positions;
  while (q.executeStep()) {
    if (positions.empty()) positions = rows::column_positions<Row>(q);
    Row row;
    rows::read_row_at(q, positions, row);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

template <typename State>
std::optional<State> find(Connection& db, const typename domain::Record<State>::Id& id) {
  static const std::string sql = "SELECT " + rows::column_names<State>() + " FROM " +
                                 ReadModel<State>::table + " WHERE id = ?";
  Prepared q(db, sql);
  q->bind(1, id.str());
  if (!q->executeStep()) return std::nullopt;
  State state;
  rows::read_row(*q, 0, state);
  state.exists = true;
  Loading<State> loading;
  loading.add(state);
  ReadModel<State>::load_parts(db, loading);
  return state;
}

template <typename State>
std::vector<State> find_all(Connection& db,
                            const std::vector<typename domain::Record<State>::Id>& ids) {
  static const std::string select =
      "SELECT " + rows::column_names<State>() + " FROM " + ReadModel<State>::table + " WHERE id ";
  static const std::string one = select + "= ?",
                           many = select + "IN (SELECT value FROM json_each(?))";
  std::vector<State> found;
  if (ids.empty()) return found;
  Prepared q(db, ids.size() == 1 ? one : many);  // one record's through its key alone
  q->bind(1, ids.size() == 1 ? ids.front().str() : json_list_of(ids));
  while (q->executeStep()) {
    State state;
    rows::read_row(*q, 0, state);
    state.exists = true;
    found.push_back(std::move(state));
  }
  Loading<State> loading;
  for (auto& state : found) loading.add(state);
  ReadModel<State>::load_parts(db, loading);
  // In the order asked.
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < found.size(); ++i) at.emplace(found[i].id.str(), i);
  std::vector<State> out;
  for (const auto& id : ids) {
    if (auto i = at.find(id.str()); i != at.end()) {
      out.push_back(std::move(found[i->second]));
      at.erase(i);
    }
  }
  return out;
}

template <typename State>
void save_all(Connection& db, const std::vector<std::pair<const State*, const State*>>& states) {
  static const int columns =
      rows::column_count<State>() + rows::column_count<typename ReadModel<State>::Derived>();
  thread_local RowBatch rows = upsert_rows<State>();  // empty again once written
  if (!rows.empty()) rows = upsert_rows<State>();     // what a write that threw left
  for (const auto& [state, before] : states) {
    BoundRow row(static_cast<std::size_t>(columns));
    const int next = rows::bind_row(row, 1, *state);
    rows::bind_row(row, next, ReadModel<State>::derive(*state));
    rows.add(row.take());
  }
  rows.write(db);
  // A record's parts are few: when they changed, they are written again whole (a new record's,
  // which has none yet, only added).
  for (const auto& [state, before] : states) {
    if (before != nullptr && ReadModel<State>::same_parts(*before, *state)) continue;
    if (before != nullptr) delete_parts<State>(db, state->id.str());
    ReadModel<State>::save_parts(db, *state);
  }
}

template <typename State>
void remove(Connection& db, const typename domain::Record<State>::Id& id) {
  delete_parts<State>(db, id.str());
  Prepared q(db, std::string("DELETE FROM ") + ReadModel<State>::table + " WHERE id = ?");
  q->bind(1, id.str());
  q->exec();
}

// The functions made for each kind of record; a kind in domain::Records that is not listed
// here fails the static_assert below.
template <typename State>
struct Instantiated : std::false_type {};
#define CARELEDGER_READ_MODEL(State)                                                        \
  template std::optional<State> find<State>(Connection&,                                    \
                                            const typename domain::Record<State>::Id&);     \
  template std::vector<State> find_all<State>(                                              \
      Connection&, const std::vector<typename domain::Record<State>::Id>&);                 \
  template void save_all<State>(Connection&,                                                \
                                const std::vector<std::pair<const State*, const State*>>&); \
  template void remove<State>(Connection&, const typename domain::Record<State>::Id&);      \
  template <>                                                                               \
  const char* read_model_table<State>() {                                                   \
    return ReadModel<State>::table;                                                         \
  }                                                                                         \
  template <>                                                                               \
  struct Instantiated<State> : std::true_type {};
CARELEDGER_READ_MODEL(domain::PersonState)
CARELEDGER_READ_MODEL(domain::AssessmentState)
CARELEDGER_READ_MODEL(domain::SupportEpisodeState)
CARELEDGER_READ_MODEL(domain::ReviewState)
CARELEDGER_READ_MODEL(domain::ConcernState)
CARELEDGER_READ_MODEL(domain::PlacementState)
CARELEDGER_READ_MODEL(domain::RequestState)
#undef CARELEDGER_READ_MODEL

template <typename... States>
constexpr bool all_instantiated(domain::RecordList<States...>) {
  return (Instantiated<States>::value && ...);
}
static_assert(all_instantiated(domain::Records{}), "a kind of record has no read model");

const std::vector<TableSchema>& read_model_tables() {
  static const std::vector<TableSchema> tables = [] {
    std::vector<TableSchema> out;
    domain::Records::for_each([&](auto kind) {
      using State = typename decltype(kind)::type;
      out.push_back(record_table<State>());
      for (auto& part : ReadModel<State>::parts()) out.push_back(std::move(part));
    });
    for (auto& table : running_total_tables()) out.push_back(std::move(table));
    for (auto& table : kept_list_tables()) out.push_back(std::move(table));
    out.push_back(signed_agreements_schema());
    return out;
  }();
  return tables;
}

const std::vector<std::string>& read_model_indexes() {
  static const std::vector<std::string> indexes = [] {
    std::vector<std::string> out;
    domain::Records::for_each([&](auto kind) {
      using State = typename decltype(kind)::type;
      for (auto& index : ReadModel<State>::indexes()) out.push_back(std::move(index));
    });
    for (auto& index : kept_list_indexes()) out.push_back(std::move(index));
    out.push_back(std::string("CREATE INDEX rm_signed_agreements_by_team ON ") +
                  signed_agreements_table + " (team)");
    return out;
  }();
  return indexes;
}

namespace {

// The team is the person's (reading 13). ?1 up-to date, ?2 JSON array of teams or NULL.
constexpr const char* sql_episode_facts = R"sql(
SELECT e.person_id, p.team, p.date_of_birth, e.kind, e.setting, e.delivery, e.started_on,
       e.ended_on, e.sequel, e.short_term_type
  FROM rm_support_episodes e JOIN rm_people p ON p.id = e.person_id
 WHERE e.started_on <= ?1
   AND (CAST(?2 AS TEXT) IS NULL OR p.team IN (SELECT value FROM json_each(?2)))
)sql";
constexpr const char* sql_review_facts = R"sql(
SELECT r.person_id, r.reviewed_on
  FROM rm_reviews r JOIN rm_people p ON p.id = r.person_id
 WHERE r.reviewed_on <= ?1
   AND (CAST(?2 AS TEXT) IS NULL OR p.team IN (SELECT value FROM json_each(?2)))
)sql";
constexpr const char* sql_support_episodes_of = R"sql(
SELECT e.person_id, p.team, p.date_of_birth, e.kind, e.setting, e.delivery, e.started_on,
       e.ended_on, e.sequel, e.short_term_type
  FROM rm_support_episodes e JOIN rm_people p ON p.id = e.person_id
 WHERE e.person_id = ?1
)sql";
constexpr const char* sql_reviews_of =
    "SELECT person_id, reviewed_on FROM rm_reviews WHERE person_id = ?1 ORDER BY reviewed_on";
constexpr const char* sql_concerns_of = R"sql(
SELECT c.id, c.person_id, p.team, c.received_on, c.decided_on
  FROM rm_concerns c JOIN rm_people p ON p.id = c.person_id
 WHERE c.person_id = ?1
)sql";
constexpr const char* sql_enquiries_of = R"sql(
SELECT e.id, e.person_id, p.team, e.kind, e.started_on, e.concluded_on, e.risk_identified,
       e.risk_outcome, e.outcomes_asked, e.outcomes_achieved
  FROM rm_enquiries e JOIN rm_people p ON p.id = e.person_id
 WHERE e.person_id = ?1
)sql";
constexpr const char* sql_long_term_of = R"sql(
SELECT e.person_id, p.team, p.date_of_birth, e.kind, e.setting, e.delivery, e.started_on,
       e.ended_on, e.sequel, e.short_term_type
  FROM rm_support_episodes e JOIN rm_people p ON p.id = e.person_id
 WHERE e.person_id = ?1 AND e.kind = 'long_term'
 ORDER BY e.started_on
)sql";
// ?1 from, ?2 to, ?3 JSON array of teams or NULL. The team is the person's (reading 13).
// Each as two disjoint halves, so that each reads by its own index: what began in the period,
// and what began before it and was still open at its start (concerns: at its end).
constexpr const char* sql_concern_facts = R"sql(
SELECT c.id, c.person_id, p.team, c.received_on, c.decided_on
  FROM rm_concerns c JOIN rm_people p ON p.id = c.person_id
 WHERE c.received_on BETWEEN ?1 AND ?2
   AND (CAST(?3 AS TEXT) IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
UNION ALL
SELECT c.id, c.person_id, p.team, c.received_on, c.decided_on
  FROM rm_concerns c JOIN rm_people p ON p.id = c.person_id
 WHERE coalesce(c.decided_on, '9999-12-31') > ?2 AND c.received_on < ?1
   AND (CAST(?3 AS TEXT) IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
)sql";
constexpr const char* sql_enquiry_facts = R"sql(
SELECT e.id, e.person_id, p.team, e.kind, e.started_on, e.concluded_on, e.risk_identified,
       e.risk_outcome, e.outcomes_asked, e.outcomes_achieved
  FROM rm_enquiries e JOIN rm_people p ON p.id = e.person_id
 WHERE e.started_on BETWEEN ?1 AND ?2
   AND (CAST(?3 AS TEXT) IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
UNION ALL
SELECT e.id, e.person_id, p.team, e.kind, e.started_on, e.concluded_on, e.risk_identified,
       e.risk_outcome, e.outcomes_asked, e.outcomes_achieved
  FROM rm_enquiries e JOIN rm_people p ON p.id = e.person_id
 WHERE coalesce(e.concluded_on, '9999-12-31') >= ?1 AND e.started_on < ?1
   AND (CAST(?3 AS TEXT) IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
)sql";
constexpr const char* sql_placements_up_to = R"sql(
SELECT pl.id FROM rm_placements pl JOIN rm_people p ON p.id = pl.person_id
 WHERE pl.started_on <= ?1
   AND (CAST(?2 AS TEXT) IS NULL OR p.team IN (SELECT value FROM json_each(?2)))
 ORDER BY pl.id
)sql";
constexpr const char* sql_count_requested = R"sql(
SELECT COUNT(*) FROM rm_assessments
 WHERE requested_on BETWEEN ?1 AND ?2
   AND (CAST(?3 AS TEXT) IS NULL OR team IN (SELECT value FROM json_each(?3)))
)sql";
// Each distinct team found by one index probe from the last, not by reading every person.
constexpr const char* sql_known_teams = R"sql(
WITH RECURSIVE t(team) AS (
  SELECT min(team) FROM rm_people
  UNION ALL
  SELECT (SELECT min(team) FROM rm_people WHERE team > t.team) FROM t WHERE t.team IS NOT NULL)
SELECT team FROM t WHERE team IS NOT NULL
UNION SELECT team FROM user_teams
ORDER BY 1
)sql";

// ?1 as-at date, ?2 JSON array of teams or NULL, ?3 priority or NULL. When a request stopped
// waiting is the domain's rule (AssessmentState::stopped_waiting_on), written when projected;
// this only compares it with the day. The allocation shown is the latest dated on or before it.
constexpr const char* sql_waiting_as_at = R"sql(
SELECT a.id AS assessment_id, a.person_id, a.team, a.priority, a.requested_on,
       (SELECT l.practitioner FROM rm_allocations l
         WHERE l.assessment_id = a.id AND l.allocated_on <= ?1
         ORDER BY l.allocated_on DESC, l.seq DESC LIMIT 1) AS allocated_to
  FROM rm_assessments a
 WHERE coalesce(a.stopped_waiting_on, '9999-12-31') > ?1
   AND a.requested_on <= ?1
   AND (CAST(?2 AS TEXT) IS NULL OR a.team IN (SELECT value FROM json_each(?2)))
   AND (CAST(?3 AS TEXT) IS NULL OR a.priority = ?3)
)sql";
constexpr const char* sql_completion_days = R"sql(
SELECT days_to_complete FROM rm_assessments
 WHERE completed_on BETWEEN ?1 AND ?2
   AND (CAST(?3 AS TEXT) IS NULL OR team IN (SELECT value FROM json_each(?3)))
)sql";
constexpr const char* sql_concern_of_enquiry = "SELECT concern_id FROM rm_enquiries WHERE id = ?";
constexpr const char* sql_placements_of =
    "SELECT id FROM rm_placements WHERE person_id = ?1 ORDER BY id";
constexpr const char* sql_placement_of_agreement =
    "SELECT placement_id FROM rm_agreements WHERE id = ?";

// A query of one person's rows (`= ?1` on its person column), and the same of many people's (IN
// the JSON list bound to ?1): one person's is read through the key alone.
class PersonQuery {
 public:
  explicit PersonQuery(std::string one) : one_(std::move(one)) {
    const auto at = one_.find("= ?1");
    if (at == std::string::npos) throw std::logic_error("no person asked for: " + one_);
    many_ = one_.substr(0, at) + "IN (SELECT value FROM json_each(?1))" + one_.substr(at + 4);
  }
  const std::string& sql(const std::vector<domain::PersonId>& people) const {
    return people.size() == 1 ? one_ : many_;
  }
  void bind(Statement& q, const std::vector<domain::PersonId>& people) const {
    if (people.size() == 1) {
      q.bind(1, people.front().str());
    } else {
      q.bind(1, json_list(people));
    }
  }

 private:
  std::string one_;
  std::string many_;
};

template <typename Row>
RowsByPerson<Row> by_person(std::vector<Row> rows) {
  RowsByPerson<Row> out;
  for (auto& row : rows) {
    auto& theirs = out[row.person_id];
    theirs.push_back(std::move(row));
  }
  return out;
}

// The people's rows of a query, each member read from the column of its name.
template <typename Row>
RowsByPerson<Row> rows_of(Connection& db, const PersonQuery& query,
                          const std::vector<domain::PersonId>& people) {
  if (people.empty()) return {};
  Prepared q(db, query.sql(people));
  query.bind(q, people);
  return by_person(read_rows<Row>(q));
}

// The people's records of a kind, by id.
template <typename State>
RowsByPerson<State> records_of(Connection& db, const std::vector<domain::PersonId>& people) {
  static const PersonQuery query("SELECT " + rows::column_names<State>() + " FROM " +
                                 ReadModel<State>::table + " WHERE person_id = ?1 ORDER BY id");
  if (people.empty()) return {};
  Prepared q(db, query.sql(people));
  query.bind(q, people);
  std::vector<State> found;
  while (q->executeStep()) {
    State state;
    rows::read_row(*q, 0, state);
    state.exists = true;
    found.push_back(std::move(state));
  }
  return by_person(std::move(found));
}

void bind_period(Statement& q, Date from, Date to, const TeamFilter& teams) {
  q.bind(1, domain::format_date(from));
  q.bind(2, domain::format_date(to));
  bind_teams(q, 3, teams);
}

// The placements' ids a query gives, in its order, its parameters bound by `bind`.
template <typename Bind>
std::vector<domain::PlacementId> placement_ids(Connection& db, const char* sql, Bind&& bind) {
  Prepared q(db, sql);
  bind(*q);
  std::vector<domain::PlacementId> ids;
  while (q->executeStep()) ids.emplace_back(q->getColumn(0).getString());
  return ids;
}

}  // namespace

std::vector<domain::EpisodeFact> episode_facts(Connection& db, Date up_to,
                                               const TeamFilter& teams) {
  Prepared q(db, sql_episode_facts);
  q->bind(1, domain::format_date(up_to));
  bind_teams(q, 2, teams);
  return read_rows<domain::EpisodeFact>(q);
}

std::vector<domain::ReviewFact> review_facts(Connection& db, Date up_to, const TeamFilter& teams) {
  Prepared q(db, sql_review_facts);
  q->bind(1, domain::format_date(up_to));
  bind_teams(q, 2, teams);
  return read_rows<domain::ReviewFact>(q);
}

RowsByPerson<domain::EpisodeFact> support_episodes_of(Connection& db,
                                                      const std::vector<domain::PersonId>& people) {
  static const PersonQuery query(sql_support_episodes_of);
  return rows_of<domain::EpisodeFact>(db, query, people);
}

RowsByPerson<domain::ReviewFact> reviews_of(Connection& db,
                                            const std::vector<domain::PersonId>& people) {
  static const PersonQuery query(sql_reviews_of);
  return rows_of<domain::ReviewFact>(db, query, people);
}

RowsByPerson<domain::ConcernFact> concerns_of(Connection& db,
                                              const std::vector<domain::PersonId>& people) {
  static const PersonQuery query(sql_concerns_of);
  return rows_of<domain::ConcernFact>(db, query, people);
}

RowsByPerson<domain::EnquiryFact> enquiries_of(Connection& db,
                                               const std::vector<domain::PersonId>& people) {
  static const PersonQuery query(sql_enquiries_of);
  return rows_of<domain::EnquiryFact>(db, query, people);
}

RowsByPerson<domain::EpisodeFact> long_term_episodes_of(
    Connection& db, const std::vector<domain::PersonId>& people) {
  static const PersonQuery query(sql_long_term_of);
  return rows_of<domain::EpisodeFact>(db, query, people);
}

std::vector<domain::EpisodeFact> long_term_episodes_of(Connection& db,
                                                       const domain::PersonId& person) {
  auto found = long_term_episodes_of(db, std::vector{person});
  return found.empty() ? std::vector<domain::EpisodeFact>{} : std::move(found.begin()->second);
}

RowsByPerson<domain::RequestState> support_requests_of(
    Connection& db, const std::vector<domain::PersonId>& people) {
  return records_of<domain::RequestState>(db, people);
}

RowsByPerson<domain::AssessmentState> assessments_of(Connection& db,
                                                     const std::vector<domain::PersonId>& people) {
  return records_of<domain::AssessmentState>(db, people);
}

std::optional<domain::ConcernId> concern_of_enquiry(Connection& db,
                                                    const domain::EnquiryId& enquiry) {
  Prepared q(db, sql_concern_of_enquiry);
  q->bind(1, enquiry.str());
  if (!q->executeStep()) return std::nullopt;
  return domain::ConcernId{q->getColumn(0).getString()};
}

std::vector<domain::ConcernFact> concern_facts(Connection& db, Date from, Date to,
                                               const TeamFilter& teams) {
  Prepared q(db, sql_concern_facts);
  bind_period(q, from, to, teams);
  return read_rows<domain::ConcernFact>(q);
}

std::vector<domain::EnquiryFact> enquiry_facts(Connection& db, Date from, Date to,
                                               const TeamFilter& teams) {
  Prepared q(db, sql_enquiry_facts);
  bind_period(q, from, to, teams);
  return read_rows<domain::EnquiryFact>(q);
}

std::optional<domain::PlacementId> placement_of_agreement(Connection& db,
                                                          const domain::AgreementId& agreement) {
  Prepared q(db, sql_placement_of_agreement);
  q->bind(1, agreement.str());
  if (!q->executeStep()) return std::nullopt;
  return domain::PlacementId{q->getColumn(0).getString()};
}

RowsByPerson<domain::PlacementState> placements_of(Connection& db,
                                                   const std::vector<domain::PersonId>& people) {
  static const PersonQuery query(sql_placements_of);
  if (people.empty()) return {};
  return by_person(find_all<domain::PlacementState>(
      db,
      placement_ids(db, query.sql(people).c_str(), [&](Statement& q) { query.bind(q, people); })));
}

namespace {

// A signed agreement's charges and repayments, one "day amount" a line (days as day numbers):
// what its balance needs of them.
std::string encode_movements(const std::vector<domain::Movement>& movements) {
  std::string out;
  for (const auto& m : movements) {
    out += std::to_string(domain::day_number(m.on)) + " " + std::to_string(m.amount.value()) + "\n";
  }
  return out;
}

std::vector<domain::Movement> decode_movements(std::string_view text) {
  std::vector<domain::Movement> out;
  while (!text.empty()) {
    std::int64_t day = 0, amount = 0;
    const char* const text_end = text.data() + text.size();
    auto at = std::from_chars(text.data(), text_end, day);
    if (at.ec != std::errc{} || at.ptr == text_end) {
      throw std::runtime_error("unreadable movements of a signed agreement");
    }
    const auto rest = std::string_view(at.ptr + 1, text_end - (at.ptr + 1));
    auto end = std::from_chars(rest.data(), rest.data() + rest.size(), amount);
    if (end.ec != std::errc{} || end.ptr == rest.data() + rest.size()) {
      throw std::runtime_error("unreadable movements of a signed agreement");
    }
    out.push_back({Date{date::days{day}}, domain::Pence{amount}, {}});
    text = std::string_view(end.ptr + 1, rest.data() + rest.size() - (end.ptr + 1));
  }
  return out;
}

}  // namespace

TableSchema signed_agreements_schema() {
  return {signed_agreements_table, "person_id",
          std::string("CREATE TABLE ") + signed_agreements_table + " (" +
              rows::column_definitions<SignedAgreementOf>() + ", " +
              rows::column_definitions<domain::AgreementState>() +
              ", movements TEXT NOT NULL, PRIMARY KEY (person_id, id)) WITHOUT ROWID"};
}

void save_signed_agreements(Connection& db, const domain::PersonId& person,
                            const std::optional<domain::Team>& team,
                            const std::vector<domain::PlacementState>& placements) {
  Prepared remove(db,
                  std::string("DELETE FROM ") + signed_agreements_table + " WHERE person_id = ?");
  remove->bind(1, person.str());
  remove->exec();
  if (!team) return;
  static const std::string insert = [] {
    std::string marks;
    for (int i = 0; i < rows::column_count<SignedAgreementOf>() +
                            rows::column_count<domain::AgreementState>() + 1;
         ++i) {
      marks += marks.empty() ? "?" : ",?";
    }
    return std::string("INSERT INTO ") + signed_agreements_table + " (" +
           rows::column_names<SignedAgreementOf>() + ", " +
           rows::column_names<domain::AgreementState>() + ", movements) VALUES (" + marks + ")";
  }();
  for (const auto& p : placements) {
    for (const auto& a : p.agreements) {
      if (!a.signed_on) continue;
      Prepared q(db, insert);
      int next = rows::bind_row(*q, 1, SignedAgreementOf{person, *team});
      next = rows::bind_row(*q, next, a);
      q->bind(next, encode_movements(a.movements));
      q->exec();
    }
  }
}

std::vector<domain::AgreementState> signed_agreements(
    Connection& db, const TeamFilter& teams, const std::vector<domain::PersonId>& except_people) {
  static const std::string sql =
      "SELECT " + rows::column_names<domain::AgreementState>() + ", movements FROM " +
      signed_agreements_table +
      " WHERE (CAST(?1 AS TEXT) IS NULL OR team IN (SELECT value FROM json_each(?1)))"
      "   AND (CAST(?2 AS TEXT) IS NULL OR person_id NOT IN (SELECT value FROM json_each(?2)))";
  Prepared q(db, sql);
  bind_teams(q, 1, teams);
  if (!except_people.empty()) q->bind(2, json_list(except_people));
  std::vector<domain::AgreementState> out;
  const int movements = rows::column_count<domain::AgreementState>();
  while (q->executeStep()) {
    domain::AgreementState a;
    rows::read_row(*q, 0, a);
    a.movements = decode_movements(q->getColumn(movements).getString());
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<domain::PlacementState> placements(Connection& db, Date up_to,
                                               const TeamFilter& teams) {
  return find_all<domain::PlacementState>(
      db, placement_ids(db, sql_placements_up_to, [&](Statement& q) {
        q.bind(1, domain::format_date(up_to));
        bind_teams(q, 2, teams);
      }));
}

std::vector<WaitingItem> waiting_from_requests(Connection& db, Date as_at, const TeamFilter& teams,
                                               std::optional<domain::Priority> priority) {
  Prepared q(db, sql_waiting_as_at);
  q->bind(1, domain::format_date(as_at));
  bind_teams(q, 2, teams);
  if (priority) {
    q->bind(3, std::string(domain::code_name(*priority)));
  } else {
    q->bind(3);
  }
  auto items = read_rows<WaitingItem>(q);
  std::sort(items.begin(), items.end(), [](const WaitingItem& a, const WaitingItem& b) {
    return std::tie(a.priority, a.requested_on, a.assessment_id) <
           std::tie(b.priority, b.requested_on, b.assessment_id);
  });
  return items;
}

std::vector<int> completion_days(Connection& db, Date from, Date to, const TeamFilter& teams) {
  Prepared q(db, sql_completion_days);
  bind_period(q, from, to, teams);
  std::vector<int> days;
  while (q->executeStep()) days.push_back(q->getColumn(0).getInt());
  return days;
}

long long count_requested(Connection& db, Date from, Date to, const TeamFilter& teams) {
  Prepared q(db, sql_count_requested);
  bind_period(q, from, to, teams);
  q->executeStep();
  return q->getColumn(0).getInt64();
}

std::vector<PersonName> person_names(Connection& db, const std::vector<domain::PersonId>& ids) {
  static const std::string sql = "SELECT " + rows::column_names<PersonName>() +
                                 " FROM rm_people WHERE id IN (SELECT value FROM json_each(?))";
  Prepared q(db, sql);
  q->bind(1, json_list(ids));
  return read_rows<PersonName>(q);
}

std::vector<domain::Team> known_teams(Connection& db) {
  Prepared q(db, sql_known_teams);
  std::vector<domain::Team> teams;
  while (q->executeStep()) teams.emplace_back(q->getColumn(0).getString());
  return teams;
}

std::string json_list(const std::vector<domain::Team>& teams) {
  return json_list_of(teams);
}

void bind_teams(Statement& q, int index, const TeamFilter& teams) {
  bind_or_null(q, index, teams ? std::optional(json_list(*teams)) : std::nullopt);
}

std::string json_list(const std::vector<domain::PersonId>& people) {
  return json_list_of(people);
}

}  // namespace careledger::persistence
