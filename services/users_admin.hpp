#pragma once
// Administration of users from the command line (not over HTTP).

#include <string>
#include <vector>

#include "persistence/users.hpp"

namespace careledger::services {

// Creates the user and returns their bearer token; only its hash is stored.
// Throws Failure(invalid) for a bad name or team, Failure(conflict) if the name is taken.
std::string add_user(persistence::Connection& db, const persistence::User& user);

// Gives an existing user a new token (the old one stops working) and returns it.
std::string reset_token(persistence::Connection& db, const std::string& name);

}  // namespace careledger::services
