#pragma once
// The people who use careledger, their roles and teams. Only a hash of each token is kept.

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

std::optional<User> find_user_by_token_hash(Connection& db, const std::string& token_hash);
bool user_exists(Connection& db, const std::string& name);
void insert_user(Connection& db, const User& user, const std::string& token_hash,
                 const std::string& created_at);
void replace_token_hash(Connection& db, const std::string& name, const std::string& token_hash);

}  // namespace careledger::persistence
