#pragma once
// `careledger bench pg-append`: durable appends per second to the event log on PostgreSQL
// through its group commit (pg::Writer), for scripts/bench (issue 16's PostgreSQL column).

#include <ostream>
#include <string>

namespace careledger::tools {

struct PgAppendBench {
  std::string owner_url;  // installs the log's schema, as the tables' owner
  std::string app_url;    // appends, as the role careledger connects with
  std::string app_role;
  int clients = 64;
  int writers = 1;  // writers, each its own connection (as instances would have)
  double seconds = 5;
};

// Installs the schema into the (empty) database, then appends one-event appends to new streams
// from `clients` threads, alternate ones on each writer, for `seconds`. Prints one JSON line:
// {"clients", "writers", "seconds", "appends", "appends_per_s", "refused"}.
void run_pg_append_bench(const PgAppendBench& bench, std::ostream& out);

}  // namespace careledger::tools
