#pragma once
// What the API asks of the store for itself rather than for a client's casework: who a token
// belongs to, the log position its kept answers are filed under, and the server's own gauges.

#include <cstdint>
#include <optional>
#include <string_view>

#include "services/access.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// The user a bearer token belongs to, if any.
std::optional<Actor> authenticate(Context& context, std::string_view token);

struct Gauges {
  std::uint64_t events_appended = 0;  // by this process
  std::uint64_t database_bytes = 0;   // the database file and its write-ahead log
};
Gauges gauges(Context& context);

}  // namespace careledger::services
