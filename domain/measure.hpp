#pragma once
// One figure of MEASURES.md as the API reports it.

#include <optional>
#include <utility>

#include <string>
#include <string_view>
#include "domain/codes.hpp"

namespace careledger::domain {

enum class Unit { people, count, days, percent, pence, per_100000 };
template <>
struct CodeTable<Unit> {
  static constexpr std::array<std::pair<Unit, std::string_view>, 6> entries{{
      {Unit::people, "people"},
      {Unit::count, "count"},
      {Unit::days, "days"},
      {Unit::percent, "percent"},
      {Unit::pence, "pence"},
      {Unit::per_100000, "per_100000"},
  }};
};

struct Measure {
  std::string id;
  std::optional<double> value;  // unrounded; null when undefined (no data, zero denominator)
  std::optional<double> numerator;
  std::optional<double> denominator;
  Unit unit = Unit::count;
  std::optional<std::string> detail;  // why the value is null, where that needs saying
  friend bool operator==(const Measure&, const Measure&) = default;
};

inline Measure count_measure(std::string id, long long n, Unit unit = Unit::count) {
  return Measure{std::move(id), static_cast<double>(n), std::nullopt, std::nullopt, unit, {}};
}

// A percentage 0-100 with its parts; null value on a zero denominator.
inline Measure rate_measure(std::string id, long long numerator, long long denominator) {
  Measure m{std::move(id),
            std::nullopt,
            static_cast<double>(numerator),
            static_cast<double>(denominator),
            Unit::percent,
            {}};
  if (denominator != 0) m.value = 100.0 * static_cast<double>(numerator) / denominator;
  return m;
}

}  // namespace careledger::domain
