#include "services/reports.hpp"

#include <map>
#include <tuple>

#include "persistence/database.hpp"

namespace careledger::services {

namespace {

// Everything a report reads, on one snapshot; a period that has not ended is not computed.
class Calculator {
 public:
  Calculator(Context& store, const FigureScope& scope, const std::optional<std::string>& known_at)
      : db_(store, scope.filter, scope.team.has_value(), known_at), today_(store.today()) {}

  std::optional<std::vector<domain::Measure>> over(domain::Date from, domain::Date to,
                                                   bool extras = false) {
    if (!domain::has_ended(to, today_)) return std::nullopt;
    // A report asks some periods twice (a quarter's year to date is its last month's); each is
    // worked out once, from the one snapshot the report reads.
    auto at = done_.find({from, to, extras});
    if (at == done_.end())
      at = done_.emplace(std::tuple{from, to, extras}, db_.over(from, to, extras)).first;
    return at->second;
  }
  // The entries of a report, with their values withheld. Which entries there are depends on
  // nothing but `extras`: they are computed once, on an empty store.
  static const std::vector<domain::Measure>& withheld(bool extras) {
    static const auto entries = [](bool with_extras) {
      const auto empty = persistence::open_writer(":memory:");
      const domain::Date day = domain::FinancialYear{2000}.start();
      return domain::withheld(
          compute_measures(*empty, {}, day, day, std::nullopt, false, with_extras));
    };
    static const std::vector<domain::Measure> plain = entries(false), with = entries(true);
    return extras ? with : plain;
  }

 private:
  MeasureDatabase db_;
  domain::Date today_;
  std::map<std::tuple<domain::Date, domain::Date, bool>,
           std::optional<std::vector<domain::Measure>>>
      done_;
};

std::optional<double> value_of(const std::optional<std::vector<domain::Measure>>& measures,
                               const std::string& id) {
  if (!measures) return std::nullopt;
  for (const auto& m : *measures) {
    if (m.id == id) return m.value;
  }
  return std::nullopt;
}

}  // namespace

MonthlyReport monthly_report(Context& store, const Actor& actor,
                             const std::optional<domain::FinancialYear>& asked,
                             const std::optional<domain::Team>& team,
                             const std::optional<std::string>& known_at) {
  const auto year = asked.value_or(domain::latest_ended_financial_year(store.today()));
  MonthlyReport report{year, figure_scope(store, actor, team), {}};
  Calculator calculate(store, report.scope, known_at);
  for (const auto& period : domain::monthly_report_periods(year)) {
    auto own = calculate.over(period.from, period.to, true);
    if (!own) {
      report.rows.push_back({period, Calculator::withheld(true)});
      continue;
    }
    if (period.from != year.start()) {  // April, Q1 and the year are their own year to date
      const auto year_to_date = calculate.over(year.start(), period.to, true);
      for (std::size_t i = 0; i < own->size(); ++i) {
        if (domain::is_rate((*own)[i])) (*own)[i] = (*year_to_date)[i];
      }
    }
    report.rows.push_back({period, std::move(*own)});
  }
  return report;
}

PerformanceTable performance_table(Context& store, const Actor& actor,
                                   const std::optional<domain::FinancialYear>& asked,
                                   const std::optional<domain::Team>& team,
                                   const std::optional<std::string>& known_at) {
  const auto year = asked.value_or(domain::latest_ended_financial_year(store.today()));
  PerformanceTable table{year, figure_scope(store, actor, team), {}};
  Calculator calculate(store, table.scope, known_at);
  const auto final_values = calculate.over(year.start(), year.end());
  const auto last_year = calculate.over(year.previous().start(), year.previous().end());
  const auto year_before =
      calculate.over(year.previous().previous().start(), year.previous().previous().end());
  std::vector<std::optional<std::vector<domain::Measure>>> to_date, own_quarter;
  for (int q = 0; q < 4; ++q) {
    const auto from = domain::add_months(year.start(), 3 * q);
    const auto to = domain::add_months(year.start(), 3 * q + 3) - date::days{1};
    to_date.push_back(calculate.over(year.start(), to));
    own_quarter.push_back(q == 0 ? to_date.back() : calculate.over(from, to));
  }

  const auto& entries = final_values ? *final_values : Calculator::withheld(false);
  for (const auto& m : entries) {
    PerformanceRow row;
    row.id = m.id;
    row.label = domain::label_of(m.id);
    row.better = domain::better_side(m.id);
    row.previous = {{year.previous().previous().label(), value_of(year_before, m.id)},
                    {year.previous().label(), value_of(last_year, m.id)}};
    for (int q = 0; q < 4; ++q) {
      row.quarters.push_back(value_of(domain::is_quarter_average(m.id)
                                          ? own_quarter[static_cast<std::size_t>(q)]
                                          : to_date[static_cast<std::size_t>(q)],
                                      m.id));
    }
    if (final_values) {
      row.final_value = m.value;
      row.direction = domain::direction_of_travel(m, value_of(last_year, m.id));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace careledger::services
