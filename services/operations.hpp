#pragma once
// What the API asks of the store for itself rather than for a client's casework: who a token
// belongs to, the log position its kept answers are filed under, and the server's own gauges.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/access.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// The user a bearer token belongs to, if any.
std::optional<Actor> authenticate(Context& context, std::string_view token);

// The dashboard's sessions (API.md: Signing in to the dashboard). A session is signed in with
// a user's token and lasts `lifetime`; its id is the cookie's value, of which only a hash is
// kept. It ends when signed out, when it expires, and at once when its user is disabled or
// given a new token; the user's role and teams are read afresh on each request.
struct SignedIn {
  Actor actor;
  std::string expires_at;  // RFC 3339, UTC
};
struct NewSession {
  std::string id;  // shown once, in the cookie
  SignedIn signed_in;
};
// nullopt when the token is no enabled user's.
std::optional<NewSession> start_session(Context& context, std::string_view token,
                                        std::chrono::seconds lifetime);
std::optional<SignedIn> session_of(Context& context, std::string_view session_id);
void end_session(Context& context, std::string_view session_id);

struct Gauges {
  std::uint64_t events_appended = 0;  // by this process
  std::uint64_t database_bytes = 0;   // the database file and its write-ahead log
};
Gauges gauges(Context& context);

}  // namespace careledger::services
