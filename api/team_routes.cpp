// The team register (API.md 1.1): GET and POST /v1/teams.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"
#include "services/teams.hpp"

namespace careledger::api {

namespace json = boost::json;

namespace {

json::object team_json(const persistence::TeamEntry& team) {
  return json::object{{"name", team.name}, {"label", team.label}};
}

Response list(services::Context& store, Call& call) {
  const std::size_t offset = call.query.offset(), limit = call.query.limit();
  std::vector<json::object> items;
  for (const auto& team : services::list_teams(store, call.actor, offset, limit + 1)) {
    items.push_back(team_json(team));
  }
  return page_read_ahead(std::move(items), offset, limit);
}

Response add(services::Context& store, Call& call) {
  BodyFields f(call.body);
  const auto name = f.text("name", 40);
  const auto label = f.text("label");
  f.done();
  const auto outcome = services::register_team(store, call.actor, name, label, call.options);
  return json_response(call.success_status, team_json(outcome.state));
}

}  // namespace

void add_team_routes(std::vector<Route>& routes, services::Context& store) {
  routes.push_back({"GET", "/v1/teams", services::Purpose::reference, 200,
                    [&store](Call& call) { return list(store, call); }});
  routes.push_back({"POST", "/v1/teams", services::Purpose::administration, 201,
                    [&store](Call& call) { return add(store, call); }});
}

}  // namespace careledger::api
