#include "services/users_admin.hpp"

#include "persistence/duplicate.hpp"
#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "services/access.hpp"
#include "services/failure.hpp"
#include "services/teams.hpp"

namespace careledger::services {

namespace {

std::string now() {
  return persistence::utc_now_rfc3339();
}

persistence::UserEntry existing(persistence::Connection& db, const std::string& name) {
  auto user = persistence::find_user_by_name(db, name);
  if (!user) throw Failure(Failure::Kind::not_found, "no user with this name");
  return *user;
}

void check_teams(persistence::Connection& db, domain::Role role,
                 const std::vector<domain::Team>& teams) {
  for (const auto& team : teams) require_registered(db, team);
  if ((role == domain::Role::team_leader || role == domain::Role::practitioner) && teams.empty()) {
    throw invalid_field("teams", "a team leader or practitioner needs at least one team");
  }
}

std::string team_list(const std::vector<domain::Team>& teams) {
  std::string out;
  for (const auto& team : teams) out += (out.empty() ? "" : ",") + team.str();
  return out;
}

// The last enabled admin must stay one. The admins are counted first (on PostgreSQL, locked
// until the write commits: another instance's write to one of them waits, or is waited for),
// then the user is read as they now are.
persistence::UserEntry keep_an_admin(persistence::Connection& db, const std::string& name) {
  const auto admins = persistence::enabled_admins(db);
  auto user = existing(db, name);
  if (user.user.role == domain::Role::admin && !user.disabled && admins <= 1) {
    throw Failure(Failure::Kind::conflict, "the last enabled admin must stay an enabled admin");
  }
  return user;
}

std::string user_subject(const std::string& id) {
  return "user:" + id;
}

persistence::UserEntry by_id(Context& store, const std::string& id) {
  auto db = store.readers.acquire();
  auto user = persistence::find_user_by_id(*db, id);
  if (!user) throw Failure(Failure::Kind::not_found, "no such user");
  return *user;
}

Failure used_already() {
  return Failure(Failure::Kind::conflict,
                 "this Idempotency-Key was used already; a token is issued only once");
}

// Refuses a repeated key where a repeat may not be answered again (a token is shown once).
void refuse_repeat(persistence::Connection& db, const persistence::IdempotencyClaim& claim) {
  if (persistence::find_idempotency(db, claim.user_name, claim.key)) throw used_already();
}

// Makes a write that issues a token: refused as a repeat when its key was claimed at the same
// moment by a request on another instance, or when what it would make was made by that request
// (the name of the user it adds), as a sequential repeat is.
void issue(Context& store, const Actor& actor, const CommandOptions& options,
           const std::function<void(persistence::Connection&)>& write) {
  try {
    store.writer.write(write);
  } catch (const persistence::Duplicate&) {
    throw used_already();
  } catch (const Failure& failure) {
    if (failure.kind == Failure::Kind::conflict && earlier_answer(store, actor, options)) {
      throw used_already();
    }
    throw;
  }
}

}  // namespace

std::string add_user(persistence::Connection& db, const persistence::User& user,
                     const std::string& by) {
  if (user.name.empty() || user.name.size() > 100) {
    throw invalid_field("name", "must be 1-100 characters");
  }
  check_teams(db, user.role, user.teams);
  const char* exists = "a user with this name exists";
  if (persistence::user_exists(db, user.name)) throw Failure(Failure::Kind::conflict, exists);
  std::string token = new_token();
  const std::string at = now();
  try {
    persistence::insert_user(db, new_id("usr_"), user, sha256_hex(token), at);
  } catch (const persistence::Duplicate&) {  // added at this moment by another instance
    throw Failure(Failure::Kind::conflict, exists);
  }
  persistence::record_user_change(
      db, at, by, user.name, "created",
      std::string(domain::code_name(user.role)) + " " + team_list(user.teams));
  return token;
}

std::string reset_token(persistence::Connection& db, const std::string& name,
                        const std::string& by) {
  existing(db, name);
  std::string token = new_token();
  persistence::replace_token_hash(db, name, sha256_hex(token));
  persistence::record_user_change(db, now(), by, name, "token", "");
  return token;
}

persistence::UserEntry set_role(persistence::Connection& db, const std::string& name,
                                domain::Role role, const std::string& by) {
  const auto user = role != domain::Role::admin ? keep_an_admin(db, name) : existing(db, name);
  check_teams(db, role, user.user.teams);
  persistence::set_role(db, name, role);
  persistence::record_user_change(db, now(), by, name, "role",
                                  std::string(domain::code_name(role)));
  return existing(db, name);
}

persistence::UserEntry set_teams(persistence::Connection& db, const std::string& name,
                                 const std::vector<domain::Team>& teams, const std::string& by) {
  const auto user = existing(db, name);
  check_teams(db, user.user.role, teams);
  persistence::set_teams(db, name, teams);
  persistence::record_user_change(db, now(), by, name, "teams", team_list(teams));
  return existing(db, name);
}

persistence::UserEntry set_disabled(persistence::Connection& db, const std::string& name,
                                    bool disabled, const std::string& by) {
  if (disabled) {
    keep_an_admin(db, name);
  } else {
    existing(db, name);
  }
  persistence::set_disabled(db, name, disabled);
  persistence::record_user_change(db, now(), by, name, disabled ? "disabled" : "enabled", "");
  return existing(db, name);
}

std::vector<persistence::UserEntry> list_users(Context& store, const Actor& actor,
                                               std::size_t offset, std::size_t limit) {
  require_purpose(actor, Purpose::administration);
  auto db = store.readers.acquire();
  return persistence::users_page(*db, offset, limit);
}

IssuedToken create_user(Context& store, const Actor& actor, const persistence::User& user,
                        const CommandOptions& options) {
  require_purpose(actor, Purpose::administration);
  const auto claim = idempotency_claim(actor, options);
  IssuedToken issued;
  issue(store, actor, options, [&](persistence::Connection& db) {
    if (claim) refuse_repeat(db, *claim);  // a repeat that raced the first to the writer
    issued.token = add_user(db, user, actor.name);
    issued.user = existing(db, user.name);
    if (claim) {
      persistence::record_idempotency(db, *claim, user_subject(issued.user.id), domain::Version{1});
    }
  });
  return issued;
}

IssuedToken new_token(Context& store, const Actor& actor, const std::string& id,
                      const CommandOptions& options) {
  require_purpose(actor, Purpose::administration);
  const auto user = by_id(store, id);
  const auto claim = idempotency_claim(actor, options);
  IssuedToken issued;
  issue(store, actor, options, [&](persistence::Connection& db) {
    if (claim) refuse_repeat(db, *claim);  // a repeat that raced the first to the writer
    issued.token = reset_token(db, user.user.name, actor.name);
    issued.user = existing(db, user.user.name);
    if (claim) persistence::record_idempotency(db, *claim, user_subject(id), domain::Version{1});
  });
  return issued;
}

persistence::UserEntry change_user(
    Context& store, const Actor& actor, const std::string& id, const CommandOptions& options,
    const std::function<persistence::UserEntry(persistence::Connection&, const std::string& name)>&
        change) {
  require_purpose(actor, Purpose::administration);
  if (auto first = earlier_answer(store, actor, options)) {
    same_request(*first, options);
    return by_id(store, id);
  }
  const auto user = by_id(store, id);
  const auto claim = idempotency_claim(actor, options);
  std::optional<persistence::UserEntry> changed;
  try {
    store.writer.write([&](persistence::Connection& db) {
      changed.reset();  // made again when the writer makes its batch again
      if (claim && persistence::find_idempotency(db, claim->user_name, claim->key)) return;
      changed = change(db, user.user.name);
      if (claim) persistence::record_idempotency(db, *claim, user_subject(id), domain::Version{1});
    });
  } catch (const persistence::Duplicate&) {
    // The key, claimed at this moment by a request on another instance (nothing of this one
    // was kept): answered as a repeat of it.
    same_request(*earlier_answer(store, actor, options), options);
    changed.reset();
  }
  return changed ? *changed : by_id(store, id);
}

}  // namespace careledger::services
