// Users over the API (API.md 1.1), admins only: list, create, role, teams, disable, enable,
// a new token.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"
#include "services/users_admin.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;

namespace {

json::object user_json(const persistence::UserEntry& entry) {
  json::array teams;
  for (const auto& team : entry.user.teams) teams.emplace_back(team.str());
  return json::object{
      {"id", entry.id},
      {"name", entry.user.name},
      {"role", domain::code_name(entry.user.role)},
      {"teams", std::move(teams)},
      {"disabled", entry.disabled},
      {"created_at", entry.created_at},
      {"last_seen_at",
       entry.last_seen_at ? json::value(*entry.last_seen_at) : json::value(nullptr)},
  };
}

Response with_token(const Call& call, const services::IssuedToken& issued) {
  auto body = user_json(issued.user);
  body["token"] = issued.token;
  return json_response(call.success_status, body);
}

// The "teams" field: an array of team names.
std::vector<domain::Team> teams_field(const Call& call, BodyFields& f) {
  std::vector<domain::Team> teams;
  const auto* value = call.body.if_contains("teams");
  if (value == nullptr || value->is_null()) return teams;
  bool ok = value->is_array();
  if (ok) {
    for (const auto& team : value->get_array()) {
      ok = ok && team.is_string() && !team.get_string().empty();
      if (ok) teams.emplace_back(std::string(team.get_string()));
    }
  }
  if (!ok) f.reject("teams", "must be an array of team names");
  return teams;
}

Response list(services::Context& store, Call& call) {
  const std::size_t offset = call.query.offset(), limit = call.query.limit();
  std::vector<json::object> items;
  for (const auto& user : services::list_users(store, call.actor, offset, limit + 1)) {
    items.push_back(user_json(user));
  }
  return page_read_ahead(std::move(items), offset, limit);
}

Response create(services::Context& store, Call& call) {
  BodyFields f(call.body);
  persistence::User user;
  user.name = f.text("name", 100);
  user.role = f.code<domain::Role>("role");
  user.teams = teams_field(call, f);
  f.done();
  return with_token(call, services::create_user(store, call.actor, user, call.options));
}

Response token(services::Context& store, Call& call) {
  BodyFields(call.body).done();
  return with_token(call, services::new_token(store, call.actor, call.params[0], call.options));
}

Response role(services::Context& store, Call& call) {
  BodyFields f(call.body);
  const auto role = f.code<domain::Role>("role");
  f.done();
  return json_response(200, user_json(services::change_user(
                                store, call.actor, call.params[0], call.options,
                                [&](persistence::Connection& db, const std::string& name) {
                                  return services::set_role(db, name, role, call.actor.name);
                                })));
}

Response teams(services::Context& store, Call& call) {
  BodyFields f(call.body);
  if (!call.body.contains("teams")) f.reject("teams", "is required");
  const auto teams = teams_field(call, f);
  f.done();
  return json_response(200, user_json(services::change_user(
                                store, call.actor, call.params[0], call.options,
                                [&](persistence::Connection& db, const std::string& name) {
                                  return services::set_teams(db, name, teams, call.actor.name);
                                })));
}

Response disabled(services::Context& store, Call& call, bool disable) {
  BodyFields(call.body).done();
  return json_response(200, user_json(services::change_user(
                                store, call.actor, call.params[0], call.options,
                                [&](persistence::Connection& db, const std::string& name) {
                                  return services::set_disabled(db, name, disable, call.actor.name);
                                })));
}

}  // namespace

void add_user_routes(std::vector<Route>& routes, services::Context& store) {
  using services::Purpose;
  auto route = [&](const char* method, const char* pattern, int status,
                   std::function<Response(services::Context&, Call&)> handler) {
    routes.push_back({method, pattern, Purpose::administration, status,
                      [&store, handler](Call& call) { return handler(store, call); }});
  };
  route("GET", "/v1/users", 200, list);
  route("POST", "/v1/users", 201, create);
  route("POST", "/v1/users/{}/role", 200, role);
  route("POST", "/v1/users/{}/teams", 200, teams);
  route("POST", "/v1/users/{}/disable", 200,
        [](services::Context& s, Call& c) { return disabled(s, c, true); });
  route("POST", "/v1/users/{}/enable", 200,
        [](services::Context& s, Call& c) { return disabled(s, c, false); });
  route("POST", "/v1/users/{}/token", 200, token);
}

}  // namespace careledger::api
