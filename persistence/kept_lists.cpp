#include "persistence/kept_lists.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <string_view>

#include <date/date.h>
#include <boost/json.hpp>

#include "persistence/row_batch.hpp"
#include "persistence/row_mapping.hpp"
#include "persistence/running_totals.hpp"

namespace careledger::persistence {

namespace {

using domain::Date;

// Every list's table is keyed in its list's order, then the first day of the spell (a person
// may be on a list twice in one bucket); `bucket` first: a month or a year the spell covers, or
// still_open. The attention list's is keyed by placement (its items are worked out from them).
constexpr const char* waiting_table = R"sql(CREATE TABLE rm_waiting (
  bucket INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  requested_on INTEGER NOT NULL,
  assessment_id TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  until_day INTEGER,
  priority TEXT NOT NULL,
  team TEXT NOT NULL,
  person_id TEXT NOT NULL,
  allocated_to TEXT,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth INTEGER NOT NULL,
  PRIMARY KEY (bucket, priority_rank, requested_on, assessment_id, from_day)
) WITHOUT ROWID)sql";

constexpr const char* overdue_table = R"sql(CREATE TABLE rm_overdue_reviews (
  bucket INTEGER NOT NULL,
  due_on INTEGER NOT NULL,
  person_id TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  until_day INTEGER,
  team TEXT NOT NULL,
  last_reviewed_on INTEGER,
  over_three_years_from INTEGER NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth INTEGER NOT NULL,
  PRIMARY KEY (bucket, due_on, person_id, from_day)
) WITHOUT ROWID)sql";

// A spell of a placement's unarranged disregard holds what the attention list shows of it (its
// start, weekly cost and own team); one of a signed agreement is looked up (its balance is
// worked out). `team` is the person's, as the lists filter by; the person's name and date of
// birth are shown beside every item, as the other lists show them.
constexpr const char* attention_table = R"sql(CREATE TABLE rm_attention (
  bucket INTEGER NOT NULL,
  placement_id TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  until_day INTEGER,
  kind TEXT NOT NULL,
  team TEXT NOT NULL,
  person_id TEXT NOT NULL,
  placement_team TEXT NOT NULL,
  started_on INTEGER NOT NULL,
  weekly_cost_pence INTEGER NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth INTEGER NOT NULL,
  PRIMARY KEY (bucket, placement_id, from_day)
) WITHOUT ROWID)sql";

constexpr const char* open_safeguarding_table = R"sql(CREATE TABLE rm_open_safeguarding (
  bucket INTEGER NOT NULL,
  since INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  until_day INTEGER,
  kind TEXT NOT NULL,
  team TEXT NOT NULL,
  person_id TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth INTEGER NOT NULL,
  PRIMARY KEY (bucket, since, item_id, from_day)
) WITHOUT ROWID)sql";

// A spell is stored in each month it covers where spells are short (most waits, most
// safeguarding), so that a day reads little more than what is open on it; in each year where
// they are long (an overdue review stays overdue for years).
enum class Buckets { months, years };
constexpr Buckets waiting_buckets = Buckets::months;
constexpr Buckets overdue_buckets = Buckets::years;
constexpr Buckets open_buckets = Buckets::months;
constexpr Buckets attention_buckets = Buckets::years;
constexpr std::int64_t still_open = -1;  // the bucket of a spell with no end yet

// A day's bucket: its year (2024), or its year and month (202406).
std::int64_t bucket_of(Date day, Buckets buckets) {
  const date::year_month_day ymd{day};
  const auto year = static_cast<std::int64_t>(static_cast<int>(ymd.year()));
  return buckets == Buckets::years ? year : year * 100 + static_cast<unsigned>(ymd.month());
}

// Where the spells open on a day are, ?1 its bucket and ?2 the day (a day number), of the teams
// of ?3 (a JSON array, or NULL for every team), meeting the list's own `condition` too: the
// spells of that bucket that end after it, and the open ones that began by it. Each part is read
// in key order, and ordered on the key the parts are merged, so a page stops at its last row.
// (`each_part`, when given, ends each part's SELECT.)
std::string open_on(std::string_view table, std::string_view columns,
                    std::string_view condition = "", std::string_view each_part = "") {
  const std::string also =
      std::string(" AND (CAST(?3 AS TEXT) IS NULL OR team IN (SELECT value FROM json_each(?3)))") +
      std::string(condition);
  const std::string select = "SELECT " + std::string(columns) + " FROM " + std::string(table);
  auto part = [&](const std::string& sql) {
    return each_part.empty() ? sql : "SELECT * FROM (" + sql + std::string(each_part) + ") AS part";
  };
  return part(select + " WHERE bucket = ?1 AND from_day <= ?2 AND until_day > ?2" + also) +
         " UNION ALL " +
         part(select + " WHERE bucket = " + std::to_string(still_open) + " AND from_day <= ?2" +
              also);
}
// The window of them in the list's order (`order`: the key's columns), ?4 rows from the ?5th. On
// PostgreSQL each part is read in that order up to the window's end (?7): a page reads what it
// shows, not the whole list (PostgreSQL would otherwise read every still-open spell and sort them
// to find the first hundred). SQLite merges the parts as it reads them in the key's order and
// stops at the window's end by itself, but a part given as a subquery it sorts whole (the
// overdue list's 35,000 lines: 63 to 90 ms, against 17 to 30 without).
EngineSql page_of(std::string_view table, std::string_view columns, std::string_view order,
                  std::string_view condition = "") {
  const std::string by = " ORDER BY " + std::string(order);
  const std::string window = by + " LIMIT ?4 OFFSET ?5";
  return {open_on(table, columns, condition) + window,
          open_on(table, columns, condition, by + " LIMIT ?7") + window};
}
// Sums over all of them (`aggregates` of the rows of `columns`).
std::string counts_of(std::string_view table, std::string_view columns, std::string_view aggregates,
                      std::string_view condition = "") {
  return "SELECT " + std::string(aggregates) + " FROM (" + open_on(table, columns, condition) +
         ") AS kept";
}

void bind_day(Statement& q, Date day, const TeamFilter& teams, Buckets buckets) {
  q.bind(1, bucket_of(day, buckets));
  q.bind(2, domain::day_number(day));
  bind_teams(q, 3, teams);
}

void bind_window(Statement& q, const ListWindow& window, Engine engine) {
  const auto limit = sql_limit(window.limit);
  const auto offset = static_cast<std::int64_t>(window.offset);
  q.bind(4, limit);
  q.bind(5, offset);
  if (engine != Engine::postgresql) return;  // no ?7 (page_of)
  q.bind(7, limit > std::numeric_limits<std::int64_t>::max() - offset
                ? std::numeric_limits<std::int64_t>::max()
                : limit + offset);
}

Date day_of(std::int64_t n) {
  return Date{date::days{n}};
}
std::optional<Date> day_or_null(const Column& c) {
  if (c.isNull()) return std::nullopt;
  return day_of(c.getInt64());
}
std::optional<std::int64_t> number_or_null(const std::optional<Date>& day) {
  if (!day) return std::nullopt;
  return domain::day_number(*day);
}

// The buckets a spell [from, until) is stored in: each month or year it covers, or still_open.
std::vector<std::int64_t> buckets_of(Date from, const std::optional<Date>& until, Buckets buckets) {
  if (!until) return {still_open};
  std::vector<std::int64_t> out;
  if (*until <= from) return out;
  const date::year_month_day first{from}, last{*until - date::days{1}};
  if (buckets == Buckets::years) {
    for (auto year = first.year(); year <= last.year(); ++year) {
      out.push_back(static_cast<int>(year));
    }
  } else {
    for (auto month = first.year() / first.month(); month <= last.year() / last.month();
         month += date::months{1}) {
      out.push_back(bucket_of(Date{month / 1}, buckets));
    }
  }
  return out;
}

// The person as every list shows them: the last three columns of each table (?name_at on).
void bind_person(Statement& q, int name_at, const domain::PersonState& person) {
  q.bind(name_at, person.given_name);
  q.bind(name_at + 1, person.family_name);
  q.bind(name_at + 2, domain::day_number(person.date_of_birth));
}
// ... read back from `first` on.
PersonName person_read(Statement& q, int first, const domain::PersonId& id) {
  return {id, q.getColumn(first).getString(), q.getColumn(first + 1).getString(),
          day_of(q.getColumn(first + 2).getInt64())};
}

// Holds each item given and its person.
template <typename Item>
EachListed<Item> collect(ListRows<Item>& rows) {
  return [&rows](const Item& item, const PersonName& person) {
    rows.items.push_back(item);
    rows.people.push_back(person);
  };
}

// Deletes the person's rows (`delete_sql`: DELETE FROM a table WHERE person_id = ?1).
void forget(Connection& db, const char* delete_sql, const domain::PersonId& person) {
  Prepared remove(db, delete_sql);
  remove->bind(1, person.str());
  remove->exec();
}

// Urgent first; the rank is the list's, not the enum's (codes are stored by their spelling).
int rank_of(domain::Priority priority) {
  switch (priority) {
    case domain::Priority::urgent:
      return 0;
    case domain::Priority::high:
      return 1;
    case domain::Priority::medium:
      return 2;
    case domain::Priority::low:
      return 3;
  }
  return 3;
}

constexpr const char* waiting_columns =
    "priority_rank, requested_on, assessment_id, person_id, team, priority, allocated_to, "
    "given_name, family_name, date_of_birth";
constexpr const char* waiting_order = "priority_rank, requested_on, assessment_id";
constexpr const char* waiting_priority = " AND (CAST(?6 AS TEXT) IS NULL OR priority = ?6)";

constexpr const char* overdue_columns =
    "due_on, person_id, team, last_reviewed_on, over_three_years_from, given_name, family_name, "
    "date_of_birth";

constexpr const char* open_columns =
    "since, item_id, kind, person_id, team, given_name, family_name, date_of_birth";

}  // namespace

std::vector<TableSchema> kept_list_tables() {
  return {{"rm_waiting", "person_id", waiting_table},
          {"rm_overdue_reviews", "person_id", overdue_table},
          {"rm_open_safeguarding", "person_id", open_safeguarding_table},
          {"rm_attention", "person_id", attention_table}};
}

std::vector<std::string> kept_list_indexes() {
  return {"CREATE INDEX rm_waiting_by_person ON rm_waiting (person_id, assessment_id)",
          "CREATE INDEX rm_overdue_reviews_by_person ON rm_overdue_reviews (person_id)",
          "CREATE INDEX rm_open_safeguarding_by_person ON rm_open_safeguarding (person_id)",
          "CREATE INDEX rm_attention_by_person ON rm_attention (person_id)"};
}

void waiting_as_at(Connection& db, Date as_at, const TeamFilter& teams,
                   std::optional<domain::Priority> priority, const ListWindow& window,
                   const EachListed<domain::WaitingItem>& each) {
  static const EngineSql sql =
      page_of("rm_waiting", waiting_columns, waiting_order, waiting_priority);
  Prepared q(db, sql.of(db));
  bind_day(q, as_at, teams, waiting_buckets);
  bind_window(q, window, db.engine());
  if (priority) {
    q->bind(6, std::string(domain::code_name(*priority)));
  } else {
    q->bind(6);
  }
  domain::WaitingItem item;
  while (q->executeStep()) {
    item.requested_on = day_of(q->getColumn(1).getInt64());
    item.assessment_id = domain::AssessmentId{q->getColumn(2).getString()};
    item.person_id = domain::PersonId{q->getColumn(3).getString()};
    item.team = domain::Team{q->getColumn(4).getString()};
    item.priority = rows::Column<domain::Priority>::read(q->getColumn(5));
    item.allocated_to = text_or_null(q->getColumn(6));
    each(item, person_read(q, 7, item.person_id));
  }
}

ListRows<domain::WaitingItem> waiting_as_at(Connection& db, Date as_at, const TeamFilter& teams,
                                            std::optional<domain::Priority> priority,
                                            const ListWindow& window) {
  ListRows<domain::WaitingItem> out;
  waiting_as_at(db, as_at, teams, priority, window, collect(out));
  return out;
}

long long people_waiting_as_at(Connection& db, Date as_at, const TeamFilter& teams,
                               std::optional<domain::Priority> priority) {
  static const std::string sql =
      counts_of("rm_waiting", "person_id", "count(DISTINCT person_id)", waiting_priority);
  Prepared q(db, sql);
  bind_day(q, as_at, teams, waiting_buckets);
  if (priority) {
    q->bind(6, std::string(domain::code_name(*priority)));
  } else {
    q->bind(6);
  }
  q->executeStep();
  return q->getColumn(0).getInt64();
}

void overdue_reviews_as_at(Connection& db, Date as_at, const TeamFilter& teams,
                           const ListWindow& window,
                           const EachListed<domain::OverdueReview>& each) {
  static const EngineSql sql = page_of("rm_overdue_reviews", overdue_columns, "due_on, person_id");
  Prepared q(db, sql.of(db));
  bind_day(q, as_at, teams, overdue_buckets);
  bind_window(q, window, db.engine());
  domain::OverdueReview item;
  while (q->executeStep()) {
    item.due_on = day_of(q->getColumn(0).getInt64());
    item.person_id = domain::PersonId{q->getColumn(1).getString()};
    item.team = domain::Team{q->getColumn(2).getString()};
    item.last_reviewed_on = day_or_null(q->getColumn(3));
    item.days_overdue = domain::days_between(item.due_on, as_at);
    item.over_three_years = as_at >= day_of(q->getColumn(4).getInt64());
    each(item, person_read(q, 5, item.person_id));
  }
}

ListRows<domain::OverdueReview> overdue_reviews_as_at(Connection& db, Date as_at,
                                                      const TeamFilter& teams,
                                                      const ListWindow& window) {
  ListRows<domain::OverdueReview> out;
  overdue_reviews_as_at(db, as_at, teams, window, collect(out));
  return out;
}

OverdueCounts overdue_counts_as_at(Connection& db, Date as_at, const TeamFilter& teams) {
  // The running totals count the same spells of the same people (their team too): a year's
  // spells are many, the totals' rows few.
  StoredTotals totals(db, teams);
  return {totals.value_at(domain::Counter::overdue, as_at, 0),
          totals.value_at(domain::Counter::overdue_over_three_years, as_at, 0)};
}

void open_safeguarding_as_at(Connection& db, Date as_at, const TeamFilter& teams,
                             const ListWindow& window, const EachListed<domain::OpenItem>& each) {
  static const EngineSql sql = page_of("rm_open_safeguarding", open_columns, "since, item_id");
  Prepared q(db, sql.of(db));
  bind_day(q, as_at, teams, open_buckets);
  bind_window(q, window, db.engine());
  domain::OpenItem item;
  while (q->executeStep()) {
    item.since = day_of(q->getColumn(0).getInt64());
    item.id = q->getColumn(1).getString();
    item.is_concern = q->getColumn(2).getString() == "concern";
    item.person_id = domain::PersonId{q->getColumn(3).getString()};
    item.team = domain::Team{q->getColumn(4).getString()};
    item.days_open = domain::days_between(item.since, as_at);
    each(item, person_read(q, 5, item.person_id));
  }
}

ListRows<domain::OpenItem> open_safeguarding_as_at(Connection& db, Date as_at,
                                                   const TeamFilter& teams,
                                                   const ListWindow& window) {
  ListRows<domain::OpenItem> out;
  open_safeguarding_as_at(db, as_at, teams, window, collect(out));
  return out;
}

OpenCounts open_safeguarding_counts(Connection& db, Date as_at, const TeamFilter& teams) {
  static const std::string sql =
      counts_of("rm_open_safeguarding", "kind",
                "coalesce(sum(CASE WHEN kind = 'concern' THEN 1 ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN kind = 'enquiry' THEN 1 ELSE 0 END), 0)");
  Prepared q(db, sql);
  bind_day(q, as_at, teams, open_buckets);
  q->executeStep();
  return {q->getColumn(0).getInt64(), q->getColumn(1).getInt64()};
}

AttentionPlacements placements_for_attention(Connection& db, Date as_at, const TeamFilter& teams) {
  static const std::string sql =
      open_on("rm_attention",
              "placement_id, kind, person_id, placement_team, started_on, weekly_cost_pence, "
              "given_name, family_name, date_of_birth");
  Prepared q(db, sql);
  bind_day(q, as_at, teams, attention_buckets);
  // Those with an agreement as they stand, read together once listed (a placement's rows once).
  AttentionPlacements listed;
  auto& out = listed.placements;
  std::vector<domain::PlacementId> arranged;
  std::vector<std::size_t> arranged_at;
  while (q->executeStep()) {
    domain::PersonId person{q->getColumn(2).getString()};
    // A name for each run of one person's rows (the caller keeps each person once).
    if (listed.people.empty() || listed.people.back().id != person) {
      listed.people.push_back({std::move(person), q->getColumn(6).getString(),
                               q->getColumn(7).getString(), day_of(q->getColumn(8).getInt64())});
    }
    domain::PlacementId id{q->getColumn(0).getString()};
    if (q->getColumn(1).getString() == "agreement") {
      arranged_at.push_back(out.size());
      arranged.push_back(id);
      out.emplace_back().id = std::move(id);
      continue;
    }
    // Nothing arranged yet: the placement as it stands but for what is arranged later.
    domain::PlacementState p;
    p.exists = true;
    p.id = std::move(id);
    p.person_id = domain::PersonId{q->getColumn(2).getString()};
    p.team = domain::Team{q->getColumn(3).getString()};
    p.started_on = day_of(q->getColumn(4).getInt64());
    p.weekly_cost = domain::Pence{q->getColumn(5).getInt64()};
    p.property_disregard = true;
    out.push_back(std::move(p));
  }
  std::map<std::string, domain::PlacementState> found;
  for (auto& p : find_all<domain::PlacementState>(db, arranged)) {
    std::string id = p.id.str();
    found.emplace(std::move(id), std::move(p));
  }
  for (const auto at : arranged_at) {  // a placement's row once: one spell is open on a day
    if (const auto p = found.find(out[at].id.str()); p != found.end()) {
      out[at] = std::move(p->second);
      found.erase(p);
    }
  }
  // One no longer found (not possible in one snapshot) is left out, as before.
  std::erase_if(out, [](const domain::PlacementState& p) { return !p.exists; });
  return listed;
}

void save_attention(Connection& db, const domain::PersonId& person,
                    const domain::PersonState* state,
                    const std::vector<domain::PlacementState>& placements) {
  forget(db, "DELETE FROM rm_attention WHERE person_id = ?1", person);
  if (!state) return;
  Prepared insert(
      db,
      "INSERT INTO rm_attention (bucket, placement_id, from_day, until_day, kind, "
      "team, person_id, placement_team, started_on, weekly_cost_pence, given_name, "
      "family_name, date_of_birth) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
  for (const auto& placement : placements) {
    auto add = [&](std::string_view kind, const domain::DaySpell& spell) {
      for (const auto bucket : buckets_of(spell.from, spell.until, attention_buckets)) {
        insert->reset();
        insert->bind(1, bucket);
        insert->bind(2, placement.id.str());
        insert->bind(3, domain::day_number(spell.from));
        bind_or_null(*insert, 4, number_or_null(spell.until));
        insert->bind(5, std::string(kind));
        insert->bind(6, state->team.str());
        insert->bind(7, person.str());
        insert->bind(8, placement.team.str());
        insert->bind(9, domain::day_number(placement.started_on));
        insert->bind(10, placement.weekly_cost.value());
        insert->bind(11, state->given_name);
        insert->bind(12, state->family_name);
        insert->bind(13, domain::day_number(state->date_of_birth));
        insert->exec();
      }
    };
    const auto spells = domain::attention_spells(placement);
    if (spells.unarranged) add("unarranged", *spells.unarranged);
    for (const auto& spell : spells.signed_agreement) add("agreement", spell);
  }
}

void WaitingWrites::add(const domain::PersonId& person, const domain::PersonState* state,
                        const std::optional<std::set<domain::AssessmentId>>& requests) {
  auto [at, added] = asked_.try_emplace(person, Asked{state, requests});
  if (added) return;
  at->second.state = state;
  if (!requests) {
    at->second.requests.reset();  // all of theirs
  } else if (at->second.requests) {
    at->second.requests->insert(requests->begin(), requests->end());
  }
}

void WaitingWrites::write(Connection& db) {
  if (asked_.empty()) return;
  auto forget_all = RowBatch::erase("rm_waiting", {"person_id"});
  auto forget_named = RowBatch::erase("rm_waiting", {"person_id", "assessment_id"});
  std::vector<domain::PersonId> whole;  // recorded people all of whose requests are read
  boost::json::array named;             // requests read alone, of recorded people
  for (const auto& [person, asked] : asked_) {
    if (!asked.requests || !asked.state) {
      forget_all.add({person.str()});
    } else {
      for (const auto& id : *asked.requests) forget_named.add({person.str(), id.str()});
    }
    if (!asked.state) continue;
    if (asked.requests) {
      for (const auto& id : *asked.requests) named.emplace_back(id.str());
    } else {
      whole.push_back(person);
    }
  }
  forget_all.write(db);
  forget_named.write(db);

  // Each request with its allocations in the order recorded: a row for each, or one with none.
  struct Request {
    bool named;  // read as a request named, not as one of all of its person's
    std::string id;
    domain::PersonId person;
    std::string team;
    domain::Priority priority;
    Date requested_on;
    std::optional<Date> stopped_on;
    std::vector<domain::AllocationFact> allocations;
  };
  std::vector<Request> found;
  auto read = [&](bool as_named, const char* which, const std::string& list) {
    Prepared requests(db, std::string("SELECT a.id, a.person_id, a.team, a.priority, "
                                      "a.requested_on, a.stopped_waiting_on, l.allocated_on, "
                                      "l.practitioner FROM rm_assessments a "
                                      "LEFT JOIN rm_allocations l ON l.assessment_id = a.id "
                                      "WHERE ") +
                              which + " IN (SELECT value FROM json_each(?1)) ORDER BY a.id, l.seq");
    requests->bind(1, list);
    while (requests->executeStep()) {
      std::string id = requests->getColumn(0).getString();
      if (found.empty() || found.back().id != id) {
        Request r{as_named,
                  std::move(id),
                  domain::PersonId{requests->getColumn(1).getString()},
                  requests->getColumn(2).getString(),
                  rows::Column<domain::Priority>::read(requests->getColumn(3)),
                  rows::Column<Date>::read(requests->getColumn(4)),
                  std::nullopt,
                  {}};
        if (!requests->getColumn(5).isNull()) {
          r.stopped_on = rows::Column<Date>::read(requests->getColumn(5));
        }
        found.push_back(std::move(r));
      }
      if (!requests->getColumn(6).isNull()) {
        found.back().allocations.push_back(
            {rows::Column<Date>::read(requests->getColumn(6)), requests->getColumn(7).getString()});
      }
    }
  };
  if (!whole.empty()) read(false, "a.person_id", json_list(whole));
  if (!named.empty()) read(true, "a.id", boost::json::serialize(named));

  auto insert = RowBatch::insert(
      "rm_waiting", {"bucket", "priority_rank", "requested_on", "assessment_id", "from_day",
                     "until_day", "priority", "team", "person_id", "allocated_to", "given_name",
                     "family_name", "date_of_birth"});
  for (const auto& [named_one, id, person, team, priority, requested_on, stopped_on, allocations] :
       found) {
    // A request is listed for its own person, as they were asked for: one named for another
    // person than its own is not theirs to list.
    const auto asked = asked_.find(person);
    if (asked == asked_.end() || asked->second.state == nullptr) continue;
    if (named_one != asked->second.requests.has_value()) continue;
    if (named_one && !asked->second.requests->contains(domain::AssessmentId{id})) continue;
    const auto& state = *asked->second.state;
    for (const auto& spell : domain::waiting_spells(requested_on, stopped_on, allocations)) {
      for (const auto bucket : buckets_of(spell.from, spell.until, waiting_buckets)) {
        const auto until = number_or_null(spell.until);
        insert.add({bucket, rank_of(priority), domain::day_number(requested_on), id,
                    domain::day_number(spell.from), until ? RowValue(*until) : RowValue(),
                    std::string(domain::code_name(priority)), team, person.str(),
                    spell.allocated_to ? RowValue(*spell.allocated_to) : RowValue(),
                    state.given_name, state.family_name, domain::day_number(state.date_of_birth)});
      }
    }
  }
  insert.write(db);
  asked_.clear();
}

void save_overdue(Connection& db, const domain::PersonId& person, const domain::PersonState* state,
                  const std::vector<domain::OverdueSpell>& spells) {
  forget(db, "DELETE FROM rm_overdue_reviews WHERE person_id = ?1", person);
  if (!state) return;
  Prepared insert(db,
                  "INSERT INTO rm_overdue_reviews (bucket, due_on, person_id, from_day, until_day, "
                  "team, last_reviewed_on, over_three_years_from, given_name, family_name, "
                  "date_of_birth) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
  for (const auto& s : spells) {
    for (const auto bucket : buckets_of(s.from, s.until, overdue_buckets)) {
      insert->reset();
      insert->bind(1, bucket);
      insert->bind(2, domain::day_number(s.due_on));
      insert->bind(3, person.str());
      insert->bind(4, domain::day_number(s.from));
      bind_or_null(*insert, 5, number_or_null(s.until));
      insert->bind(6, state->team.str());
      bind_or_null(*insert, 7, number_or_null(s.last_reviewed_on));
      insert->bind(8, domain::day_number(s.over_three_years_from));
      bind_person(*insert, 9, *state);
      insert->exec();
    }
  }
}

void save_open_safeguarding(Connection& db, const domain::PersonId& person,
                            const domain::PersonState* state,
                            const std::vector<domain::ConcernFact>& concerns,
                            const std::vector<domain::EnquiryFact>& enquiries) {
  forget(db, "DELETE FROM rm_open_safeguarding WHERE person_id = ?1", person);
  if (!state) return;
  Prepared insert(db,
                  "INSERT INTO rm_open_safeguarding (bucket, since, item_id, from_day, until_day, "
                  "kind, team, person_id, given_name, family_name, date_of_birth) "
                  "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
  auto add = [&](std::string_view kind, const std::string& id, Date since,
                 const std::optional<Date>& until) {
    for (const auto bucket : buckets_of(since, until, open_buckets)) {
      insert->reset();
      insert->bind(1, bucket);
      insert->bind(2, domain::day_number(since));
      insert->bind(3, id);
      insert->bind(4, domain::day_number(since));
      bind_or_null(*insert, 5, number_or_null(until));
      insert->bind(6, std::string(kind));
      insert->bind(7, state->team.str());
      insert->bind(8, person.str());
      bind_person(*insert, 9, *state);
      insert->exec();
    }
  };
  for (const auto& c : concerns) add("concern", c.id.str(), c.received_on, c.decided_on);
  for (const auto& e : enquiries) add("enquiry", e.id.str(), e.started_on, e.concluded_on);
}

}  // namespace careledger::persistence
