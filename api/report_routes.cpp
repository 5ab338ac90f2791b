// The monthly report and the performance table, as JSON or (Accept: text/csv) CSV.
#include <charconv>
#include <cmath>

#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "services/reports.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;
using services::Purpose;

namespace {

bool wants_csv(const Request& request) {
  const auto* accept = request.header("accept");
  return accept != nullptr && accept->find("text/csv") != std::string::npos;
}

// Shortest text that reads back as the same number; whole numbers without a point.
std::string number_text(double value) {
  char buffer[64];
  const double whole = std::trunc(value);
  auto [end, ec] =
      (whole == value && std::fabs(whole) < 9.0e15)
          ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(whole))
          : std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::string{};
}

std::string csv_field(const std::optional<double>& value) {
  return value ? number_text(*value) : std::string{};
}

std::string csv_text(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

Response csv_response(std::string body) {
  return Response{200, "text/csv; charset=utf-8", std::move(body), {}};
}

domain::FinancialYear year_param(services::Store& store, const Call& call) {
  auto text = call.query.text("financial_year");
  if (!text) return domain::financial_year_of(store.today());
  auto year = domain::parse_financial_year(*text);
  if (!year) {
    throw Failure(Failure::Kind::bad_request, "financial_year must be written like 2023-24",
                  {{"financial_year", "must be written like 2023-24"}});
  }
  return *year;
}

Response monthly(services::Store& store, Call& call) {
  const auto year = year_param(store, call);
  const auto team = call.query.team();
  const auto known_at = call.query.timestamp("known_at");
  const auto rows = services::monthly_report(store, call.actor, year, team, known_at);
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
  return json_response(200, json::object{{"financial_year", year.label()},
                                         {"team", team_json(team)},
                                         {"rows", std::move(out)}});
}

const char* better_text(const std::optional<domain::Better>& better) {
  if (!better) return nullptr;
  return *better == domain::Better::higher ? "higher" : "lower";
}

Response performance(services::Store& store, Call& call) {
  const auto year = year_param(store, call);
  const auto team = call.query.team();
  const auto known_at = call.query.timestamp("known_at");
  const auto rows = services::performance_table(store, call.actor, year, team, known_at);
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
  return json_response(200, json::object{{"financial_year", year.label()},
                                         {"team", team_json(team)},
                                         {"rows", std::move(out)}});
}

}  // namespace

void add_report_routes(std::vector<Route>& routes, services::Store& store) {
  routes.push_back({"GET", "/v1/reports/monthly", Purpose::measures, 200,
                    [&store](Call& c) { return monthly(store, c); }, true});
  routes.push_back({"GET", "/v1/reports/performance", Purpose::measures, 200,
                    [&store](Call& c) { return performance(store, c); }, true});
}

}  // namespace careledger::api
