#pragma once
// The council's figures that are not casework (API.md, `serve --config FILE`).

#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/support_measures.hpp"

namespace careledger::domain {

// The national maximum interest rate for deferred payments, from a 1 January or 1 July.
struct InterestRateCap {
  Date from;
  int basis_points = 0;
};

struct Configuration {
  Population population;  // absent bands leave ascof.2b / ascof.2c without a value
  long long lower_capital_limit_pence = 1425000;
  std::vector<InterestRateCap> maximum_interest_rates;  // in date order; none: no cap
  // The council's code in the Client Level Data return ("503"); none: no file is written.
  std::optional<std::string> la_code;
};

}  // namespace careledger::domain
