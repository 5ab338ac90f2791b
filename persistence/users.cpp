#include "persistence/users.hpp"

#include <SQLiteCpp/Statement.h>

#include "persistence/duplicate.hpp"

namespace careledger::persistence {

namespace {

constexpr const char* user_columns =
    "SELECT id, name, role, disabled, created_at, last_seen_at FROM users ";

// The user of the row at `q` (the columns of user_columns), without their teams.
UserEntry user_at(Statement& q) {
  UserEntry entry;
  entry.id = q.getColumn(0).getString();
  entry.user.name = q.getColumn(1).getString();
  entry.user.role = domain::parse_code<domain::Role>(q.getColumn(2).getString()).value();
  entry.disabled = q.getColumn(3).getInt() != 0;
  entry.created_at = q.getColumn(4).getString();
  entry.last_seen_at = text_or_null(q.getColumn(5));
  return entry;
}

UserEntry read_user(Connection& db, Statement& q) {
  UserEntry entry = user_at(q);
  Prepared teams(db, "SELECT team FROM user_teams WHERE user_name = ?1 ORDER BY team");
  teams->bind(1, entry.user.name);
  while (teams->executeStep()) entry.user.teams.emplace_back(teams->getColumn(0).getString());
  return entry;
}

// The user of the row at `q` and the rows after it, one for each of their teams (in column
// `team`), or one whose team is NULL when they have none.
UserEntry user_with_teams(Statement& q, int team) {
  UserEntry entry = user_at(q);
  do {
    if (!q.getColumn(team).isNull()) entry.user.teams.emplace_back(q.getColumn(team).getString());
  } while (q.executeStep());
  return entry;
}

// The one user `where` (on u, of ?1) finds, with their teams, in one statement (every request
// signed with a token asks it): a row for each of their teams, or one with none.
std::optional<UserEntry> find_one(Connection& db, const std::string& where,
                                  const std::string& value) {
  Prepared q(db,
             "SELECT u.id, u.name, u.role, u.disabled, u.created_at, u.last_seen_at, t.team "
             "FROM users u LEFT JOIN user_teams t ON t.user_name = u.name " +
                 where + " ORDER BY t.team");
  q->bind(1, value);
  if (!q->executeStep()) return std::nullopt;
  return user_with_teams(*q, 6);
}

void run(Connection& db, const char* sql, const std::string& a, const std::string& b) {
  Prepared q(db, sql);
  q->bind(1, a);
  q->bind(2, b);
  q->exec();
}

void delete_sessions_of(Connection& db, const std::string& name) {
  Prepared q(db, "DELETE FROM sessions WHERE user_name = ?1");
  q->bind(1, name);
  q->exec();
}

}  // namespace

std::optional<UserEntry> find_user_by_token_hash(Connection& db, const std::string& token_hash) {
  return find_one(db, "WHERE u.token_hash = ?1 AND u.disabled = 0", token_hash);
}

std::optional<UserEntry> find_user_by_id(Connection& db, const std::string& id) {
  return find_one(db, "WHERE u.id = ?1", id);
}

std::optional<UserEntry> find_user_by_name(Connection& db, const std::string& name) {
  return find_one(db, "WHERE u.name = ?1", name);
}

bool user_exists(Connection& db, const std::string& name) {
  Prepared q(db, "SELECT 1 FROM users WHERE name = ?1");
  q->bind(1, name);
  return q->executeStep();
}

std::vector<UserEntry> users_page(Connection& db, std::size_t offset, std::size_t limit) {
  Prepared q(db, std::string(user_columns) + "ORDER BY name LIMIT ?1 OFFSET ?2");
  q->bind(1, sql_limit(limit));
  q->bind(2, static_cast<std::int64_t>(offset));
  std::vector<UserEntry> out;
  while (q->executeStep()) out.push_back(read_user(db, *q));
  return out;
}

// On PostgreSQL the admins counted are locked until the transaction ends: a writer on another
// instance that would disable or demote one of them waits, then counts them as they then are,
// so two instances cannot each leave the other's admin the last and both disable it. (A row
// changed meanwhile is read again once its lock is granted, and counted if it still is an
// enabled admin.) SQLite's one writer needs no lock.
std::int64_t enabled_admins(Connection& db) {
  static const EngineSql sql{
      "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0",
      "SELECT COUNT(*) FROM (SELECT name FROM users WHERE role = 'admin' AND disabled = 0 "
      "FOR UPDATE) AS admins"};
  Prepared q(db, sql.of(db));
  q->executeStep();
  return q->getColumn(0).getInt64();
}

void insert_user(Connection& db, const std::string& id, const User& user,
                 const std::string& token_hash, const std::string& created_at) {
  Prepared q(db,
             "INSERT INTO users (id, name, role, token_hash, created_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING");
  q->bind(1, id);
  q->bind(2, user.name);
  q->bind(3, std::string(domain::code_name(user.role)));
  q->bind(4, token_hash);
  q->bind(5, created_at);
  if (q->exec() == 0) throw Duplicate("a user with this name exists");
  set_teams(db, user.name, user.teams);
}

void replace_token_hash(Connection& db, const std::string& name, const std::string& token_hash) {
  run(db, "UPDATE users SET token_hash = ?1 WHERE name = ?2", token_hash, name);
  delete_sessions_of(db, name);
}

void set_role(Connection& db, const std::string& name, domain::Role role) {
  run(db, "UPDATE users SET role = ?1 WHERE name = ?2", std::string(domain::code_name(role)), name);
}

void set_teams(Connection& db, const std::string& name, const std::vector<domain::Team>& teams) {
  Prepared clear(db, "DELETE FROM user_teams WHERE user_name = ?1");
  clear->bind(1, name);
  clear->exec();
  for (const auto& team : teams) {
    run(db, "INSERT INTO user_teams (user_name, team) VALUES (?1, ?2) ON CONFLICT DO NOTHING", name,
        team.str());
  }
}

void set_disabled(Connection& db, const std::string& name, bool disabled) {
  run(db, "UPDATE users SET disabled = ?1 WHERE name = ?2", disabled ? "1" : "0", name);
  if (disabled) delete_sessions_of(db, name);
}

void set_last_seen(Connection& db, const std::string& name, const std::string& at) {
  run(db, "UPDATE users SET last_seen_at = ?1 WHERE name = ?2", at, name);
}

bool insert_session(Connection& db, const std::string& id_hash, const std::string& token_hash,
                    const std::string& created_at, const std::string& expires_at) {
  Prepared expired(db, "DELETE FROM sessions WHERE expires_at <= ?1");
  expired->bind(1, created_at);
  expired->exec();
  Prepared q(db,
             "INSERT INTO sessions (id_hash, user_name, token_hash, created_at, expires_at) "
             "SELECT ?1, name, token_hash, ?3, ?4 FROM users "
             "WHERE token_hash = ?2 AND disabled = 0");
  q->bind(1, id_hash);
  q->bind(2, token_hash);
  q->bind(3, created_at);
  q->bind(4, expires_at);
  if (q->exec() != 1) return false;
  // A user's sessions are kept to their latest few, however often they sign in: this one and
  // the newest others.
  Prepared oldest(db,
                  "DELETE FROM sessions WHERE user_name = (SELECT user_name FROM sessions "
                  "WHERE id_hash = ?1) AND id_hash <> ?1 AND id_hash NOT IN (SELECT id_hash FROM "
                  "sessions WHERE user_name = (SELECT user_name FROM sessions WHERE id_hash = ?1) "
                  "AND id_hash <> ?1 ORDER BY created_at DESC, id_hash LIMIT ?2)");
  oldest->bind(1, id_hash);
  oldest->bind(2, static_cast<std::int64_t>(sessions_kept - 1));
  oldest->exec();
  return true;
}

std::optional<SessionEntry> find_session(Connection& db, const std::string& id_hash,
                                         const std::string& now) {
  Prepared q(db,
             "SELECT users.id, users.name, users.role, users.disabled, users.created_at, "
             "users.last_seen_at, sessions.expires_at, t.team FROM sessions "
             "JOIN users ON users.name = sessions.user_name "
             "AND users.token_hash = sessions.token_hash AND users.disabled = 0 "
             "LEFT JOIN user_teams t ON t.user_name = users.name "
             "WHERE sessions.id_hash = ?1 AND sessions.expires_at > ?2 ORDER BY t.team");
  q->bind(1, id_hash);
  q->bind(2, now);
  if (!q->executeStep()) return std::nullopt;
  std::string expires_at = q->getColumn(6).getString();
  return SessionEntry{user_with_teams(*q, 7), std::move(expires_at)};
}

void delete_session(Connection& db, const std::string& id_hash) {
  Prepared q(db, "DELETE FROM sessions WHERE id_hash = ?1");
  q->bind(1, id_hash);
  q->exec();
}

void record_user_change(Connection& db, const std::string& at, const std::string& by,
                        const std::string& user_name, const std::string& change,
                        const std::string& detail) {
  Prepared q(db,
             "INSERT INTO user_changes (at, by, user_name, change, detail) "
             "VALUES (?1, ?2, ?3, ?4, ?5)");
  q->bind(1, at);
  q->bind(2, by);
  q->bind(3, user_name);
  q->bind(4, change);
  q->bind(5, detail);
  q->exec();
}

}  // namespace careledger::persistence
