#include "services/reports.hpp"

#include "services/queries.hpp"

namespace careledger::services {

namespace {

// Everything a report reads, on one snapshot.
class Calculator {
 public:
  Calculator(Store& store, const Actor& actor, const std::optional<domain::Team>& team,
             const std::optional<std::string>& known_at)
      : db_(store, team_scope(actor, team, Purpose::measures), team.has_value(), known_at) {}

  std::vector<domain::Measure> over(domain::Date from, domain::Date to, bool extras = false) {
    return db_.over(from, to, extras);
  }

 private:
  MeasureDatabase db_;
};

std::optional<double> value_of(const std::vector<domain::Measure>& measures,
                               const std::string& id) {
  for (const auto& m : measures) {
    if (m.id == id) return m.value;
  }
  return std::nullopt;
}

}  // namespace

std::vector<ReportRow> monthly_report(Store& store, const Actor& actor,
                                      const domain::FinancialYear& year,
                                      const std::optional<domain::Team>& team,
                                      const std::optional<std::string>& known_at) {
  Calculator calculate(store, actor, team, known_at);
  std::vector<ReportRow> rows;
  for (const auto& period : domain::monthly_report_periods(year)) {
    auto own = calculate.over(period.from, period.to, true);
    if (period.from != year.start()) {  // April, Q1 and the year are their own year to date
      const auto year_to_date = calculate.over(year.start(), period.to, true);
      for (std::size_t i = 0; i < own.size(); ++i) {
        if (domain::is_rate(own[i])) own[i] = year_to_date[i];
      }
    }
    rows.push_back({period, std::move(own)});
  }
  return rows;
}

std::vector<PerformanceRow> performance_table(Store& store, const Actor& actor,
                                              const domain::FinancialYear& year,
                                              const std::optional<domain::Team>& team,
                                              const std::optional<std::string>& known_at) {
  Calculator calculate(store, actor, team, known_at);
  const auto final_values = calculate.over(year.start(), year.end());
  const auto last_year = calculate.over(year.previous().start(), year.previous().end());
  const auto year_before =
      calculate.over(year.previous().previous().start(), year.previous().previous().end());
  std::vector<std::vector<domain::Measure>> to_date, own_quarter;
  for (int q = 0; q < 4; ++q) {
    const auto from = domain::add_months(year.start(), 3 * q);
    const auto to = domain::add_months(year.start(), 3 * q + 3) - date::days{1};
    to_date.push_back(calculate.over(year.start(), to));
    own_quarter.push_back(q == 0 ? to_date.back() : calculate.over(from, to));
  }

  std::vector<PerformanceRow> rows;
  for (const auto& m : final_values) {
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
    row.final_value = m.value;
    row.direction = domain::direction_of_travel(m, value_of(last_year, m.id));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace careledger::services
