#pragma once
// The clock, injected: services ask it for today's date; tests give a fixed one.

#include <functional>

#include "domain/calendar.hpp"

namespace careledger::services {

using Today = std::function<domain::Date()>;

// Today's calendar date in the UK (Europe/London).
domain::Date london_today();

}  // namespace careledger::services
