#include "persistence/teams.hpp"

#include "persistence/duplicate.hpp"

namespace careledger::persistence {

namespace {

TeamEntry read_team(Statement& q) {
  return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
          q.getColumn(3).getString()};
}

}  // namespace

bool team_registered(Connection& db, const std::string& name) {
  Prepared q(db, "SELECT 1 FROM teams WHERE name = ?1");
  q->bind(1, name);
  return q->executeStep();
}

std::optional<TeamEntry> find_team(Connection& db, const std::string& name) {
  Prepared q(db, "SELECT name, label, created_at, created_by FROM teams WHERE name = ?1");
  q->bind(1, name);
  if (!q->executeStep()) return std::nullopt;
  return read_team(*q);
}

std::vector<TeamEntry> teams_page(Connection& db, std::size_t offset,
                                  std::optional<std::size_t> limit) {
  Prepared q(db,
             "SELECT name, label, created_at, created_by FROM teams ORDER BY name "
             "LIMIT ?1 OFFSET ?2");
  q->bind(1, sql_limit(limit));
  q->bind(2, static_cast<std::int64_t>(offset));
  std::vector<TeamEntry> out;
  while (q->executeStep()) out.push_back(read_team(*q));
  return out;
}

std::vector<std::string> registered_team_names(Connection& db) {
  std::vector<std::string> names;
  for (auto& team : teams_page(db, 0, std::nullopt)) names.push_back(std::move(team.name));
  return names;
}

void insert_team(Connection& db, const TeamEntry& team) {
  Prepared q(db,
             "INSERT INTO teams (name, label, created_at, created_by) VALUES (?1, ?2, ?3, ?4) "
             "ON CONFLICT (name) DO NOTHING");
  q->bind(1, team.name);
  q->bind(2, team.label);
  q->bind(3, team.created_at);
  q->bind(4, team.created_by);
  if (q->exec() == 0) throw Duplicate("a team of that name is already registered");
}

}  // namespace careledger::persistence
