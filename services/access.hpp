#pragma once
// Who is asking, and what their role and teams let them do (API.md, Running: roles).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/codes.hpp"
#include "domain/strong.hpp"
#include "persistence/database.hpp"
#include "persistence/read_models.hpp"

namespace careledger::services {

struct Actor {
  std::string name;
  domain::Role role = domain::Role::practitioner;
  std::vector<domain::Team> teams;

  bool is(domain::Role r) const { return role == r; }
  // Casework of this team may be read and recorded by this actor.
  bool sees_casework_of(const domain::Team& team) const;
};

// What a request is for, which decides who may make it.
enum class Purpose {
  casework,         // record or read people and their casework, waiting lists
  measures,         // measures and reports
  operations,       // metrics of the running server
  corrections,      // voiding a mistaken record: team leaders and admins
  reference,        // what every user may read: the team register
  administration,   // teams and users: admins
  national_return,  // the Client Level Data file, every person's NHS number in it: admins
  data_quality,     // the Client Level Data file's data-quality report: admins and analysts
};

// Throws Failure(forbidden) unless the actor's role serves the purpose.
void require_purpose(const Actor& actor, Purpose purpose);

// The teams a query covers: the one asked for (if the actor may see it) or all the actor may.
// Throws Failure(forbidden) when the team asked for is not the actor's.
persistence::TeamFilter team_scope(const Actor& actor, const std::optional<domain::Team>& asked,
                                   Purpose purpose);

std::string sha256_hex(std::string_view data);
std::string new_token();                      // 32 random bytes, hex
std::string new_id(std::string_view prefix);  // prefix + 12 hex digits of time, 16 random

}  // namespace careledger::services
