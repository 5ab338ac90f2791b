// Lists and figures: the waiting list, the measures, and the health check.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"
#include "careledger/version.hpp"
#include "services/queries.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;
using services::Purpose;

namespace {

void waiting_item(Fields& out, const domain::WaitingItem& item, domain::Date as_at,
                  const services::PersonSummary* person) {
  out.text("assessment_id", item.assessment_id.str());
  out.text("person_id", item.person_id.str());
  out.text("team", item.team.str());
  out.text("priority", domain::code_name(item.priority));
  out.date("requested_on", item.requested_on);
  out.number("days_waiting", domain::days_between(item.requested_on, as_at));
  out.text_or_null("allocated_to", item.allocated_to);
  out.person(person);
}

Response waiting_list(services::Context& store, Call& call) {
  const auto team = call.query.team();
  const domain::Date as_at = call.query.date("as_at").value_or(store.today());
  const auto priority = call.query.code<domain::Priority>("priority");
  auto read = [&](const services::ListWindow& window, const Emit& emit) {
    const auto list = services::waiting_list(
        store, call.actor, team, as_at, priority, window,
        [&](const domain::WaitingItem& item, const services::PersonSummary& person) {
          emit([&](Fields& out) { waiting_item(out, item, as_at, &person); });
        });
    return json::object{{"as_at", domain::format_date(list.as_at)}, {"total", list.total}};
  };
  return list_response(call, read,
                       columns_of([](Fields& out) { waiting_item(out, {}, {}, nullptr); }));
}

Response measures(services::Context& store, Call& call) {
  const domain::Date to = call.query.date("to").value_or(store.today());
  const domain::Date from = call.query.date("from").value_or(domain::financial_year_start(to));
  if (from > to) {
    throw Failure(Failure::Kind::bad_request, "from must not be after to",
                  {{"from", "must not be after to"}});
  }
  const auto known_at = call.query.timestamp("known_at");
  const auto view = services::measures(store, call.actor, from, to, call.query.team(), known_at);
  json::array list;
  for (const auto& m : view.measures) list.push_back(measure_json(m));
  json::object body{{"from", domain::format_date(from)}, {"to", domain::format_date(to)}};
  add_scope(body, view.scope, known_at);
  body["measures"] = std::move(list);
  return json_response(200, body);
}

}  // namespace

void add_query_routes(std::vector<Route>& routes, services::Context& store) {
  routes.push_back({"GET", "/v1/waiting-list", Purpose::casework, 200,
                    [&store](Call& c) { return waiting_list(store, c); }});
  routes.push_back({"GET", "/v1/measures", Purpose::measures, 200,
                    [&store](Call& c) { return measures(store, c); }});
  routes.push_back(
      {"GET", "/healthz", std::nullopt, 200, [](Call&) {
         return json_response(200, json::object{{"status", "ok"}, {"version", careledger_version}});
       }});
}

}  // namespace careledger::api
