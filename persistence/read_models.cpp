#include "persistence/read_models.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string_view>

#include <SQLiteCpp/Statement.h>
#include <boost/json.hpp>

namespace careledger::persistence {

namespace {

// INSERT ... ON CONFLICT DO UPDATE: a row saved again is updated where it is, so only the
// indexes whose columns changed are touched (INSERT OR REPLACE deletes and re-inserts it).
std::string upsert(const char* table, std::initializer_list<const char*> columns,
                   std::initializer_list<const char*> key) {
  std::string names, values, updates, conflict;
  for (const char* column : columns) {
    names += std::string(names.empty() ? "" : ", ") + column;
    values += values.empty() ? "?" : ",?";
    if (std::find_if(key.begin(), key.end(),
                     [&](const char* k) { return std::string_view(k) == column; }) == key.end()) {
      updates += std::string(updates.empty() ? "" : ", ") + column + " = excluded." + column;
    }
  }
  for (const char* column : key) conflict += std::string(conflict.empty() ? "" : ", ") + column;
  return std::string("INSERT INTO ") + table + " (" + names + ") VALUES (" + values +
         ") ON CONFLICT (" + conflict + ") DO UPDATE SET " + updates;
}

using domain::Date;

constexpr const char* sql_find_person =
    "SELECT id, team, given_name, family_name, date_of_birth, nhs_number, client_type, "
    "primary_support_reason, version FROM rm_people WHERE id = ?";
const std::string sql_save_person =
    upsert("rm_people",
           {"id", "team", "given_name", "family_name", "date_of_birth", "nhs_number", "client_type",
            "primary_support_reason", "version"},
           {"id"});
constexpr const char* sql_find_assessment =
    "SELECT id, person_id, team, kind, requested_on, priority, status, allocated_to, "
    "allocated_on, completed_on, eligible_needs, closed_on, closure_reason, version "
    "FROM rm_assessments WHERE id = ?";
const std::string sql_save_assessment = upsert(
    "rm_assessments",
    {"id", "person_id", "team", "kind", "requested_on", "priority", "status", "allocated_to",
     "allocated_on", "completed_on", "eligible_needs", "closed_on", "closure_reason", "version"},
    {"id"});
constexpr const char* sql_add_allocation =
    "INSERT INTO rm_allocations (assessment_id, position, allocated_on, practitioner) "
    "VALUES (?,?,?,?)";
// ?1 as-at date, ?2 JSON array of teams or NULL, ?3 priority rank or NULL.
constexpr const char* sql_waiting_as_at = R"sql(
SELECT a.id, a.person_id, a.team, a.priority, a.requested_on,
       (SELECT l.practitioner FROM rm_allocations l
         WHERE l.assessment_id = a.id AND l.allocated_on <= ?1
         ORDER BY l.allocated_on DESC, l.position DESC LIMIT 1)
  FROM rm_assessments a
 WHERE min(coalesce(a.completed_on, '9999-12-31'), coalesce(a.closed_on, '9999-12-31')) > ?1
   AND a.requested_on <= ?1
   AND (?2 IS NULL OR a.team IN (SELECT value FROM json_each(?2)))
   AND (?3 IS NULL OR a.priority = ?3)
 ORDER BY a.priority, a.requested_on, a.id
)sql";
constexpr const char* sql_completion_days = R"sql(
SELECT julianday(completed_on) - julianday(requested_on)
  FROM rm_assessments
 WHERE completed_on BETWEEN ?1 AND ?2
   AND (?3 IS NULL OR team IN (SELECT value FROM json_each(?3)))
)sql";
constexpr const char* sql_count_requested = R"sql(
SELECT COUNT(*) FROM rm_assessments
 WHERE requested_on BETWEEN ?1 AND ?2
   AND (?3 IS NULL OR team IN (SELECT value FROM json_each(?3)))
)sql";

constexpr const char* sql_find_episode =
    "SELECT id, person_id, team, kind, setting, delivery, started_on, ended_on, sequel, version "
    "FROM rm_support_episodes WHERE id = ?";
const std::string sql_save_episode =
    upsert("rm_support_episodes",
           {"id", "person_id", "team", "kind", "setting", "delivery", "started_on", "ended_on",
            "sequel", "version"},
           {"id"});
constexpr const char* sql_find_review =
    "SELECT id, person_id, team, reviewed_on, planned, outcome, version FROM rm_reviews "
    "WHERE id = ?";
const std::string sql_save_review =
    upsert("rm_reviews",
           {"id", "person_id", "team", "reviewed_on", "planned", "outcome", "version"}, {"id"});
// The team is the person's (reading 13). ?1 up-to date, ?2 JSON array of teams or NULL.
constexpr const char* sql_episode_facts = R"sql(
SELECT e.person_id, p.team, p.date_of_birth, e.kind, e.setting, e.delivery, e.started_on,
       e.ended_on, e.sequel
  FROM rm_support_episodes e JOIN rm_people p ON p.id = e.person_id
 WHERE e.started_on <= ?1
   AND (?2 IS NULL OR p.team IN (SELECT value FROM json_each(?2)))
)sql";
constexpr const char* sql_review_facts = R"sql(
SELECT r.person_id, r.reviewed_on
  FROM rm_reviews r JOIN rm_people p ON p.id = r.person_id
 WHERE r.reviewed_on <= ?1
   AND (?2 IS NULL OR p.team IN (SELECT value FROM json_each(?2)))
)sql";
constexpr const char* sql_long_term_of = R"sql(
SELECT e.person_id, p.team, p.date_of_birth, e.kind, e.setting, e.delivery, e.started_on,
       e.ended_on, e.sequel
  FROM rm_support_episodes e JOIN rm_people p ON p.id = e.person_id
 WHERE e.person_id = ?1 AND e.kind = 'long_term'
 ORDER BY e.started_on
)sql";

constexpr const char* sql_find_concern =
    "SELECT id, person_id, team, received_on, source, abuse_types, location, decided_on, outcome, "
    "version FROM rm_concerns WHERE id = ?";
constexpr const char* sql_find_concern_enquiry =
    "SELECT id, kind, started_on, concluded_on, risk_identified, risk_outcome, outcomes_asked, "
    "outcomes_achieved FROM rm_enquiries WHERE concern_id = ?";
const std::string sql_save_concern =
    upsert("rm_concerns",
           {"id", "person_id", "team", "received_on", "source", "abuse_types", "location",
            "decided_on", "outcome", "enquiry_id", "version"},
           {"id"});
const std::string sql_save_enquiry =
    upsert("rm_enquiries",
           {"id", "concern_id", "person_id", "team", "kind", "started_on", "concluded_on",
            "risk_identified", "risk_outcome", "outcomes_asked", "outcomes_achieved"},
           {"id"});
constexpr const char* sql_concern_of_enquiry = "SELECT concern_id FROM rm_enquiries WHERE id = ?";
// ?1 from, ?2 to, ?3 JSON array of teams or NULL. The team is the person's (reading 13).
// Each as two disjoint halves, so that each reads by its own index: what began in the period,
// and what began before it and was still open at its start (concerns: at its end).
constexpr const char* sql_concern_facts = R"sql(
SELECT c.id, c.person_id, p.team, c.received_on, c.decided_on
  FROM rm_concerns c JOIN rm_people p ON p.id = c.person_id
 WHERE c.received_on BETWEEN ?1 AND ?2
   AND (?3 IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
UNION ALL
SELECT c.id, c.person_id, p.team, c.received_on, c.decided_on
  FROM rm_concerns c JOIN rm_people p ON p.id = c.person_id
 WHERE coalesce(c.decided_on, '9999-12-31') > ?2 AND c.received_on < ?1
   AND (?3 IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
)sql";
constexpr const char* sql_enquiry_facts = R"sql(
SELECT e.id, e.person_id, p.team, e.kind, e.started_on, e.concluded_on, e.risk_identified,
       e.risk_outcome, e.outcomes_asked, e.outcomes_achieved
  FROM rm_enquiries e JOIN rm_people p ON p.id = e.person_id
 WHERE e.started_on BETWEEN ?1 AND ?2
   AND (?3 IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
UNION ALL
SELECT e.id, e.person_id, p.team, e.kind, e.started_on, e.concluded_on, e.risk_identified,
       e.risk_outcome, e.outcomes_asked, e.outcomes_achieved
  FROM rm_enquiries e JOIN rm_people p ON p.id = e.person_id
 WHERE coalesce(e.concluded_on, '9999-12-31') >= ?1 AND e.started_on < ?1
   AND (?3 IS NULL OR p.team IN (SELECT value FROM json_each(?3)))
)sql";

constexpr const char* sql_find_placement =
    "SELECT id, person_id, team, started_on, weekly_cost_pence, property_disregard, "
    "self_funding_on, version FROM rm_placements WHERE id = ?";
constexpr const char* sql_placement_agreements =
    "SELECT id, offered_on, signed_on, property_value_pence, prior_charges_pence, "
    "weekly_deferred_pence, interest_rate_basis_points, declined_on, terminated_on, "
    "termination_reason FROM rm_agreements WHERE placement_id = ? ORDER BY seq";
constexpr const char* sql_agreement_movements =
    "SELECT moved_on, amount_pence, description FROM rm_agreement_movements "
    "WHERE agreement_id = ? ORDER BY seq";
const std::string sql_save_placement =
    upsert("rm_placements",
           {"id", "person_id", "team", "started_on", "weekly_cost_pence", "property_disregard",
            "self_funding_on", "version"},
           {"id"});
const std::string sql_save_agreement =
    upsert("rm_agreements",
           {"id", "placement_id", "seq", "offered_on", "signed_on", "property_value_pence",
            "prior_charges_pence", "weekly_deferred_pence", "interest_rate_basis_points",
            "declined_on", "terminated_on", "termination_reason"},
           {"id"});
const std::string sql_save_movement = upsert(
    "rm_agreement_movements", {"agreement_id", "seq", "moved_on", "amount_pence", "description"},
    {"agreement_id", "seq"});
constexpr const char* sql_placement_of_agreement =
    "SELECT placement_id FROM rm_agreements WHERE id = ?";
// The team is the person's (reading 13).
constexpr const char* sql_placements_up_to = R"sql(
SELECT pl.id FROM rm_placements pl JOIN rm_people p ON p.id = pl.person_id
 WHERE pl.started_on <= ?1
   AND (?2 IS NULL OR p.team IN (SELECT value FROM json_each(?2)))
 ORDER BY pl.id
)sql";

void bind_optional(SQLite::Statement& q, int index, const std::optional<std::string>& value) {
  if (value) {
    q.bind(index, *value);
  } else {
    q.bind(index);
  }
}
void bind_optional(SQLite::Statement& q, int index, const std::optional<Date>& value) {
  bind_optional(q, index,
                value ? std::optional<std::string>(domain::format_date(*value)) : std::nullopt);
}
void bind_teams(SQLite::Statement& q, int index, const TeamFilter& teams) {
  if (!teams) {
    q.bind(index);
    return;
  }
  boost::json::array list;
  for (const auto& team : *teams) list.emplace_back(team.str());
  q.bind(index, boost::json::serialize(list));
}
std::optional<std::string> optional_text(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}
std::optional<Date> optional_date(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return domain::parse_date(column.getString());
}
template <typename E>
E code_column(const SQLite::Column& column) {
  return *domain::parse_code<E>(column.getString());
}
template <typename E>
std::optional<E> optional_code_column(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return domain::parse_code<E>(column.getString());
}
template <typename E>
std::optional<std::string> code_text(const std::optional<E>& code) {
  if (!code) return std::nullopt;
  return std::string(domain::code_name(*code));
}

domain::EpisodeFact to_episode_fact(SQLite::Statement& q) {
  domain::EpisodeFact f;
  f.person_id = domain::PersonId{q.getColumn(0).getString()};
  f.team = domain::Team{q.getColumn(1).getString()};
  f.date_of_birth = *domain::parse_date(q.getColumn(2).getString());
  f.kind = code_column<domain::SupportKind>(q.getColumn(3));
  f.setting = code_column<domain::Setting>(q.getColumn(4));
  f.delivery = code_column<domain::Delivery>(q.getColumn(5));
  f.started_on = *domain::parse_date(q.getColumn(6).getString());
  f.ended_on = optional_date(q.getColumn(7));
  f.sequel = optional_code_column<domain::Sequel>(q.getColumn(8));
  return f;
}

}  // namespace

std::optional<domain::PersonState> find_person(Connection& db, const domain::PersonId& id) {
  Prepared q(db, sql_find_person);
  q->bind(1, id.str());
  if (!q->executeStep()) return std::nullopt;
  domain::PersonState p;
  p.exists = true;
  p.id = domain::PersonId{q->getColumn(0).getString()};
  p.team = domain::Team{q->getColumn(1).getString()};
  p.given_name = q->getColumn(2).getString();
  p.family_name = q->getColumn(3).getString();
  p.date_of_birth = *domain::parse_date(q->getColumn(4).getString());
  p.nhs_number = optional_text(q->getColumn(5));
  p.client_type = code_column<domain::ClientType>(q->getColumn(6));
  if (auto reason = optional_text(q->getColumn(7))) {
    p.primary_support_reason = domain::parse_code<domain::SupportReason>(*reason);
  }
  p.version = domain::Version{q->getColumn(8).getInt64()};
  return p;
}

void save_person(Connection& db, const domain::PersonState& p) {
  Prepared q(db, sql_save_person);
  q->bind(1, p.id.str());
  q->bind(2, p.team.str());
  q->bind(3, p.given_name);
  q->bind(4, p.family_name);
  q->bind(5, domain::format_date(p.date_of_birth));
  bind_optional(q, 6, p.nhs_number);
  q->bind(7, std::string(domain::code_name(p.client_type)));
  bind_optional(q, 8,
                p.primary_support_reason
                    ? std::optional<std::string>(domain::code_name(*p.primary_support_reason))
                    : std::nullopt);
  q->bind(9, static_cast<std::int64_t>(p.version.value()));
  q->exec();
}

std::optional<domain::AssessmentState> find_assessment(Connection& db,
                                                       const domain::AssessmentId& id) {
  Prepared q(db, sql_find_assessment);
  q->bind(1, id.str());
  if (!q->executeStep()) return std::nullopt;
  domain::AssessmentState a;
  a.exists = true;
  a.id = domain::AssessmentId{q->getColumn(0).getString()};
  a.person_id = domain::PersonId{q->getColumn(1).getString()};
  a.team = domain::Team{q->getColumn(2).getString()};
  a.kind = code_column<domain::AssessmentKind>(q->getColumn(3));
  a.requested_on = *domain::parse_date(q->getColumn(4).getString());
  a.priority = static_cast<domain::Priority>(q->getColumn(5).getInt());
  a.status = code_column<domain::AssessmentStatus>(q->getColumn(6));
  a.allocated_to = optional_text(q->getColumn(7));
  a.allocated_on = optional_date(q->getColumn(8));
  a.completed_on = optional_date(q->getColumn(9));
  if (!q->getColumn(10).isNull()) a.eligible_needs = q->getColumn(10).getInt() != 0;
  a.closed_on = optional_date(q->getColumn(11));
  if (auto reason = optional_text(q->getColumn(12))) {
    a.closure_reason = domain::parse_code<domain::ClosureReason>(*reason);
  }
  a.version = domain::Version{q->getColumn(13).getInt64()};
  return a;
}

void save_assessment(Connection& db, const domain::AssessmentState& a) {
  Prepared q(db, sql_save_assessment);
  q->bind(1, a.id.str());
  q->bind(2, a.person_id.str());
  q->bind(3, a.team.str());
  q->bind(4, std::string(domain::code_name(a.kind)));
  q->bind(5, domain::format_date(a.requested_on));
  q->bind(6, static_cast<int>(a.priority));
  q->bind(7, std::string(domain::code_name(a.status)));
  bind_optional(q, 8, a.allocated_to);
  bind_optional(q, 9, a.allocated_on);
  bind_optional(q, 10, a.completed_on);
  if (a.eligible_needs) {
    q->bind(11, *a.eligible_needs ? 1 : 0);
  } else {
    q->bind(11);
  }
  bind_optional(q, 12, a.closed_on);
  bind_optional(q, 13,
                a.closure_reason ? std::optional<std::string>(domain::code_name(*a.closure_reason))
                                 : std::nullopt);
  q->bind(14, static_cast<std::int64_t>(a.version.value()));
  q->exec();
}

void add_allocation(Connection& db, const domain::AssessmentId& id, std::int64_t position,
                    const domain::AssessmentAllocated& allocation) {
  Prepared q(db, sql_add_allocation);
  q->bind(1, id.str());
  q->bind(2, position);
  q->bind(3, domain::format_date(allocation.allocated_on));
  q->bind(4, allocation.practitioner);
  q->exec();
}

std::optional<domain::SupportEpisodeState> find_support_episode(
    Connection& db, const domain::SupportEpisodeId& id) {
  Prepared q(db, sql_find_episode);
  q->bind(1, id.str());
  if (!q->executeStep()) return std::nullopt;
  domain::SupportEpisodeState e;
  e.exists = true;
  e.id = domain::SupportEpisodeId{q->getColumn(0).getString()};
  e.person_id = domain::PersonId{q->getColumn(1).getString()};
  e.team = domain::Team{q->getColumn(2).getString()};
  e.kind = code_column<domain::SupportKind>(q->getColumn(3));
  e.setting = code_column<domain::Setting>(q->getColumn(4));
  e.delivery = code_column<domain::Delivery>(q->getColumn(5));
  e.started_on = *domain::parse_date(q->getColumn(6).getString());
  e.ended_on = optional_date(q->getColumn(7));
  e.sequel = optional_code_column<domain::Sequel>(q->getColumn(8));
  e.version = domain::Version{q->getColumn(9).getInt64()};
  return e;
}

void save_support_episode(Connection& db, const domain::SupportEpisodeState& e) {
  Prepared q(db, sql_save_episode);
  q->bind(1, e.id.str());
  q->bind(2, e.person_id.str());
  q->bind(3, e.team.str());
  q->bind(4, std::string(domain::code_name(e.kind)));
  q->bind(5, std::string(domain::code_name(e.setting)));
  q->bind(6, std::string(domain::code_name(e.delivery)));
  q->bind(7, domain::format_date(e.started_on));
  bind_optional(q, 8, e.ended_on);
  bind_optional(q, 9, code_text(e.sequel));
  q->bind(10, static_cast<std::int64_t>(e.version.value()));
  q->exec();
}

std::optional<domain::ReviewState> find_review(Connection& db, const domain::ReviewId& id) {
  Prepared q(db, sql_find_review);
  q->bind(1, id.str());
  if (!q->executeStep()) return std::nullopt;
  domain::ReviewState r;
  r.exists = true;
  r.id = domain::ReviewId{q->getColumn(0).getString()};
  r.person_id = domain::PersonId{q->getColumn(1).getString()};
  r.team = domain::Team{q->getColumn(2).getString()};
  r.reviewed_on = *domain::parse_date(q->getColumn(3).getString());
  r.planned = q->getColumn(4).getInt() != 0;
  r.outcome = code_column<domain::ReviewOutcome>(q->getColumn(5));
  r.version = domain::Version{q->getColumn(6).getInt64()};
  return r;
}

void save_review(Connection& db, const domain::ReviewState& r) {
  Prepared q(db, sql_save_review);
  q->bind(1, r.id.str());
  q->bind(2, r.person_id.str());
  q->bind(3, r.team.str());
  q->bind(4, domain::format_date(r.reviewed_on));
  q->bind(5, r.planned ? 1 : 0);
  q->bind(6, std::string(domain::code_name(r.outcome)));
  q->bind(7, static_cast<std::int64_t>(r.version.value()));
  q->exec();
}

std::vector<domain::EpisodeFact> episode_facts(Connection& db, Date up_to,
                                               const TeamFilter& teams) {
  Prepared q(db, sql_episode_facts);
  q->bind(1, domain::format_date(up_to));
  bind_teams(q, 2, teams);
  std::vector<domain::EpisodeFact> out;
  while (q->executeStep()) out.push_back(to_episode_fact(q));
  return out;
}

std::vector<domain::ReviewFact> review_facts(Connection& db, Date up_to, const TeamFilter& teams) {
  Prepared q(db, sql_review_facts);
  q->bind(1, domain::format_date(up_to));
  bind_teams(q, 2, teams);
  std::vector<domain::ReviewFact> out;
  while (q->executeStep()) {
    out.push_back({domain::PersonId{q->getColumn(0).getString()},
                   *domain::parse_date(q->getColumn(1).getString())});
  }
  return out;
}

std::vector<domain::EpisodeFact> long_term_episodes_of(Connection& db,
                                                       const domain::PersonId& person) {
  Prepared q(db, sql_long_term_of);
  q->bind(1, person.str());
  std::vector<domain::EpisodeFact> out;
  while (q->executeStep()) out.push_back(to_episode_fact(q));
  return out;
}

std::optional<domain::ConcernState> find_concern(Connection& db, const domain::ConcernId& id) {
  Prepared q(db, sql_find_concern);
  q->bind(1, id.str());
  if (!q->executeStep()) return std::nullopt;
  domain::ConcernState c;
  c.exists = true;
  c.id = domain::ConcernId{q->getColumn(0).getString()};
  c.person_id = domain::PersonId{q->getColumn(1).getString()};
  c.team = domain::Team{q->getColumn(2).getString()};
  c.received_on = *domain::parse_date(q->getColumn(3).getString());
  c.source = code_column<domain::ConcernSource>(q->getColumn(4));
  const auto types = boost::json::parse(q->getColumn(5).getString());
  for (const auto& type : types.as_array()) {
    c.abuse_types.push_back(*domain::parse_code<domain::AbuseType>(type.as_string()));
  }
  c.location = code_column<domain::RiskLocation>(q->getColumn(6));
  c.decided_on = optional_date(q->getColumn(7));
  c.outcome = optional_code_column<domain::ConcernOutcome>(q->getColumn(8));
  c.version = domain::Version{q->getColumn(9).getInt64()};

  Prepared e(db, sql_find_concern_enquiry);
  e->bind(1, id.str());
  if (e->executeStep()) {
    c.enquiry = domain::EnquiryState{
        domain::EnquiryId{e->getColumn(0).getString()},
        code_column<domain::EnquiryKind>(e->getColumn(1)),
        *domain::parse_date(e->getColumn(2).getString()),
        optional_date(e->getColumn(3)),
        optional_code_column<domain::RiskIdentified>(e->getColumn(4)),
        optional_code_column<domain::RiskOutcome>(e->getColumn(5)),
        optional_code_column<domain::OutcomesAsked>(e->getColumn(6)),
        optional_code_column<domain::OutcomesAchieved>(e->getColumn(7)),
    };
  }
  return c;
}

void save_concern(Connection& db, const domain::ConcernState& c) {
  boost::json::array types;
  for (auto type : c.abuse_types) types.emplace_back(domain::code_name(type));
  Prepared q(db, sql_save_concern);
  q->bind(1, c.id.str());
  q->bind(2, c.person_id.str());
  q->bind(3, c.team.str());
  q->bind(4, domain::format_date(c.received_on));
  q->bind(5, std::string(domain::code_name(c.source)));
  q->bind(6, boost::json::serialize(types));
  q->bind(7, std::string(domain::code_name(c.location)));
  bind_optional(q, 8, c.decided_on);
  bind_optional(q, 9, code_text(c.outcome));
  bind_optional(q, 10, c.enquiry ? std::optional<std::string>(c.enquiry->id.str()) : std::nullopt);
  q->bind(11, static_cast<std::int64_t>(c.version.value()));
  q->exec();
  if (!c.enquiry) return;
  const auto& e = *c.enquiry;
  Prepared s(db, sql_save_enquiry);
  s->bind(1, e.id.str());
  s->bind(2, c.id.str());
  s->bind(3, c.person_id.str());
  s->bind(4, c.team.str());
  s->bind(5, std::string(domain::code_name(e.kind)));
  s->bind(6, domain::format_date(e.started_on));
  bind_optional(s, 7, e.concluded_on);
  bind_optional(s, 8, code_text(e.risk_identified));
  bind_optional(s, 9, code_text(e.risk_outcome));
  bind_optional(s, 10, code_text(e.outcomes_asked));
  bind_optional(s, 11, code_text(e.outcomes_achieved));
  s->exec();
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
  q->bind(1, domain::format_date(from));
  q->bind(2, domain::format_date(to));
  bind_teams(q, 3, teams);
  std::vector<domain::ConcernFact> out;
  while (q->executeStep()) {
    out.push_back(
        {domain::ConcernId{q->getColumn(0).getString()},
         domain::PersonId{q->getColumn(1).getString()}, domain::Team{q->getColumn(2).getString()},
         *domain::parse_date(q->getColumn(3).getString()), optional_date(q->getColumn(4))});
  }
  return out;
}

std::vector<domain::EnquiryFact> enquiry_facts(Connection& db, Date from, Date to,
                                               const TeamFilter& teams) {
  Prepared q(db, sql_enquiry_facts);
  q->bind(1, domain::format_date(from));
  q->bind(2, domain::format_date(to));
  bind_teams(q, 3, teams);
  std::vector<domain::EnquiryFact> out;
  while (q->executeStep()) {
    out.push_back({domain::EnquiryId{q->getColumn(0).getString()},
                   domain::PersonId{q->getColumn(1).getString()},
                   domain::Team{q->getColumn(2).getString()},
                   code_column<domain::EnquiryKind>(q->getColumn(3)),
                   *domain::parse_date(q->getColumn(4).getString()), optional_date(q->getColumn(5)),
                   optional_code_column<domain::RiskIdentified>(q->getColumn(6)),
                   optional_code_column<domain::RiskOutcome>(q->getColumn(7)),
                   optional_code_column<domain::OutcomesAsked>(q->getColumn(8)),
                   optional_code_column<domain::OutcomesAchieved>(q->getColumn(9))});
  }
  return out;
}

std::optional<domain::PlacementState> find_placement(Connection& db,
                                                     const domain::PlacementId& id) {
  Prepared q(db, sql_find_placement);
  q->bind(1, id.str());
  if (!q->executeStep()) return std::nullopt;
  domain::PlacementState p;
  p.exists = true;
  p.id = domain::PlacementId{q->getColumn(0).getString()};
  p.person_id = domain::PersonId{q->getColumn(1).getString()};
  p.team = domain::Team{q->getColumn(2).getString()};
  p.started_on = *domain::parse_date(q->getColumn(3).getString());
  p.weekly_cost = domain::Pence{q->getColumn(4).getInt64()};
  p.property_disregard = q->getColumn(5).getInt() != 0;
  p.self_funding_on = optional_date(q->getColumn(6));
  p.version = domain::Version{q->getColumn(7).getInt64()};

  Prepared a(db, sql_placement_agreements);
  a->bind(1, id.str());
  while (a->executeStep()) {
    domain::AgreementState agreement;
    agreement.id = domain::AgreementId{a->getColumn(0).getString()};
    agreement.offered_on = *domain::parse_date(a->getColumn(1).getString());
    agreement.signed_on = optional_date(a->getColumn(2));
    agreement.property_value = domain::Pence{a->getColumn(3).getInt64()};
    agreement.prior_charges = domain::Pence{a->getColumn(4).getInt64()};
    agreement.weekly_deferred = domain::Pence{a->getColumn(5).getInt64()};
    agreement.interest_rate_basis_points = a->getColumn(6).getInt();
    agreement.declined_on = optional_date(a->getColumn(7));
    agreement.terminated_on = optional_date(a->getColumn(8));
    agreement.termination_reason = optional_code_column<domain::TerminationReason>(a->getColumn(9));
    Prepared m(db, sql_agreement_movements);
    m->bind(1, agreement.id.str());
    while (m->executeStep()) {
      agreement.movements.push_back({*domain::parse_date(m->getColumn(0).getString()),
                                     domain::Pence{m->getColumn(1).getInt64()},
                                     m->getColumn(2).getString()});
    }
    p.agreements.push_back(std::move(agreement));
  }
  return p;
}

void save_placement(Connection& db, const domain::PlacementState& p) {
  Prepared q(db, sql_save_placement);
  q->bind(1, p.id.str());
  q->bind(2, p.person_id.str());
  q->bind(3, p.team.str());
  q->bind(4, domain::format_date(p.started_on));
  q->bind(5, p.weekly_cost.value());
  q->bind(6, p.property_disregard ? 1 : 0);
  bind_optional(q, 7, p.self_funding_on);
  q->bind(8, static_cast<std::int64_t>(p.version.value()));
  q->exec();
  Prepared a(db, sql_save_agreement);
  Prepared m(db, sql_save_movement);
  for (std::size_t i = 0; i < p.agreements.size(); ++i) {
    const auto& agreement = p.agreements[i];
    a->reset();
    a->clearBindings();
    a->bind(1, agreement.id.str());
    a->bind(2, p.id.str());
    a->bind(3, static_cast<std::int64_t>(i));
    a->bind(4, domain::format_date(agreement.offered_on));
    bind_optional(a, 5, agreement.signed_on);
    a->bind(6, agreement.property_value.value());
    a->bind(7, agreement.prior_charges.value());
    a->bind(8, agreement.weekly_deferred.value());
    a->bind(9, agreement.interest_rate_basis_points);
    bind_optional(a, 10, agreement.declined_on);
    bind_optional(a, 11, agreement.terminated_on);
    bind_optional(a, 12, code_text(agreement.termination_reason));
    a->exec();
    for (std::size_t j = 0; j < agreement.movements.size(); ++j) {
      const auto& movement = agreement.movements[j];
      m->reset();
      m->bind(1, agreement.id.str());
      m->bind(2, static_cast<std::int64_t>(j));
      m->bind(3, domain::format_date(movement.on));
      m->bind(4, movement.amount.value());
      m->bind(5, movement.description);
      m->exec();
    }
  }
}

std::optional<domain::PlacementId> placement_of_agreement(Connection& db,
                                                          const domain::AgreementId& agreement) {
  Prepared q(db, sql_placement_of_agreement);
  q->bind(1, agreement.str());
  if (!q->executeStep()) return std::nullopt;
  return domain::PlacementId{q->getColumn(0).getString()};
}

std::vector<domain::PlacementState> placements(Connection& db, Date up_to,
                                               const TeamFilter& teams) {
  Prepared q(db, sql_placements_up_to);
  q->bind(1, domain::format_date(up_to));
  bind_teams(q, 2, teams);
  std::vector<domain::PlacementState> out;
  while (q->executeStep()) {
    if (auto p = find_placement(db, domain::PlacementId{q->getColumn(0).getString()})) {
      out.push_back(std::move(*p));
    }
  }
  return out;
}

std::vector<WaitingItem> waiting_as_at(Connection& db, Date as_at, const TeamFilter& teams,
                                       std::optional<domain::Priority> priority) {
  Prepared q(db, sql_waiting_as_at);
  q->bind(1, domain::format_date(as_at));
  bind_teams(q, 2, teams);
  if (priority) {
    q->bind(3, static_cast<int>(*priority));
  } else {
    q->bind(3);
  }
  std::vector<WaitingItem> items;
  while (q->executeStep()) {
    items.push_back(WaitingItem{
        domain::AssessmentId{q->getColumn(0).getString()},
        domain::PersonId{q->getColumn(1).getString()}, domain::Team{q->getColumn(2).getString()},
        static_cast<domain::Priority>(q->getColumn(3).getInt()),
        *domain::parse_date(q->getColumn(4).getString()), optional_text(q->getColumn(5))});
  }
  return items;
}

std::vector<int> completion_days(Connection& db, Date from, Date to, const TeamFilter& teams) {
  Prepared q(db, sql_completion_days);
  q->bind(1, domain::format_date(from));
  q->bind(2, domain::format_date(to));
  bind_teams(q, 3, teams);
  std::vector<int> days;
  while (q->executeStep())
    days.push_back(static_cast<int>(std::lround(q->getColumn(0).getDouble())));
  return days;
}

long long count_requested(Connection& db, Date from, Date to, const TeamFilter& teams) {
  Prepared q(db, sql_count_requested);
  q->bind(1, domain::format_date(from));
  q->bind(2, domain::format_date(to));
  bind_teams(q, 3, teams);
  q->executeStep();
  return q->getColumn(0).getInt64();
}

}  // namespace careledger::persistence
