#pragma once
// The people who use careledger, their roles and teams. Only a hash of each token is kept;
// every change to a user is kept too, with who made it and when (user_changes).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "persistence/connection.hpp"

#include "domain/codes.hpp"
#include "domain/strong.hpp"

namespace careledger::persistence {

struct User {
  std::string name;
  domain::Role role = domain::Role::practitioner;
  std::vector<domain::Team> teams;
};

// A user as GET /v1/users shows them.
struct UserEntry {
  std::string id;
  User user;
  bool disabled = false;
  std::string created_at;
  std::optional<std::string> last_seen_at;
};

// An enabled user's, by their token's hash (a disabled user's token finds no one).
std::optional<UserEntry> find_user_by_token_hash(Connection& db, const std::string& token_hash);
std::optional<UserEntry> find_user_by_id(Connection& db, const std::string& id);
std::optional<UserEntry> find_user_by_name(Connection& db, const std::string& name);
bool user_exists(Connection& db, const std::string& name);
// By name, `limit` of them after the first `offset`.
std::vector<UserEntry> users_page(Connection& db, std::size_t offset, std::size_t limit);
std::int64_t enabled_admins(Connection& db);

void insert_user(Connection& db, const std::string& id, const User& user,
                 const std::string& token_hash, const std::string& created_at);
void replace_token_hash(Connection& db, const std::string& name, const std::string& token_hash);
void set_role(Connection& db, const std::string& name, domain::Role role);
void set_teams(Connection& db, const std::string& name, const std::vector<domain::Team>& teams);
void set_disabled(Connection& db, const std::string& name, bool disabled);
void set_last_seen(Connection& db, const std::string& name, const std::string& at);
// The dashboard's sessions (each kept by the hash of its id). A session is its user's while
// it has not expired, the user is enabled and their token is still the one that signed it in;
// disabling the user or giving them a new token also deletes their sessions, so enabling them
// again revives none.
struct SessionEntry {
  UserEntry user;
  std::string expires_at;
};
// A session for the enabled user whose token's hash is `token_hash`; false (nothing kept) when
// there is none. Also forgets sessions that had expired by `created_at`.
bool insert_session(Connection& db, const std::string& id_hash, const std::string& token_hash,
                    const std::string& created_at, const std::string& expires_at);
std::optional<SessionEntry> find_session(Connection& db, const std::string& id_hash,
                                         const std::string& now);
void delete_session(Connection& db, const std::string& id_hash);
// Keeps a change to a user: `change` ("created", "role", "teams", "disabled", "enabled",
// "token") and what it was changed to.
void record_user_change(Connection& db, const std::string& at, const std::string& by,
                        const std::string& user_name, const std::string& change,
                        const std::string& detail);

}  // namespace careledger::persistence
