#include "persistence/running_totals.hpp"

#include "persistence/kept_lists.hpp"
#include "persistence/pg_totals.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <stdexcept>
#include <string_view>
#include <tuple>

namespace careledger::persistence {

namespace {

using domain::Counter;
using domain::Date;

// The levels a counter's steps are summed at, and the bucket of a day at each.
enum Level : int { by_day = 0, by_month = 1, by_year = 2 };

std::int64_t month_bucket(date::year_month ym) {
  return static_cast<int>(ym.year()) * 12LL + static_cast<unsigned>(ym.month()) - 1;
}
std::int64_t bucket_of(Level level, Date day) {
  const date::year_month_day ymd{day};
  switch (level) {
    case by_day:
      return domain::day_number(day);
    case by_month:
      return month_bucket(ymd.year() / ymd.month());
    case by_year:
      return static_cast<int>(ymd.year());
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
    for (Level level : {by_day, by_month, by_year}) {
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

// What the recount of one person reads once for all their families.
struct PersonRows {
  const std::optional<domain::PersonState>& state;
  // What they contributed to each family, as kept: its team and contributions.
  std::map<std::string, std::pair<std::string, domain::Contributions>> kept;
  // Their requests for assessment (without their allocations), read when a family first asks.
  std::optional<std::vector<domain::AssessmentState>> assessments;

  PersonRows(Connection& db, const domain::PersonId& person,
             const std::optional<domain::PersonState>& person_state)
      : state(person_state) {
    Prepared load(db,
                  "SELECT family, team, contributions FROM rm_person_totals WHERE person_id = ?1");
    load->bind(1, person.str());
    while (load->executeStep()) {
      kept.emplace(
          load->getColumn(0).getString(),
          std::pair{load->getColumn(1).getString(), decode(load->getColumn(2).getString())});
    }
  }
  const std::vector<domain::AssessmentState>& assessments_of(Connection& db,
                                                             const domain::PersonId& person) {
    if (!assessments) assessments = persistence::assessments_of(db, person);
    return *assessments;
  }
};

// Replaces what the person contributes in one family of counters.
void update_person(Connection& db, StepSums& sums, const domain::PersonId& person,
                   const PersonRows& rows, const std::string& family,
                   const std::optional<domain::Team>& team, const domain::Contributions& now) {
  std::optional<std::string> stored_team;
  domain::Contributions before;
  if (const auto kept = rows.kept.find(family); kept != rows.kept.end()) {
    stored_team = kept->second.first;
    before = kept->second.second;
  }
  if (stored_team && team && *stored_team == team->str()) {
    if (before == now) return;  // nothing the person contributes changed
    sums.add(*stored_team, domain::steps_between(before, now));
  } else {
    if (stored_team) sums.add(*stored_team, domain::steps_between(before, {}));
    if (team) sums.add(team->str(), domain::steps_between({}, now));
  }
  if (!team || now.empty()) {
    if (!stored_team) return;  // nothing kept to forget
    Prepared remove(db, "DELETE FROM rm_person_totals WHERE person_id = ?1 AND family = ?2");
    remove->bind(1, person.str());
    remove->bind(2, family);
    remove->exec();
    return;
  }
  Prepared save(db,
                "INSERT INTO rm_person_totals (person_id, family, team, contributions) "
                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (person_id, family) DO UPDATE SET "
                "team = excluded.team, "
                "contributions = excluded.contributions");
  save->bind(1, person.str());
  save->bind(2, family);
  save->bind(3, team->str());
  save->bind(4, encode(now));
  save->exec();
}

// Derives what the person contributes to a family of counters again from their read-model rows
// (support: person, support episodes, reviews; safeguarding: person, concerns; assessments:
// their requests; deferred payments: person, placements; requests: person, requests for
// support, assessments, long-term episodes) and adds the difference to `sums`.
// With `named_requests`, the waiting-list spells of those requests alone are rewritten (nullopt:
// all of the person's).
void update_totals(Connection& db, StepSums& sums, Family family, const domain::PersonId& person,
                   PersonRows& rows,
                   const std::optional<std::set<domain::AssessmentId>>& named_requests) {
  const auto& state = rows.state;
  domain::Contributions now;
  std::optional<domain::Team> team;
  // Each list this family keeps is rewritten beside the totals (persistence/kept_lists.hpp).
  // The team is the person's (reading 13); a request's is the person's when it was made, and the
  // family's that of their first request by id (an id begins with the millisecond it was made,
  // so nearly always the first made; on either engine the same one).
  if (family == Family::assessments) {
    const auto& requests = rows.assessments_of(db, person);
    if (!requests.empty()) team = requests.front().team;
    std::vector<domain::RequestFact> facts;
    for (const auto& r : requests) {
      facts.push_back({r.requested_on, r.stopped_waiting_on(), r.priority, r.completed_on});
    }
    now = domain::assessment_contributions(facts);
    save_waiting(db, person, state, named_requests);
  } else {
    if (state) team = state->team;
    switch (family) {
      case Family::support: {
        std::vector<domain::OverdueSpell> overdue;
        if (state) {
          now = domain::support_contributions(state->date_of_birth, support_episodes_of(db, person),
                                              review_days_of(db, person), &overdue);
        }
        save_overdue(db, person, state, overdue);
        break;
      }
      case Family::safeguarding: {
        std::vector<domain::ConcernFact> concerns;
        std::vector<domain::EnquiryFact> enquiries;
        if (state) {
          concerns = concerns_of(db, person);
          enquiries = enquiries_of(db, person);
          now = domain::safeguarding_contributions(concerns, enquiries);
        }
        save_open_safeguarding(db, person, state, concerns, enquiries);
        break;
      }
      case Family::deferred_payments: {
        std::vector<domain::PlacementState> placements;
        if (state) {
          placements = placements_of(db, person);
          now = domain::placement_contributions(placements);
        }
        save_signed_agreements(db, person, team, placements);
        save_attention(db, person, state, placements);
        break;
      }
      case Family::requests:
        if (state) {
          now = domain::request_contributions(
              domain::request_rows(state->client_type, support_requests_of(db, person),
                                   rows.assessments_of(db, person)),
              long_term_episodes_of(db, person));
        }
        break;
      case Family::assessments:
        break;
    }
  }
  static constexpr const char* names[] = {"support", "safeguarding", "assessments",
                                          "deferred_payments", "requests"};
  update_person(db, sums, person, rows, names[static_cast<int>(family)], team, now);
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
  StepSums sums;
  for (const auto& [person, families] : people_) {
    const auto state = find<domain::PersonState>(db, person);  // once for all their families
    PersonRows rows(db, person, state);
    const auto requests = requests_.find(person);
    for (const auto family : families) {
      update_totals(db, sums, family, person, rows,
                    family == Family::assessments && requests != requests_.end() ? requests->second
                                                                                 : std::nullopt);
    }
  }
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

namespace {

// Up to three ranges of buckets, each at its level: what a counter is read from.
struct Piece {
  Level level = by_day;
  std::int64_t first = 1, last = 0;  // empty unless given
};
using Pieces = std::array<Piece, 3>;

// The pieces [from, to] is read in: the whole months inside it by month, the days either side
// by day.
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
  pieces[1] = {by_month, month_bucket(first_whole), month_bucket(last_whole)};
  pieces[2] = {by_day, domain::day_number(Date{last_whole / date::last}) + 1,
               domain::day_number(to)};
  return pieces;
}

// A counter's rows of one level's buckets [first, last], of the keys at or above a least key,
// summed over the teams, by bucket and key.
constexpr const char* sql_rows = R"sql(
SELECT bucket, key, sum(value) FROM rm_totals
 WHERE scope IN (SELECT value FROM json_each(?1)) AND counter = ?2 AND level = ?3
   AND bucket BETWEEN ?4 AND ?5 AND key >= ?6
 GROUP BY bucket, key
)sql";

// A counter's steps in up to three pieces, summed by key, in one statement: each piece read
// through rm_totals' key, as a statement of its own would be. (The teams are read once, as a
// materialised CTE: a plan that reads them three times costs enough that PostgreSQL would
// start parallel workers for it, which take longer to start than the statement takes.)
constexpr const char* sql_sums_by_key = R"sql(
WITH scopes AS MATERIALIZED (SELECT value FROM json_each(?1))
SELECT key, sum(value) FROM (
  SELECT key, value FROM rm_totals
   WHERE scope IN (SELECT value FROM scopes) AND counter = ?2 AND level = ?3
     AND bucket BETWEEN ?4 AND ?5 AND key >= ?12
  UNION ALL
  SELECT key, value FROM rm_totals
   WHERE scope IN (SELECT value FROM scopes) AND counter = ?2 AND level = ?6
     AND bucket BETWEEN ?7 AND ?8 AND key >= ?12
  UNION ALL
  SELECT key, value FROM rm_totals
   WHERE scope IN (SELECT value FROM scopes) AND counter = ?2 AND level = ?9
     AND bucket BETWEEN ?10 AND ?11 AND key >= ?12
) AS pieces
 GROUP BY key
)sql";

std::map<std::int64_t, std::int64_t> sums_by_key(Connection& db, const std::string& scopes,
                                                 Counter counter, const Pieces& pieces,
                                                 std::int64_t key_min) {
  std::map<std::int64_t, std::int64_t> sums;
  if (std::all_of(pieces.begin(), pieces.end(), [](const Piece& p) { return p.first > p.last; })) {
    return sums;
  }
  Prepared q(db, sql_sums_by_key);
  q->bind(1, scopes);
  q->bind(2, static_cast<int>(counter));
  int at = 3;
  for (const auto& piece : pieces) {
    q->bind(at++, static_cast<int>(piece.level));
    q->bind(at++, piece.first);
    q->bind(at++, piece.last);
  }
  q->bind(12, key_min);
  while (q->executeStep()) sums[q->getColumn(0).getInt64()] += q->getColumn(1).getInt64();
  return sums;
}

constexpr std::int64_t any_key = std::numeric_limits<std::int64_t>::min();

// Months are read a financial year at a time (April to March: what the reports and measures
// ask), as a chunk: the months [12 c + 3, 12 c + 14] of chunk c.
std::int64_t chunk_of(std::int64_t month) {
  return (month - 3) / 12;
}

}  // namespace

std::map<std::int64_t, StoredTotals::ByKey> StoredTotals::rows(Counter counter, int level,
                                                               std::int64_t first,
                                                               std::int64_t last,
                                                               std::int64_t key_min) {
  std::map<std::int64_t, ByKey> out;
  Prepared q(db_, sql_rows);
  q->bind(1, scopes_);
  q->bind(2, static_cast<int>(counter));
  q->bind(3, level);
  q->bind(4, first);
  q->bind(5, last);
  q->bind(6, key_min);
  while (q->executeStep()) {
    out[q->getColumn(0).getInt64()][q->getColumn(1).getInt64()] += q->getColumn(2).getInt64();
  }
  return out;
}

// A counter's steps: its months' rows read a financial year at a time and kept (a report reads
// many periods of one year or three), its days' rows as asked.
void StoredTotals::add_steps(ByKey& sums, Counter counter, int level, std::int64_t first,
                             std::int64_t last, std::int64_t key_min) {
  if (first > last) return;
  auto add = [&](const std::map<std::int64_t, ByKey>& by_bucket) {
    for (auto at = by_bucket.lower_bound(first); at != by_bucket.end() && at->first <= last; ++at) {
      for (const auto& [key, value] : at->second) {
        if (key >= key_min) sums[key] += value;
      }
    }
  };
  switch (level) {
    case by_month:
      for (auto chunk = chunk_of(first); chunk <= chunk_of(last); ++chunk) {
        auto [at, added] = months_.try_emplace({counter, chunk, key_min});
        if (added) at->second = rows(counter, by_month, chunk * 12 + 3, chunk * 12 + 14, key_min);
        add(at->second);
      }
      return;
    default:
      add(rows(counter, by_day, first, last, key_min));
  }
}

// A counter's value on a day is read for every key at once, in one statement (the years before
// the day's, the months of its year before its month, its month's days), and kept for the next
// key asked (a figure reads a counter's keys on one day in turn: bands, priorities, settings).
std::int64_t StoredTotals::value_at(Counter counter, Date day, std::int64_t key) {
  auto [at, added] = values_.try_emplace({counter, day});
  if (added) {
    const date::year_month_day ymd{day};
    const auto this_year = bucket_of(by_year, day);
    const auto this_month = bucket_of(by_month, day);
    const Pieces pieces{{{by_year, any_key, this_year - 1},
                         {by_month, this_year * 12, this_month - 1},
                         {by_day, domain::day_number(Date{ymd.year() / ymd.month() / 1}),
                          domain::day_number(day)}}};
    at->second = sums_by_key(db_, scopes_, counter, pieces, any_key);
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
