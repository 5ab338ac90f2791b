// Who read what (API.md 1.1): GET /v1/audit, admins, newest first.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "services/audit.hpp"

namespace careledger::api {

namespace json = boost::json;

json::object access_json(const persistence::AccessEntry& e) {
  boost::system::error_code ec;
  auto filters = json::parse(e.filters, ec);
  return json::object{
      {"at", e.at},
      {"user", text_or_null(e.user)},
      {"role", text_or_null(e.role)},
      {"method", e.method},
      {"route", e.route},
      {"status", e.status},
      {"person_id", text_or_null(e.person_id)},
      {"filters", ec ? json::value(json::object{}) : std::move(filters)},
      {"people_shown", e.people_shown ? json::value(*e.people_shown) : json::value(nullptr)},
      {"client", e.client},
  };
}

namespace {

Response audit(services::Context& store, Call& call) {
  persistence::AccessQuery query;
  query.person_id = call.query.text("person_id");
  query.user = call.query.text("user");
  query.from = call.query.timestamp("from");
  query.to = call.query.timestamp("to");
  query.before = call.query.cursor();  // the position after the last page's last entry
  query.limit = call.query.limit() + 1;
  auto entries = services::audit(store, call.actor, query);
  const bool more = entries.size() > call.query.limit();
  if (more) entries.pop_back();
  json::array items;
  for (const auto& e : entries) items.push_back(access_json(e));
  return json_response(
      200,
      json::object{{"items", std::move(items)},
                   {"next_cursor",
                    more ? next_cursor_json(std::optional<std::int64_t>(entries.back().position))
                         : json::value(nullptr)}});
}

}  // namespace

void add_audit_routes(std::vector<Route>& routes, services::Context& store) {
  routes.push_back({"GET", "/v1/audit", services::Purpose::administration, 200,
                    [&store](Call& call) { return audit(store, call); }, true});
}

}  // namespace careledger::api
