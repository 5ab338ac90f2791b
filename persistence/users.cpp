#include "persistence/users.hpp"

#include <SQLiteCpp/Statement.h>

namespace careledger::persistence {

namespace {
constexpr const char* sql_find_by_hash = "SELECT name, role FROM users WHERE token_hash = ?";
constexpr const char* sql_user_teams =
    "SELECT team FROM user_teams WHERE user_name = ? ORDER BY team";
constexpr const char* sql_exists = "SELECT 1 FROM users WHERE name = ?";
constexpr const char* sql_insert_user =
    "INSERT INTO users (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)";
constexpr const char* sql_insert_team = "INSERT INTO user_teams (user_name, team) VALUES (?, ?)";
constexpr const char* sql_replace_hash = "UPDATE users SET token_hash = ? WHERE name = ?";
}  // namespace

std::optional<User> find_user_by_token_hash(Connection& db, const std::string& token_hash) {
  Prepared q(db, sql_find_by_hash);
  q->bind(1, token_hash);
  if (!q->executeStep()) return std::nullopt;
  User user;
  user.name = q->getColumn(0).getString();
  user.role = domain::parse_code<domain::Role>(q->getColumn(1).getString()).value();
  Prepared teams(db, sql_user_teams);
  teams->bind(1, user.name);
  while (teams->executeStep()) user.teams.emplace_back(teams->getColumn(0).getString());
  return user;
}

bool user_exists(Connection& db, const std::string& name) {
  Prepared q(db, sql_exists);
  q->bind(1, name);
  return q->executeStep();
}

void insert_user(Connection& db, const User& user, const std::string& token_hash,
                 const std::string& created_at) {
  Prepared q(db, sql_insert_user);
  q->bind(1, user.name);
  q->bind(2, std::string(domain::code_name(user.role)));
  q->bind(3, token_hash);
  q->bind(4, created_at);
  q->exec();
  Prepared t(db, sql_insert_team);
  for (const auto& team : user.teams) {
    t->reset();
    t->bind(1, user.name);
    t->bind(2, team.str());
    t->exec();
  }
}

void replace_token_hash(Connection& db, const std::string& name, const std::string& token_hash) {
  Prepared q(db, sql_replace_hash);
  q->bind(1, token_hash);
  q->bind(2, name);
  q->exec();
}

}  // namespace careledger::persistence
