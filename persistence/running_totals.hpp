#pragma once
// The running totals of domain/running_totals.hpp, kept in two read-model tables written in the
// appending transaction: each person's contributions as last derived (rm_person_totals), and
// the counters' steps summed by team and day, month and financial year (rm_totals). A counter's
// value on a day is then read from at most one row per earlier financial year, per earlier month
// of its year and per day of its month, whatever the length of the history; its steps over a
// period from a row per whole financial year in it, per whole month either side and per day.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "domain/person.hpp"
#include "domain/running_totals.hpp"
#include "persistence/connection.hpp"
#include "persistence/read_models.hpp"

namespace careledger::persistence {

// Declared with the other read models: rebuilt, dumped and verified with them.
std::vector<TableSchema> running_total_tables();

// The people whose totals are to be derived again before the appending transaction commits:
// gathered while events are projected, so that a person with many events in one transaction
// (a loaded file, a group commit) is counted once. Deriving is idempotent (from the read
// models as they then stand), so a person named by an append that was rolled back costs only
// the work.
// The families of counters, each derived from some of a person's records.
enum class Family { support, safeguarding, assessments, deferred_payments, requests };
//
// The lists kept beside the totals are rewritten with them (persistence/kept_lists.hpp), but
// for the waiting list: only the requests named are (a person may have asked many times), or
// all of the person's when their own record changed.
class Recount {
 public:
  void add(Family family, const domain::PersonId& person);
  void add_request(const domain::PersonId& person, const domain::AssessmentId& request);
  // Derives each person's totals and forgets them; inside the caller's transaction.
  void run(Connection& db);

 private:
  std::map<domain::PersonId, std::set<Family>> people_;
  // The requests whose waiting-list spells are rewritten, by person; nullopt: all of theirs.
  std::map<domain::PersonId, std::optional<std::set<domain::AssessmentId>>> requests_;
};

// Steps gathered by team and counter row, to be added to the counters at once.
class StepSums {
 public:
  void add(const std::string& team, const std::vector<domain::Step>& steps);
  void write(Connection& db);  // and forgets them

 private:
  std::vector<std::string> teams_;  // a row's team by its number, to keep the keys small
  std::map<std::tuple<std::size_t, int, int, std::int64_t, std::int64_t>, std::int64_t> sums_;
};

// Adds to `target`'s totals the opposite of what `people` contribute to `source`'s (their rows
// of rm_person_totals): with their contributions as known at another moment added as well,
// `target` then holds how their totals changed.
void subtract_contributions(Connection& source, Connection& target,
                            const std::vector<domain::PersonId>& people);

// The totals of some teams (nullopt: every team), read on the caller's connection.
class StoredTotals final : public domain::RunningTotals {
 public:
  StoredTotals(Connection& db, const TeamFilter& teams);
  StoredTotals(Connection& db, const std::vector<domain::Team>& teams);
  std::int64_t value_at(domain::Counter counter, domain::Date day, std::int64_t key) override;
  std::int64_t steps_in(domain::Counter counter, domain::Date from, domain::Date to,
                        std::int64_t key_min) override;
  std::vector<std::pair<std::int64_t, std::int64_t>> steps_by_key(domain::Counter counter,
                                                                  domain::Date from,
                                                                  domain::Date to) override;
  // Reads what the asks name a statement per day (values) and per range (a financial year's
  // months, some days, some financial years) with its least key, for every counter asked there
  // at once.
  void read_ahead(const domain::TotalsAsks& asks) override;

 private:
  using ByKey = std::map<std::int64_t, std::int64_t>;
  using ByBucket = std::map<std::int64_t, ByKey>;
  // A level's buckets [first, last], of the keys at or above a least key.
  using Range = std::tuple<int, std::int64_t, std::int64_t, std::int64_t>;
  static std::vector<Range> ranges_of(int level, std::int64_t first, std::int64_t last,
                                      std::int64_t key_min);
  // Reads the counters' rows of a range, by bucket and key, in one statement.
  void read_range(const Range& range, const std::set<domain::Counter>& counters);
  void read_values(domain::Date day, const std::set<domain::Counter>& counters);
  // Adds the counter's steps in one level's buckets [first, last] to `sums`, by key.
  void add_steps(ByKey& sums, domain::Counter counter, int level, std::int64_t first,
                 std::int64_t last, std::int64_t key_min);
  ByKey steps_of(domain::Counter counter, domain::Date from, domain::Date to, std::int64_t key_min);

  Connection& db_;
  std::string scopes_;  // JSON array of team names
  // What is read is kept for this object's life, which is the caller's read transaction's: each
  // counter's rows of a range, by bucket and key (months a financial year at a time); its value
  // on a day by key.
  std::map<std::pair<domain::Counter, Range>, ByBucket> ranges_;
  std::map<std::pair<domain::Counter, domain::Date>, ByKey> values_;
};

}  // namespace careledger::persistence
