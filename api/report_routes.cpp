// The monthly report and the performance table, as JSON or (Accept: text/csv) CSV.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"
#include "services/reports.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;
using services::Purpose;

namespace {

std::string csv_field(const std::optional<double>& value) {
  return value ? number_text(*value) : std::string{};
}

std::optional<domain::FinancialYear> year_param(const Call& call) {
  return call.query.financial_year("financial_year");
}

Response monthly(services::Context& store, Call& call) {
  const auto known_at = call.query.timestamp("known_at");
  const auto report =
      services::monthly_report(store, call.actor, year_param(call), call.query.team(), known_at);
  const auto& rows = report.rows;
  if (wants_csv(call.request)) {
    std::string out = "label,from,to";
    if (!rows.empty()) {
      for (const auto& m : rows.front().measures) out += "," + m.id;
    }
    out += "\n";
    for (const auto& row : rows) {
      out += row.period.label + "," + domain::format_date(row.period.from) + "," +
             domain::format_date(row.period.to);
      for (const auto& m : row.measures) out += "," + csv_field(m.value);
      out += "\n";
    }
    return csv_response(std::move(out));
  }
  json::array out;
  for (const auto& row : rows) {
    json::array measures;
    for (const auto& m : row.measures) measures.push_back(measure_json(m));
    out.push_back(json::object{{"label", row.period.label},
                               {"from", domain::format_date(row.period.from)},
                               {"to", domain::format_date(row.period.to)},
                               {"measures", std::move(measures)}});
  }
  json::object body{{"financial_year", report.year.label()}};
  add_scope(body, report.scope, known_at);
  body["rows"] = std::move(out);
  return json_response(200, body);
}

const char* better_text(const std::optional<domain::Better>& better) {
  if (!better) return nullptr;
  return *better == domain::Better::higher ? "higher" : "lower";
}

Response performance(services::Context& store, Call& call) {
  const auto known_at = call.query.timestamp("known_at");
  const auto table =
      services::performance_table(store, call.actor, year_param(call), call.query.team(), known_at);
  const auto& year = table.year;
  const auto& rows = table.rows;
  if (wants_csv(call.request)) {
    std::string out = "id,label,better," + year.previous().previous().label() + "," +
                      year.previous().label() + ",Q1,Q2,Q3,Q4,final,direction\n";
    for (const auto& row : rows) {
      const char* better = better_text(row.better);
      out += row.id + "," + csv_text(row.label) + "," + (better ? better : "");
      for (const auto& [fy, value] : row.previous) out += "," + csv_field(value);
      for (const auto& value : row.quarters) out += "," + csv_field(value);
      out += "," + csv_field(row.final_value) + "," + row.direction.value_or("") + "\n";
    }
    return csv_response(std::move(out));
  }
  json::array out;
  for (const auto& row : rows) {
    json::array previous, quarters;
    for (const auto& [fy, value] : row.previous) {
      previous.push_back(json::object{{"financial_year", fy}, {"value", number_json(value)}});
    }
    for (const auto& value : row.quarters) quarters.push_back(number_json(value));
    const char* better = better_text(row.better);
    out.push_back(json::object{
        {"id", row.id},
        {"label", row.label},
        {"better", better ? json::value(better) : json::value(nullptr)},
        {"previous", std::move(previous)},
        {"quarters", std::move(quarters)},
        {"final", number_json(row.final_value)},
        {"direction", row.direction ? json::value(*row.direction) : json::value(nullptr)},
    });
  }
  json::object body{{"financial_year", year.label()}};
  add_scope(body, table.scope, known_at);
  body["rows"] = std::move(out);
  return json_response(200, body);
}

}  // namespace

void add_report_routes(std::vector<Route>& routes, services::Context& store) {
  routes.push_back({"GET", "/v1/reports/monthly", Purpose::measures, 200,
                    [&store](Call& c) { return monthly(store, c); }});
  routes.push_back({"GET", "/v1/reports/performance", Purpose::measures, 200,
                    [&store](Call& c) { return performance(store, c); }});
}

}  // namespace careledger::api
