#pragma once
// The monthly report and the performance table of a financial year (MEASURES.md "Reports").

#include <optional>
#include <string>
#include <vector>

#include "domain/measure.hpp"
#include "domain/reports.hpp"
#include "services/command_runner.hpp"
#include "services/queries.hpp"

namespace careledger::services {

struct ReportRow {
  domain::ReportPeriod period;
  std::vector<domain::Measure> measures;
};

struct PerformanceRow {
  std::string id;
  std::string label;
  std::optional<domain::Better> better;
  std::vector<std::pair<std::string, std::optional<double>>> previous;  // two years back first
  std::vector<std::optional<double>> quarters;                          // Q1-Q4
  std::optional<double> final_value;
  std::optional<std::string> direction;
};

struct MonthlyReport {
  domain::FinancialYear year;
  FigureScope scope;
  std::vector<ReportRow> rows;
};

struct PerformanceTable {
  domain::FinancialYear year;
  FigureScope scope;
  std::vector<PerformanceRow> rows;
};

// Rows for each month, then Q1-Q4, then the year: counts over the row's own dates, as-at
// figures at its last day, rates from 1 April to its last day (reading 16). A row whose last
// day is after today has null values. Without a year: the latest financial year that has ended.
MonthlyReport monthly_report(Context& store, const Actor& actor,
                             const std::optional<domain::FinancialYear>& year,
                             const std::optional<domain::Team>& team,
                             const std::optional<std::string>& known_at = std::nullopt);

// One row per entry of /v1/measures: the two previous years, Q1-Q4 (year to date at each
// quarter's end; a wait average over the quarter's own completions), the year, the direction.
// A quarter or year not yet ended is null, and so is the direction until the year has ended.
PerformanceTable performance_table(Context& store, const Actor& actor,
                                   const std::optional<domain::FinancialYear>& year,
                                   const std::optional<domain::Team>& team,
                                   const std::optional<std::string>& known_at = std::nullopt);

}  // namespace careledger::services
