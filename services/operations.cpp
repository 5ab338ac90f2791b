#include "services/operations.hpp"

#include <filesystem>
#include <string>

#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/users.hpp"

namespace careledger::services {

namespace {

// The user's Actor, noting when they were last seen, to the minute: written at most once a
// minute a user, not on every read.
Actor seen(Context& context, const persistence::UserEntry& entry) {
  using namespace std::chrono;
  const auto now = floor<milliseconds>(system_clock::now());
  if (!entry.last_seen_at || *entry.last_seen_at < persistence::rfc3339(now - minutes{1})) {
    try {  // a note for admins: the request is answered whether or not it is kept
      context.writer.write([&](persistence::Connection& db) {
        persistence::set_last_seen(db, entry.user.name, persistence::rfc3339(now));
      });
    } catch (...) {
    }
  }
  return Actor{entry.user.name, entry.user.role, entry.user.teams};
}

}  // namespace

std::optional<Actor> authenticate(Context& context, std::string_view token) {
  if (token.empty()) return std::nullopt;
  std::optional<persistence::UserEntry> entry;
  {
    auto db = context.readers.acquire();
    entry = persistence::find_user_by_token_hash(*db, sha256_hex(token));
  }
  if (!entry) return std::nullopt;  // unknown, or disabled: at once, on every route
  return seen(context, *entry);
}

std::optional<NewSession> start_session(Context& context, std::string_view token,
                                        std::chrono::seconds lifetime) {
  auto actor = authenticate(context, token);
  if (!actor) return std::nullopt;
  using namespace std::chrono;
  const auto now = floor<milliseconds>(system_clock::now());
  NewSession session{new_token(), {std::move(*actor), persistence::rfc3339(now + lifetime)}};
  bool kept = false;
  context.writer.write([&](persistence::Connection& db) {
    kept = persistence::insert_session(db, sha256_hex(session.id), sha256_hex(token),
                                       persistence::rfc3339(now), session.signed_in.expires_at);
  });
  if (!kept) return std::nullopt;  // disabled or given a new token meanwhile
  return session;
}

std::optional<SignedIn> session_of(Context& context, std::string_view session_id) {
  if (session_id.empty()) return std::nullopt;
  std::optional<persistence::SessionEntry> entry;
  {
    auto db = context.readers.acquire();
    entry = persistence::find_session(*db, sha256_hex(session_id), persistence::utc_now_rfc3339());
  }
  if (!entry) return std::nullopt;
  return SignedIn{seen(context, entry->user), entry->expires_at};
}

void end_session(Context& context, std::string_view session_id) {
  context.writer.write([&](persistence::Connection& db) {
    persistence::delete_session(db, sha256_hex(session_id));
  });
}

Gauges gauges(Context& context) {
  Gauges out;
  out.events_appended = context.writer.events_appended();
  out.database_bytes = persistence::store_bytes(context.readers);
  return out;
}

}  // namespace careledger::services
