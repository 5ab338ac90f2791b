#include "services/clock.hpp"

#include <chrono>

#include <date/tz.h>

namespace careledger::services {

domain::Date london_today() {
  static const date::time_zone* london = date::locate_zone("Europe/London");
  const auto local = london->to_local(std::chrono::system_clock::now());
  return domain::Date{date::floor<date::days>(local).time_since_epoch()};
}

}  // namespace careledger::services
