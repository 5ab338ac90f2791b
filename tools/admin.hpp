#pragma once
// The administration commands on a database file: users and rebuilding the read models. Each
// call opens its own writer connection for one IMMEDIATE transaction, so it may run beside a
// server on the same file (SQLite serialises the writers); callable from any thread.

#include <functional>
#include <iosfwd>
#include <string>

#include "persistence/users.hpp"
#include "services/client_level_data.hpp"

namespace careledger::tools {

// `careledger users add`: creates the user and prints their bearer token as the last line (only
// its hash is kept). Throws services::Failure for a bad name or team, or a name already taken.
void add_user(const std::string& db_path, const persistence::User& user, std::ostream& out);

// `careledger users reset-token`: gives the user a new token (the old one stops working) and
// prints it as the last line. Throws services::Failure for an unknown user.
void reset_token(const std::string& db_path, const std::string& name, std::ostream& out);

// `careledger users list`: a line per user (name, role, teams, enabled or disabled, last seen).
void list_users(const std::string& db_path, std::ostream& out);
// `careledger users set-role|set-teams|disable|enable`: `change` applied to the named user in
// one transaction, recorded as made from the command line; prints the user as they then are.
void change_user(const std::string& db_path, const std::string& name,
                 const std::function<persistence::UserEntry(persistence::Connection&,
                                                            const std::string&)>& change,
                 std::ostream& out);

// `careledger teams add`: registers a team (label: the name when empty). Throws
// services::Failure for a bad name or label, or a name already registered.
void add_team(const std::string& db_path, const std::string& name, const std::string& label,
              std::ostream& out);
// `careledger teams list`: each team's name and label, a line each, by name.
void list_teams(const std::string& db_path, std::ostream& out);

// `careledger backup`: a consistent copy of the database taken while a server may be serving
// from it (SQLite's online backup, every page in one step, so one snapshot of the log and
// what was kept with it), written beside `to_path` readable by its owner alone, synced, then
// renamed over it; an interrupted backup leaves any earlier copy whole. Prints what it copied.
void backup(const std::string& db_path, const std::string& to_path, std::ostream& out);

// `careledger cld export`: the Client Level Data file for `period`, at `to_path` whole or not at
// all (written beside it, synced, then renamed over it), readable by its owner alone.
services::CldFile export_cld(const std::string& db_path, const domain::cld::Period& period,
                             const std::string& la_code, const std::string& to_path);

// `careledger rebuild`: empties every read model and replays the log into them, in one
// transaction.
void rebuild(const std::string& db_path, std::ostream& out);

}  // namespace careledger::tools
