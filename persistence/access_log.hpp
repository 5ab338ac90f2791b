#pragma once
// Who read what (API.md 1.1): an append-only log of every request on a route the route table
// marks as returning or addressing a person's record or person ids, refusals included. Kept beside
// the event log, never updated or deleted (triggers refuse both), and left alone by a rebuild.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "persistence/connection.hpp"
#include "persistence/row_batch.hpp"

namespace careledger::persistence {

struct AccessEntry {
  std::int64_t position = 0;  // set when read
  std::string at;             // RFC 3339 UTC
  std::optional<std::string> user;
  std::optional<std::string> role;
  std::string method;
  std::string route;  // the route's pattern
  int status = 0;
  std::optional<std::string> person_id;  // a single record's person
  std::string filters;                   // a JSON object of the query's parameters
  std::optional<std::int64_t> people_shown;
  std::string request_id;
  std::string client;  // the client's address (behind a trusted proxy, the one it forwarded)
};

void append_access(Connection& db, const AccessEntry& entry);
// The entry as a row to insert (Appender::write_rows).
RowBatch access_rows(const AccessEntry& entry);

struct AccessQuery {
  std::optional<std::string> person_id;
  std::optional<std::string> user;
  std::optional<std::string> from, to;  // RFC 3339 UTC, inclusive
  std::optional<std::int64_t> before;   // positions before this one (a page's cursor)
  std::size_t limit = 100;
};
// Newest first.
std::vector<AccessEntry> read_access(Connection& db, const AccessQuery& query);

}  // namespace careledger::persistence
