#include "services/operations.hpp"

#include <filesystem>
#include <string>

#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/users.hpp"

namespace careledger::services {

std::optional<Actor> authenticate(Context& context, std::string_view token) {
  if (token.empty()) return std::nullopt;
  std::optional<persistence::UserEntry> entry;
  {
    auto db = context.readers.acquire();
    entry = persistence::find_user_by_token_hash(*db, sha256_hex(token));
  }
  if (!entry) return std::nullopt;  // unknown, or disabled: at once, on every route
  // When last seen, to the minute: written at most once a minute a user, not on every read.
  using namespace std::chrono;
  const auto now = floor<milliseconds>(system_clock::now());
  if (!entry->last_seen_at || *entry->last_seen_at < persistence::rfc3339(now - minutes{1})) {
    try {  // a note for admins: the request is answered whether or not it is kept
      context.writer.write([&](persistence::Connection& db) {
        persistence::set_last_seen(db, entry->user.name, persistence::rfc3339(now));
      });
    } catch (...) {
    }
  }
  return Actor{entry->user.name, entry->user.role, entry->user.teams};
}

Gauges gauges(Context& context) {
  Gauges out;
  out.events_appended = context.writer.events_appended();
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(context.readers.path() + suffix, ec);
    if (!ec) out.database_bytes += size;
  }
  return out;
}

}  // namespace careledger::services
