#pragma once
// Users and their lifecycle (API.md 1.1): made, listed, given a role or teams, disabled and
// enabled, given a new token. The functions on a connection run inside the caller's write
// transaction (the command line's, or a write job of the server's writer); each records the
// change with who made it and when. The last enabled admin cannot be disabled or lose the
// role (409).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "persistence/users.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// Creates the user and returns their bearer token; only its hash is stored. Throws
// Failure(invalid) for a bad name or an unregistered team, Failure(conflict) if the name is
// taken.
std::string add_user(persistence::Connection& db, const persistence::User& user,
                     const std::string& by = "command line");
// Gives an existing user a new token (the old one stops working at once) and returns it.
std::string reset_token(persistence::Connection& db, const std::string& name,
                        const std::string& by = "command line");
persistence::UserEntry set_role(persistence::Connection& db, const std::string& name,
                                domain::Role role, const std::string& by = "command line");
persistence::UserEntry set_teams(persistence::Connection& db, const std::string& name,
                                 const std::vector<domain::Team>& teams,
                                 const std::string& by = "command line");
persistence::UserEntry set_disabled(persistence::Connection& db, const std::string& name,
                                    bool disabled, const std::string& by = "command line");

// Over the API, admins only; a user is named by id (404 if none).
struct IssuedToken {
  persistence::UserEntry user;
  std::string token;  // shown once
};
std::vector<persistence::UserEntry> list_users(Context& store, const Actor& actor,
                                               std::size_t offset, std::size_t limit);
// No token is kept in clear, so a repeated Idempotency-Key on these two is 409 and issues
// nothing.
IssuedToken create_user(Context& store, const Actor& actor, const persistence::User& user,
                        const CommandOptions& options);
IssuedToken new_token(Context& store, const Actor& actor, const std::string& id,
                      const CommandOptions& options);
// Role, teams, disable, enable: `change` applied to the user's name on the writer's
// connection. A repeated Idempotency-Key with the same body answers the user as they are.
persistence::UserEntry change_user(
    Context& store, const Actor& actor, const std::string& id, const CommandOptions& options,
    const std::function<persistence::UserEntry(persistence::Connection&, const std::string& name)>&
        change);

}  // namespace careledger::services
