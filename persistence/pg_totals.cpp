#include "persistence/pg_totals.hpp"

#include "persistence/pg_connection.hpp"

namespace careledger::persistence::pg {

void add_to_totals(persistence::Connection& db, const std::vector<TotalsStep>& steps) {
  if (steps.empty()) return;
  std::vector<Param> scopes, counters, levels, buckets, keys, deltas;
  for (const auto& step : steps) {
    scopes.emplace_back(*step.scope);
    counters.emplace_back(std::to_string(step.counter));
    levels.emplace_back(std::to_string(step.level));
    buckets.emplace_back(std::to_string(step.bucket));
    keys.emplace_back(std::to_string(step.key));
    deltas.emplace_back(std::to_string(step.delta));
  }
  // unnest gives the rows in the arrays' order, so the rows' locks are taken in it.
  Prepared add(db,
               "INSERT INTO rm_totals (scope, counter, level, bucket, key, value) "
               "SELECT * FROM unnest(?1::text[], ?2::integer[], ?3::integer[], ?4::bigint[], "
               "?5::bigint[], ?6::bigint[]) "
               "ON CONFLICT (scope, counter, level, bucket, key) "
               "DO UPDATE SET value = rm_totals.value + excluded.value "
               "RETURNING scope, counter, level, bucket, key, value");
  add->bind(1, text_array(scopes));
  add->bind(2, text_array(counters));
  add->bind(3, text_array(levels));
  add->bind(4, text_array(buckets));
  add->bind(5, text_array(keys));
  add->bind(6, text_array(deltas));
  std::vector<Param> zero[5];
  while (add->executeStep()) {
    if (add->getColumn(5).getInt64() != 0) continue;
    for (int c = 0; c < 5; ++c) zero[c].emplace_back(add->getColumn(c).getString());
  }
  if (zero[0].empty()) return;
  Prepared remove(db,
                  "DELETE FROM rm_totals t USING unnest(?1::text[], ?2::integer[], "
                  "?3::integer[], ?4::bigint[], ?5::bigint[]) AS z (scope, counter, level, "
                  "bucket, key) WHERE t.scope = z.scope AND t.counter = z.counter AND "
                  "t.level = z.level AND t.bucket = z.bucket AND t.key = z.key AND t.value = 0");
  for (int c = 0; c < 5; ++c) remove->bind(c + 1, text_array(zero[c]));
  remove->exec();
}

}  // namespace careledger::persistence::pg
