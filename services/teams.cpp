#include "services/teams.hpp"

#include <algorithm>

#include "persistence/duplicate.hpp"
#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"

namespace careledger::services {

namespace {

// How the idempotency record of a registration names what it made.
std::string team_subject(const std::string& name) {
  return "team:" + name;
}

persistence::TeamEntry registered(Context& store, const std::string& name) {
  auto db = store.readers.acquire();
  auto team = persistence::find_team(*db, name);
  if (!team) throw Failure(Failure::Kind::not_found, "no such team");
  return *team;
}

}  // namespace

bool is_team_name(std::string_view name) {
  return !name.empty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void require_registered(persistence::Connection& db, const domain::Team& team,
                        const std::string& field) {
  if (!persistence::team_registered(db, team.str())) {
    throw invalid_field(field, "is not a registered team (GET /v1/teams lists them)");
  }
}

void require_registered(Context& store, const domain::Team& team, const std::string& field) {
  auto db = store.readers.acquire();
  require_registered(*db, team, field);
}

persistence::TeamEntry add_team(persistence::Connection& db, const std::string& name,
                                const std::string& label, const std::string& created_by) {
  std::vector<domain::FieldError> errors;
  if (!is_team_name(name)) {
    errors.push_back({"name", "must be 1-40 characters of a-z 0-9 _ -"});
  }
  if (label.empty() || label.size() > 200) {
    errors.push_back({"label", "must be 1-200 characters of text"});
  }
  if (!errors.empty()) throw Failure(Failure::Kind::invalid, "the team breaks a rule", errors);
  const char* registered_already = "a team of that name is already registered";
  if (persistence::team_registered(db, name)) {
    throw Failure(Failure::Kind::conflict, registered_already);
  }
  const persistence::TeamEntry team{name, label, persistence::utc_now_rfc3339(), created_by};
  try {
    persistence::insert_team(db, team);
  } catch (const persistence::Duplicate&) {  // registered at this moment by another instance
    throw Failure(Failure::Kind::conflict, registered_already);
  }
  return team;
}

Outcome<persistence::TeamEntry> register_team(Context& store, const Actor& actor,
                                              const std::string& name, const std::string& label,
                                              const CommandOptions& options) {
  require_purpose(actor, Purpose::administration);
  auto as_first = [&](const persistence::IdempotencyRecord& first) {
    same_request(first, options);
    return Outcome<persistence::TeamEntry>{
        registered(store, first.stream_id.substr(team_subject("").size())), true};
  };
  if (auto first = earlier_answer(store, actor, options)) return as_first(*first);
  const auto claim = idempotency_claim(actor, options);
  std::optional<persistence::TeamEntry> team;
  try {
    store.writer.write([&](persistence::Connection& db) {
      team.reset();  // made again when the writer makes its batch again
      // A repeat that raced the first to the writer answers as it.
      if (claim && persistence::find_idempotency(db, claim->user_name, claim->key)) return;
      team = add_team(db, name, label, actor.name);
      if (claim) {
        persistence::record_idempotency(db, *claim, team_subject(name), domain::Version{1});
      }
    });
  } catch (const persistence::Duplicate&) {
    // The key, claimed at this moment by a request on another instance (nothing of this one
    // was kept): answered as a repeat of it.
    team.reset();
  } catch (const Failure& failure) {
    // The team, registered at this moment by a repeat's first on another instance.
    if (failure.kind != Failure::Kind::conflict || !claim) throw;
    auto first = earlier_answer(store, actor, options);
    if (!first) throw;
    return as_first(*first);
  }
  if (!team) return as_first(*earlier_answer(store, actor, options));
  return {*team, false};
}

std::vector<persistence::TeamEntry> list_teams(Context& store, const Actor& actor,
                                               std::size_t offset, std::size_t limit) {
  require_purpose(actor, Purpose::reference);
  auto db = store.readers.acquire();
  return persistence::teams_page(*db, offset, limit);
}

}  // namespace careledger::services
