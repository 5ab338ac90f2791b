// Lists and figures: the waiting list, the measures, and the health check.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "services/queries.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;
using services::Purpose;

namespace {

Response waiting_list(services::Store& store, Call& call) {
  const domain::Date as_at = call.query.date("as_at").value_or(store.today());
  services::Page page{call.query.offset(), call.query.limit()};
  auto result = services::waiting_list(store, call.actor, call.query.team(), as_at,
                                       call.query.code<domain::Priority>("priority"), page);
  json::array items;
  for (const auto& item : result.items) items.push_back(waiting_item_json(item, as_at));
  return json_response(200, json::object{
                                {"as_at", domain::format_date(as_at)},
                                {"total", result.total},
                                {"items", std::move(items)},
                                {"next_cursor", next_cursor_json(result.next_offset)},
                            });
}

Response measures(services::Store& store, Call& call) {
  const domain::Date to = call.query.date("to").value_or(store.today());
  const domain::Date from = call.query.date("from").value_or(domain::financial_year_start(to));
  if (from > to) {
    throw Failure(Failure::Kind::bad_request, "from must not be after to",
                  {{"from", "must not be after to"}});
  }
  const auto team = call.query.team();
  const auto known_at = call.query.timestamp("known_at");
  json::array list;
  for (const auto& m : services::measures(store, call.actor, from, to, team, known_at)) {
    list.push_back(measure_json(m));
  }
  json::object body{
      {"from", domain::format_date(from)},
      {"to", domain::format_date(to)},
      {"team", team_json(team)},
      {"measures", std::move(list)},
  };
  if (known_at) body["known_at"] = *known_at;
  return json_response(200, body);
}

}  // namespace

void add_query_routes(std::vector<Route>& routes, services::Store& store) {
  routes.push_back({"GET", "/v1/waiting-list", Purpose::casework, 200,
                    [&store](Call& c) { return waiting_list(store, c); }, true});
  routes.push_back({"GET", "/v1/measures", Purpose::measures, 200,
                    [&store](Call& c) { return measures(store, c); }, true});
  routes.push_back({"GET", "/healthz", std::nullopt, 200, [](Call&) {
                      return json_response(200, json::object{{"status", "ok"}});
                    }});
}

}  // namespace careledger::api
