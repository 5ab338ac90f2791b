#include "services/operations.hpp"

#include <filesystem>
#include <string>

#include "persistence/event_store.hpp"

namespace careledger::services {

std::optional<Actor> authenticate(Context& context, std::string_view token) {
  return authenticate(context.readers, token);
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
