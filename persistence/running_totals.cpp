#include "persistence/running_totals.hpp"

#include "persistence/kept_lists.hpp"
#include "persistence/pg_totals.hpp"
#include "persistence/row_batch.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <boost/json.hpp>

namespace careledger::persistence {

namespace {

using domain::Counter;
using domain::Date;

// The levels a counter's steps are summed at, and the bucket of a day at each. A year is a
// financial year, April to March (what the measures and reports ask for most), by the year its
// April is in.
enum Level : int { by_day = 0, by_month = 1, by_financial_year = 2 };

std::int64_t month_bucket(date::year_month ym) {
  return static_cast<int>(ym.year()) * 12LL + static_cast<unsigned>(ym.month()) - 1;
}
// The financial year of a month's bucket: its months are [12 y + 3, 12 y + 14].
std::int64_t financial_year_of(std::int64_t month) {
  const std::int64_t from_april = month - 3;
  return from_april >= 0 ? from_april / 12 : -((11 - from_april) / 12);  // rounded down
}
std::int64_t bucket_of(Level level, Date day) {
  const date::year_month_day ymd{day};
  switch (level) {
    case by_day:
      return domain::day_number(day);
    case by_month:
      return month_bucket(ymd.year() / ymd.month());
    case by_financial_year:
      return financial_year_of(month_bucket(ymd.year() / ymd.month()));
  }
  return 0;
}

constexpr const char* person_totals_table = R"sql(CREATE TABLE rm_person_totals (
  person_id TEXT NOT NULL,
  family TEXT NOT NULL,
  team TEXT NOT NULL,
  contributions TEXT NOT NULL,
  PRIMARY KEY (person_id, family)
) WITHOUT ROWID)sql";

constexpr const char* totals_table = R"sql(CREATE TABLE rm_totals (
  scope TEXT NOT NULL,
  counter INTEGER NOT NULL,
  level INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  key INTEGER NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (scope, counter, level, bucket, key)
) WITHOUT ROWID)sql";

// Contributions as text, one "counter key from until times" per line (days as day numbers,
// negative before 1970; an open spell's until "x", which no number starts with).
std::string encode(const domain::Contributions& contributions) {
  std::string out;
  for (const auto& [c, times] : contributions) {
    out += std::to_string(static_cast<int>(c.counter)) + " " + std::to_string(c.key) + " " +
           std::to_string(domain::day_number(c.from)) + " " +
           (c.until ? std::to_string(domain::day_number(*c.until)) : std::string("x")) + " " +
           std::to_string(times) + "\n";
  }
  return out;
}

domain::Contributions decode(std::string_view text) {
  domain::Contributions out;
  auto next = [&text](std::int64_t& value) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
    if (text.empty()) return false;
    if (text.front() == 'x') {  // an open spell's until
      text.remove_prefix(1);
      return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{}) throw std::runtime_error("unreadable running totals of a person");
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
  };
  std::int64_t counter = 0, key = 0, from = 0, until = 0, times = 0;
  while (next(counter)) {
    domain::Contribution c;
    next(key);
    next(from);
    c.counter = static_cast<Counter>(counter);
    c.key = key;
    c.from = Date{date::days{from}};
    if (next(until)) c.until = Date{date::days{until}};
    next(times);
    out[c] = static_cast<int>(times);
  }
  return out;
}

}  // namespace

void StepSums::add(const std::string& team, const std::vector<domain::Step>& steps) {
  if (steps.empty()) return;
  const auto known = std::find(teams_.begin(), teams_.end(), team);
  const auto t = static_cast<std::size_t>(known - teams_.begin());
  if (known == teams_.end()) teams_.push_back(team);
  for (const auto& s : steps) {
    for (Level level : {by_day, by_month, by_financial_year}) {
      sums_[{t, static_cast<int>(s.counter), level, bucket_of(level, s.day), s.key}] += s.delta;
    }
  }
}

// A counter row that comes to 0 is deleted, so that the table holds the same rows however the
// totals were reached.
// The rows are written in the order of rm_totals' key (the team's name, then the counter, level,
// bucket and key), whatever order their teams came in: every writer then takes the rows' locks
// in one order, so two instances' batches touching the same rows wait for each other on
// PostgreSQL rather than deadlock.
void StepSums::write(Connection& db) {
  using Sum = decltype(sums_)::value_type;
  std::vector<const Sum*> in_key_order;
  in_key_order.reserve(sums_.size());
  for (const auto& sum : sums_) in_key_order.push_back(&sum);
  std::sort(in_key_order.begin(), in_key_order.end(), [this](const Sum* a, const Sum* b) {
    const auto& [ta, ca, la, ba, ka] = a->first;
    const auto& [tb, cb, lb, bb, kb] = b->first;
    return std::tie(teams_[ta], ca, la, ba, ka) < std::tie(teams_[tb], cb, lb, bb, kb);
  });
  if (db.engine() == Engine::postgresql) {
    std::vector<pg::TotalsStep> steps;
    steps.reserve(in_key_order.size());
    for (const auto* sum : in_key_order) {
      const auto& [t, counter, level, bucket, key] = sum->first;
      if (sum->second != 0) {
        steps.push_back({&teams_[t], counter, level, bucket, key, sum->second});
      }
    }
    pg::add_to_totals(db, steps);
    sums_.clear();
    teams_.clear();
    return;
  }
  Prepared add(db,
               "INSERT INTO rm_totals (scope, counter, level, bucket, key, value) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (scope, counter, level, bucket, key) "
               "DO UPDATE SET value = rm_totals.value + excluded.value RETURNING value");
  for (const auto* sum : in_key_order) {
    const auto& [at, delta] = *sum;
    if (delta == 0) continue;
    const auto& [t, counter, level, bucket, key] = at;
    const std::string& team = teams_[t];
    add->reset();
    add->bind(1, team);
    add->bind(2, counter);
    add->bind(3, level);
    add->bind(4, bucket);
    add->bind(5, key);
    add->bind(6, delta);
    add->executeStep();
    const bool zero = add->getColumn(0).getInt64() == 0;
    while (add->executeStep()) {
    }
    if (!zero) continue;
    Prepared remove(db,
                    "DELETE FROM rm_totals WHERE scope = ?1 AND counter = ?2 AND level = ?3 AND "
                    "bucket = ?4 AND key = ?5");
    remove->bind(1, team);
    remove->bind(2, counter);
    remove->bind(3, level);
    remove->bind(4, bucket);
    remove->bind(5, key);
    remove->exec();
  }
  sums_.clear();
  teams_.clear();
}

namespace {

constexpr const char* family_names[] = {"support", "safeguarding", "assessments",
                                        "deferred_payments", "requests"};

template <typename Row>
const std::vector<Row>& of(const RowsByPerson<Row>& rows, const domain::PersonId& person) {
  static const std::vector<Row> none;
  const auto found = rows.find(person);
  return found == rows.end() ? none : found->second;
}

// What the recount reads of its people, a statement a table for all of them, each table for the
// people whose families need it.
struct PeopleRows {
  std::map<domain::PersonId, domain::PersonState> people;
  // What each contributed to each family, as kept: its team and contributions.
  std::map<domain::PersonId, std::map<std::string, std::pair<std::string, domain::Contributions>>>
      kept;
  RowsByPerson<domain::AssessmentState> assessments;  // without their allocations
  RowsByPerson<domain::RequestState> support_requests;
  RowsByPerson<domain::EpisodeFact> long_term;
  RowsByPerson<domain::EpisodeFact> episodes;
  RowsByPerson<domain::ReviewFact> reviews;
  RowsByPerson<domain::ConcernFact> concerns;
  RowsByPerson<domain::EnquiryFact> enquiries;
  RowsByPerson<domain::PlacementState> placements;

  PeopleRows(Connection& db, const std::map<domain::PersonId, std::set<Family>>& asked) {
    std::vector<domain::PersonId> all;
    std::array<std::vector<domain::PersonId>, 5> in;  // by family
    for (const auto& [person, families] : asked) {
      all.push_back(person);
      for (const auto family : families) in[static_cast<int>(family)].push_back(person);
    }
    for (auto& person : find_all<domain::PersonState>(db, all)) {
      people.emplace(person.id, std::move(person));
    }
    Prepared load(db,
                  "SELECT person_id, family, team, contributions FROM rm_person_totals "
                  "WHERE person_id IN (SELECT value FROM json_each(?1))");
    load->bind(1, json_list(all));
    while (load->executeStep()) {
      kept[domain::PersonId{load->getColumn(0).getString()}].emplace(
          load->getColumn(1).getString(),
          std::pair{load->getColumn(2).getString(), decode(load->getColumn(3).getString())});
    }
    const auto& requesting = in[static_cast<int>(Family::requests)];
    std::vector<domain::PersonId> assessed = in[static_cast<int>(Family::assessments)];
    assessed.insert(assessed.end(), requesting.begin(), requesting.end());
    std::sort(assessed.begin(), assessed.end());
    assessed.erase(std::unique(assessed.begin(), assessed.end()), assessed.end());
    assessments = assessments_of(db, assessed);
    support_requests = support_requests_of(db, requesting);
    long_term = long_term_episodes_of(db, requesting);
    episodes = support_episodes_of(db, in[static_cast<int>(Family::support)]);
    reviews = reviews_of(db, in[static_cast<int>(Family::support)]);
    concerns = concerns_of(db, in[static_cast<int>(Family::safeguarding)]);
    enquiries = enquiries_of(db, in[static_cast<int>(Family::safeguarding)]);
    placements = placements_of(db, in[static_cast<int>(Family::deferred_payments)]);
  }

  const domain::PersonState* state_of(const domain::PersonId& person) const {
    const auto found = people.find(person);
    return found == people.end() ? nullptr : &found->second;
  }
};

// What the recount writes to rm_person_totals, at once when it is done.
struct PersonTotalsWrites {
  RowBatch save =
      RowBatch::insert("rm_person_totals", {"person_id", "family", "team", "contributions"},
                       "ON CONFLICT (person_id, family) DO UPDATE SET "
                       "team = excluded.team, contributions = excluded.contributions");
  RowBatch forget = RowBatch::erase("rm_person_totals", {"person_id", "family"});
};

// Replaces what the person contributes in one family of counters.
void update_person(StepSums& sums, PersonTotalsWrites& writes, const domain::PersonId& person,
                   const PeopleRows& rows, const std::string& family,
                   const std::optional<domain::Team>& team, const domain::Contributions& now) {
  std::optional<std::string> stored_team;
  domain::Contributions before;
  if (const auto theirs = rows.kept.find(person); theirs != rows.kept.end()) {
    if (const auto kept = theirs->second.find(family); kept != theirs->second.end()) {
      stored_team = kept->second.first;
      before = kept->second.second;
    }
  }
  if (stored_team && team && *stored_team == team->str()) {
    if (before == now) return;  // nothing the person contributes changed
    sums.add(*stored_team, domain::steps_between(before, now));
  } else {
    if (stored_team) sums.add(*stored_team, domain::steps_between(before, {}));
    if (team) sums.add(team->str(), domain::steps_between({}, now));
  }
  if (!team || now.empty()) {
    if (stored_team) writes.forget.add({person.str(), family});  // else nothing kept to forget
    return;
  }
  writes.save.add({person.str(), family, team->str(), encode(now)});
}

// Derives what the person contributes to a family of counters again from their read-model rows
// (support: person, support episodes, reviews; safeguarding: person, concerns; assessments:
// their requests; deferred payments: person, placements; requests: person, requests for
// support, assessments, long-term episodes) and adds the difference to `sums`.
// With `named_requests`, the waiting-list spells of those requests alone are rewritten (nullopt:
// all of the person's).
void update_totals(Connection& db, StepSums& sums, PersonTotalsWrites& writes,
                   WaitingWrites& waiting, Family family, const domain::PersonId& person,
                   const PeopleRows& rows,
                   const std::optional<std::set<domain::AssessmentId>>& named_requests) {
  const domain::PersonState* state = rows.state_of(person);
  domain::Contributions now;
  std::optional<domain::Team> team;
  // Each list this family keeps is rewritten beside the totals (persistence/kept_lists.hpp).
  // The team is the person's (reading 13); a request's is the person's when it was made, and the
  // family's that of their first request by id (an id begins with the millisecond it was made,
  // so nearly always the first made; on either engine the same one).
  if (family == Family::assessments) {
    const auto& requests = of(rows.assessments, person);
    if (!requests.empty()) team = requests.front().team;
    std::vector<domain::RequestFact> facts;
    for (const auto& r : requests) {
      facts.push_back({r.requested_on, r.stopped_waiting_on(), r.priority, r.completed_on});
    }
    now = domain::assessment_contributions(facts);
    waiting.add(person, state, named_requests);
  } else {
    if (state) team = state->team;
    switch (family) {
      case Family::support: {
        std::vector<domain::OverdueSpell> overdue;
        if (state) {
          std::vector<domain::Date> review_days;
          for (const auto& review : of(rows.reviews, person))
            review_days.push_back(review.reviewed_on);
          now = domain::support_contributions(state->date_of_birth, of(rows.episodes, person),
                                              review_days, &overdue);
        }
        save_overdue(db, person, state, overdue);
        break;
      }
      case Family::safeguarding: {
        std::vector<domain::ConcernFact> concerns;
        std::vector<domain::EnquiryFact> enquiries;
        if (state) {
          concerns = of(rows.concerns, person);
          enquiries = of(rows.enquiries, person);
          now = domain::safeguarding_contributions(concerns, enquiries);
        }
        save_open_safeguarding(db, person, state, concerns, enquiries);
        break;
      }
      case Family::deferred_payments: {
        std::vector<domain::PlacementState> placements;
        if (state) {
          placements = of(rows.placements, person);
          now = domain::placement_contributions(placements);
        }
        save_signed_agreements(db, person, team, placements);
        save_attention(db, person, state, placements);
        break;
      }
      case Family::requests:
        if (state) {
          now = domain::request_contributions(
              domain::request_rows(state->client_type, of(rows.support_requests, person),
                                   of(rows.assessments, person)),
              of(rows.long_term, person));
        }
        break;
      case Family::assessments:
        break;
    }
  }
  update_person(sums, writes, person, rows, family_names[static_cast<int>(family)], team, now);
}

}  // namespace

std::vector<TableSchema> running_total_tables() {
  return {{"rm_person_totals", "person_id", person_totals_table},
          {"rm_totals", "scope", totals_table}};
}

void Recount::add(Family family, const domain::PersonId& person) {
  people_[person].insert(family);
  if (family == Family::assessments) requests_.insert_or_assign(person, std::nullopt);
}

void Recount::add_request(const domain::PersonId& person, const domain::AssessmentId& request) {
  people_[person].insert(Family::assessments);
  auto [named, added] = requests_.try_emplace(person, std::set<domain::AssessmentId>{});
  if (named->second) named->second->insert(request);  // unless all of theirs already
}

void Recount::run(Connection& db) {
  if (people_.empty()) return;
  const PeopleRows rows(db, people_);  // what every person's families read, at once
  StepSums sums;
  PersonTotalsWrites writes;
  WaitingWrites waiting;
  for (const auto& [person, families] : people_) {
    const auto requests = requests_.find(person);
    for (const auto family : families) {
      update_totals(db, sums, writes, waiting, family, person, rows,
                    family == Family::assessments && requests != requests_.end() ? requests->second
                                                                                 : std::nullopt);
    }
  }
  writes.forget.write(db);
  writes.save.write(db);
  waiting.write(db);
  sums.write(db);
  people_.clear();
  requests_.clear();
}

void subtract_contributions(Connection& source, Connection& target,
                            const std::vector<domain::PersonId>& people) {
  StepSums sums;
  for (const auto& person : people) {
    Prepared q(source, "SELECT team, contributions FROM rm_person_totals WHERE person_id = ?1");
    q->bind(1, person.str());
    while (q->executeStep()) {
      sums.add(q->getColumn(0).getString(),
               domain::steps_between(decode(q->getColumn(1).getString()), {}));
    }
  }
  sums.write(target);
}

StoredTotals::StoredTotals(Connection& db, const TeamFilter& teams)
    : StoredTotals(db, teams ? *teams : known_teams(db)) {}

StoredTotals::StoredTotals(Connection& db, const std::vector<domain::Team>& teams)
    : db_(db), scopes_(json_list(teams)) {}

using domain::any_key;

namespace {

// Up to five ranges of buckets, each at its level: what a counter is read from.
struct Piece {
  Level level = by_day;
  std::int64_t first = 1, last = 0;  // empty unless given
  bool taken_away = false;           // its steps subtracted (a value read back from a year's end)
};
using Pieces = std::array<Piece, 5>;

// The pieces [from, to] is read in: the whole financial years inside it by year, the whole
// months either side by month, the days either side of those by day.
Pieces pieces_of(Date from, Date to) {
  Pieces pieces;
  if (from > to) return pieces;
  const date::year_month_day first{from}, last{to};
  const auto first_whole = first.day() == date::day{1}
                               ? first.year() / first.month()
                               : first.year() / first.month() + date::months{1};
  const auto to_month = last.year() / last.month();
  const auto last_whole =
      last.day() == (to_month / date::last).day() ? to_month : to_month - date::months{1};
  if (first_whole > last_whole) {
    pieces[0] = {by_day, domain::day_number(from), domain::day_number(to)};
    return pieces;
  }
  pieces[0] = {by_day, domain::day_number(from), domain::day_number(Date{first_whole / 1}) - 1};
  pieces[4] = {by_day, domain::day_number(Date{last_whole / date::last}) + 1,
               domain::day_number(to)};
  const std::int64_t first_month = month_bucket(first_whole), last_month = month_bucket(last_whole);
  // The first year that starts in the months, and the last that ends in them.
  const std::int64_t first_year = financial_year_of(first_month + 11),
                     last_year = financial_year_of(last_month - 11);
  if (first_year > last_year) {
    pieces[1] = {by_month, first_month, last_month};
    return pieces;
  }
  pieces[1] = {by_month, first_month, first_year * 12 + 2};
  pieces[2] = {by_financial_year, first_year, last_year};
  pieces[3] = {by_month, last_year * 12 + 15, last_month};
  return pieces;
}

constexpr std::string_view sql_rows_text = R"sql(
SELECT counter, bucket, key, value FROM rm_totals
 WHERE scope IN (SELECT value FROM json_each(?1)) AND {counters}
   AND level = ?3 AND bucket BETWEEN ?4 AND ?5 AND key >= ?6
)sql";

// Some counters' rows (a JSON list, ?2) of the teams ?1. On PostgreSQL the counters are an
// array: a list read as a set is planned by its guessed size (a hundred), and for many counters
// the planner then reads the whole of rm_totals rather than each counter's rows through its key.
std::string with_counters(Engine engine, std::string_view sql) {
  const std::string counters =
      engine == Engine::postgresql
          ? "counter = ANY(ARRAY(SELECT CAST(value AS INTEGER) FROM json_each(?2)))"
          : "counter IN (SELECT value FROM json_each(?2))";
  std::string out;
  for (std::size_t at = 0;;) {
    const auto next = sql.find("{counters}", at);
    out += sql.substr(at, next - at);
    if (next == std::string_view::npos) return out;
    out += counters;
    at = next + std::string_view("{counters}").size();
  }
}

// The rows of one level's buckets [?4, ?5], of the keys at or above ?6 (summed by the caller:
// PostgreSQL would sort them to sum them).
const std::string& sql_rows(Engine engine) {
  static const EngineSql rows{with_counters(Engine::sqlite, sql_rows_text),
                              with_counters(Engine::postgresql, sql_rows_text)};
  return rows.of(engine);
}

// The rows of some pieces, the k-th (from 0) a level's buckets [?(3k + 4), ?(3k + 5)] of level
// ?(3k + 3), its values negated if it is taken away. (The teams are read once, as a materialised
// CTE: a plan that reads them for each piece costs enough that PostgreSQL would start parallel
// workers for it, which take longer to start than the statement takes. An empty piece is left
// out: PostgreSQL would still look up each team's and counter's rows for it.)
std::string sql_pieces(Engine engine, const std::vector<Piece>& pieces) {
  std::string sql = "WITH scopes AS MATERIALIZED (SELECT value FROM json_each(?1))";
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const auto at = [k](int i) { return "?" + std::to_string(3 * k + 3 + i); };
    sql += (k == 0 ? "\nSELECT counter, key, " : "\nUNION ALL\nSELECT counter, key, ");
    sql += (pieces[k].taken_away ? "-value" : "value");
    sql += " FROM rm_totals WHERE scope IN (SELECT value FROM scopes) AND {counters} AND level = " +
           at(0) + " AND bucket BETWEEN " + at(1) + " AND " + at(2);
  }
  return with_counters(engine, sql);
}

std::string json_list_of(const std::set<Counter>& counters) {
  boost::json::array list;
  for (const auto counter : counters) list.emplace_back(static_cast<int>(counter));
  return boost::json::serialize(list);
}

}  // namespace

// The ranges a level's buckets [first, last] are read in: months a financial year at a time
// (a report reads many periods of one year or three), days and years as asked.
std::vector<StoredTotals::Range> StoredTotals::ranges_of(int level, std::int64_t first,
                                                         std::int64_t last, std::int64_t key_min) {
  if (first > last) return {};
  if (level != by_month) return {{level, first, last, key_min}};
  std::vector<Range> out;
  for (auto year = financial_year_of(first); year <= financial_year_of(last); ++year) {
    out.emplace_back(level, year * 12 + 3, year * 12 + 14, key_min);
  }
  return out;
}

// Each counter's rows of a range are kept once read (not before: a read that throws keeps
// nothing), for every counter asked, with rows or without.
void StoredTotals::read_range(const Range& range, const std::set<Counter>& counters) {
  const auto& [level, first, last, key_min] = range;
  std::map<Counter, ByBucket> read;
  Prepared q(db_, sql_rows(db_.engine()));
  q->bind(1, scopes_);
  q->bind(2, json_list_of(counters));
  q->bind(3, level);
  q->bind(4, first);
  q->bind(5, last);
  q->bind(6, key_min);
  while (q->executeStep()) {
    read[static_cast<Counter>(q->getColumn(0).getInt())][q->getColumn(1).getInt64()]
        [q->getColumn(2).getInt64()] += q->getColumn(3).getInt64();
  }
  for (const auto counter : counters) ranges_[{counter, range}] = std::move(read[counter]);
}

// Counters' values on a day, every key, in one statement, from as few rows as it can: either the
// financial years before the day's, the months of its year before its month and its month's
// days up to it; or the financial years up to the day's, less its months after the day's month
// and the days after it in its month. (A financial year's last day, what the measures ask, is
// then read from the years alone.)
void StoredTotals::read_values(Date day, const std::set<Counter>& counters) {
  const date::year_month_day ymd{day};
  const auto year = bucket_of(by_financial_year, day);
  const auto month = bucket_of(by_month, day);
  const auto first_day = domain::day_number(Date{ymd.year() / ymd.month() / 1}),
             last_day = domain::day_number(Date{ymd.year() / ymd.month() / date::last}),
             today = domain::day_number(day);
  const auto months_before = month - (year * 12 + 3), months_after = year * 12 + 14 - month;
  std::vector<Piece> pieces;
  if (months_after + (last_day - today) < months_before + (today - first_day + 1)) {
    pieces = {{by_financial_year, any_key, year},
              {by_month, month + 1, year * 12 + 14, true},
              {by_day, today + 1, last_day, true}};
  } else {
    pieces = {{by_financial_year, any_key, year - 1},
              {by_month, year * 12 + 3, month - 1},
              {by_day, first_day, today}};
  }
  std::erase_if(pieces, [](const Piece& p) { return p.first > p.last; });
  std::map<Counter, ByKey> read;
  Prepared q(db_, sql_pieces(db_.engine(), pieces));
  q->bind(1, scopes_);
  q->bind(2, json_list_of(counters));
  int at = 3;
  for (const auto& piece : pieces) {
    q->bind(at++, static_cast<int>(piece.level));
    q->bind(at++, piece.first);
    q->bind(at++, piece.last);
  }
  while (q->executeStep()) {
    read[static_cast<Counter>(q->getColumn(0).getInt())][q->getColumn(1).getInt64()] +=
        q->getColumn(2).getInt64();
  }
  for (const auto counter : counters) values_[{counter, day}] = std::move(read[counter]);
}

void StoredTotals::read_ahead(const domain::TotalsAsks& asks) {
  std::map<Date, std::set<Counter>> values;
  for (const auto& [counter, day] : asks.values) {
    if (!values_.contains({counter, day})) values[day].insert(counter);
  }
  std::map<Range, std::set<Counter>> ranges;
  for (const auto& [counter, from, to, key_min] : asks.steps) {
    for (const auto& piece : pieces_of(from, to)) {
      for (const auto& range : ranges_of(piece.level, piece.first, piece.last, key_min)) {
        if (!ranges_.contains({counter, range})) ranges[range].insert(counter);
      }
    }
  }
  for (const auto& [day, counters] : values) read_values(day, counters);
  for (const auto& [range, counters] : ranges) read_range(range, counters);
}

void StoredTotals::add_steps(ByKey& sums, Counter counter, int level, std::int64_t first,
                             std::int64_t last, std::int64_t key_min) {
  for (const auto& range : ranges_of(level, first, last, key_min)) {
    auto at = ranges_.find({counter, range});
    if (at == ranges_.end()) {
      read_range(range, {counter});
      at = ranges_.find({counter, range});
    }
    const ByBucket& by_bucket = at->second;
    for (auto row = by_bucket.lower_bound(first); row != by_bucket.end() && row->first <= last;
         ++row) {
      for (const auto& [key, value] : row->second) {
        if (key >= key_min) sums[key] += value;
      }
    }
  }
}

// A counter's value on a day is read for every key at once, and kept for the next key asked (a
// figure reads a counter's keys on one day in turn: bands, priorities, settings).
std::int64_t StoredTotals::value_at(Counter counter, Date day, std::int64_t key) {
  auto at = values_.find({counter, day});
  if (at == values_.end()) {
    read_values(day, {counter});
    at = values_.find({counter, day});
  }
  const auto value = at->second.find(key);
  return value == at->second.end() ? 0 : value->second;
}

StoredTotals::ByKey StoredTotals::steps_of(Counter counter, Date from, Date to,
                                           std::int64_t key_min) {
  ByKey sums;
  for (const auto& piece : pieces_of(from, to)) {
    add_steps(sums, counter, piece.level, piece.first, piece.last, key_min);
  }
  return sums;
}

std::vector<std::pair<std::int64_t, std::int64_t>> StoredTotals::steps_by_key(Counter counter,
                                                                              Date from, Date to) {
  return domain::nonzero_sums(steps_of(counter, from, to, any_key));
}

std::int64_t StoredTotals::steps_in(Counter counter, Date from, Date to, std::int64_t key_min) {
  std::int64_t total = 0;
  for (const auto& [key, sum] : steps_of(counter, from, to, key_min)) total += sum;
  return total;
}

}  // namespace careledger::persistence
