#pragma once
// The team register (API.md 1.1): the teams people, users and filters may name. Kept beside
// the log, not in it; written through the writer (Appender::write).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "persistence/connection.hpp"

namespace careledger::persistence {

struct TeamEntry {
  std::string name;
  std::string label;
  std::string created_at;  // RFC 3339 UTC
  std::string created_by;  // a user's name, or "upgrade" for a team a database named before
};

bool team_registered(Connection& db, const std::string& name);
std::optional<TeamEntry> find_team(Connection& db, const std::string& name);
// By name, `limit` of them after the first `offset` (nullopt: all).
std::vector<TeamEntry> teams_page(Connection& db, std::size_t offset,
                                  std::optional<std::size_t> limit);
// Their names, in order.
std::vector<std::string> registered_team_names(Connection& db);
void insert_team(Connection& db, const TeamEntry& team);

}  // namespace careledger::persistence
