#pragma once
// The running totals' counter rows (rm_totals, running_totals.hpp) added to on PostgreSQL.

#include <cstdint>
#include <string>
#include <vector>

#include "persistence/connection.hpp"

namespace careledger::persistence::pg {

// A step to add to one counter row.
struct TotalsStep {
  const std::string* scope;  // the team
  int counter;
  int level;
  std::int64_t bucket;
  std::int64_t key;
  std::int64_t delta;
};

// Adds each step to its row (made when there is none), in the order given, in one statement,
// and deletes the rows that come to 0, in a second when any does. One statement rather than one
// a row: the batch holds the rows' locks, which another writer's batch may be waiting for, only
// for the one round trip and its commit.
void add_to_totals(persistence::Connection& db, const std::vector<TotalsStep>& steps);

}  // namespace careledger::persistence::pg
