#pragma once
// The reports built from the measures (MEASURES.md "Reports", readings 15, 16, 18, 22): the
// periods of a financial year, each measure's label and better side, direction of travel.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/measure.hpp"
#include "domain/placement.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support_measures.hpp"

namespace careledger::domain {

struct FinancialYear {
  int first_year = 0;  // 2023 for 2023-24
  Date start() const;
  Date end() const;
  std::string label() const;  // "2023-24"
  FinancialYear previous() const { return {first_year - 1}; }
};
// "2023-24" (the second part must follow the first).
std::optional<FinancialYear> parse_financial_year(std::string_view text);
FinancialYear financial_year_of(Date day);
// The latest financial year whose last day is on or before `today`.
FinancialYear latest_ended_financial_year(Date today);
// A period has ended once its last day is today or earlier (API.md 1.1: a period whose last day
// is after today has null figures in the reports).
inline bool has_ended(Date last_day, Date today) {
  return last_day <= today;
}
// The same figures with their values withheld: a period not yet ended.
std::vector<Measure> withheld(std::vector<Measure> measures);

struct ReportPeriod {
  std::string label;  // "2023-04", "Q1", "2023-24"
  Date from;
  Date to;
};
// The twelve months April-March, then Q1-Q4, then the year.
std::vector<ReportPeriod> monthly_report_periods(const FinancialYear& year);

enum class Better { higher, lower };
std::optional<Better> better_side(std::string_view measure_id);
std::string label_of(std::string_view measure_id);

// Rates (percentages and per-100,000 figures) are year to date in the monthly report.
bool is_rate(const Measure& measure);
// Averages of waits are over the quarter's own completions in the performance table.
bool is_quarter_average(std::string_view measure_id);

// The monthly report's own counts, beyond /v1/measures: reviews, enquiries concluded and
// placements started in the period (people in long-term support are a measure of their own).
std::vector<Measure> report_extras(long long reviews, long long enquiries_concluded,
                                   long long placements_started);

// "↑" better, "↓" worse, "↔" within 0.5 percentage points (percentages) or 1% of the previous
// value (others); nullopt without a better side or a value.
std::optional<std::string> direction_of_travel(const Measure& current,
                                               const std::optional<double>& previous);

}  // namespace careledger::domain
