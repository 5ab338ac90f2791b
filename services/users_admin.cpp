#include "services/users_admin.hpp"

#include "persistence/event_writer.hpp"
#include "services/access.hpp"
#include "services/failure.hpp"
#include "services/teams.hpp"

namespace careledger::services {

std::string add_user(persistence::Connection& db, const persistence::User& user) {
  if (user.name.empty() || user.name.size() > 100) {
    throw invalid_field("name", "must be 1-100 characters");
  }
  for (const auto& team : user.teams) require_registered(db, team);
  if ((user.role == domain::Role::team_leader || user.role == domain::Role::practitioner) &&
      user.teams.empty()) {
    throw invalid_field("team", "a team leader or practitioner needs at least one team");
  }
  if (persistence::user_exists(db, user.name)) {
    throw Failure(Failure::Kind::conflict, "a user with this name exists");
  }
  std::string token = new_token();
  persistence::insert_user(db, user, sha256_hex(token), persistence::utc_now_rfc3339());
  return token;
}

std::string reset_token(persistence::Connection& db, const std::string& name) {
  if (!persistence::user_exists(db, name)) {
    throw Failure(Failure::Kind::not_found, "no user with this name");
  }
  std::string token = new_token();
  persistence::replace_token_hash(db, name, sha256_hex(token));
  return token;
}

}  // namespace careledger::services
