#pragma once
// The team register (API.md 1.1): registering a team, listing them, and refusing a team that
// is not registered wherever one is named (a person, a user, a `team=` filter).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "persistence/teams.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// 1-40 characters of a-z 0-9 _ - (a team registered by an upgrade may be named otherwise).
bool is_team_name(std::string_view name);

// Throws Failure(invalid) naming `field` unless the team is registered.
void require_registered(persistence::Connection& db, const domain::Team& team,
                        const std::string& field = "team");
void require_registered(Context& store, const domain::Team& team,
                        const std::string& field = "team");

// Registers a team on the caller's writer connection (the command line's, or inside a write
// job): Failure(invalid) for a bad name or label, Failure(conflict) for a name already taken.
persistence::TeamEntry add_team(persistence::Connection& db, const std::string& name,
                                const std::string& label, const std::string& created_by);

// Admins. 422 for a bad name or label, 409 for a name already registered; an Idempotency-Key
// repeated answers the team as first registered.
Outcome<persistence::TeamEntry> register_team(Context& store, const Actor& actor,
                                              const std::string& name, const std::string& label,
                                              const CommandOptions& options);

// Any user: a window of the register, by name.
std::vector<persistence::TeamEntry> list_teams(Context& store, const Actor& actor,
                                               std::size_t offset, std::size_t limit);

}  // namespace careledger::services
