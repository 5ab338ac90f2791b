#pragma once
// The running totals of domain/running_totals.hpp, kept in two read-model tables written in the
// appending transaction: each person's contributions as last derived (rm_person_totals), and
// the counters' steps summed by team and day, month and year (rm_totals). A counter's value on
// a day is then read from at most one row per earlier year, per earlier month of its year and
// per day of its month, whatever the length of the history.

#include <set>
#include <vector>

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
class Recount {
 public:
  void add(const domain::PersonId& person) { people_.insert(person); }
  // Derives each person's totals and forgets them; inside the caller's transaction.
  void run(Connection& db);

 private:
  std::set<domain::PersonId> people_;
};

// Derives the person's support contributions again from their read-model rows (person, support
// episodes, reviews) and steps the counters by the difference.
void update_support_totals(Connection& db, const domain::PersonId& person);

// The totals of some teams (nullopt: every team), read on the caller's connection.
class StoredTotals final : public domain::RunningTotals {
 public:
  StoredTotals(Connection& db, const TeamFilter& teams);
  std::int64_t value_at(domain::Counter counter, domain::Date day, std::int64_t key) override;
  std::int64_t steps_in(domain::Counter counter, domain::Date from, domain::Date to,
                        std::int64_t key_min) override;

 private:
  Connection& db_;
  std::string scopes_;  // JSON array of team names
};

}  // namespace careledger::persistence
