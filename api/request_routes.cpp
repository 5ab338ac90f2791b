// Requests for support (CLD.md §4): receive, decide, read.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Purpose;

namespace {

json::value request_json(const domain::RequestState& r) {
  return json::object{
      {"id", r.id.str()},
      {"person_id", r.person_id.str()},
      {"team", r.team.str()},
      {"received_on", domain::format_date(r.received_on)},
      {"route_of_access", domain::code_name(r.route_of_access)},
      {"status", domain::code_name(r.status)},
      {"decided_on", date_or_null(r.decided_on)},
      {"outcome", code_or_null(r.outcome)},
      {"assessment_id",
       r.assessment_id ? json::value(r.assessment_id->str()) : json::value(nullptr)},
      {"version", r.version.value()},
  };
}

Response answer(const Call& call, const services::Outcome<domain::RequestState>& outcome) {
  return json_response(call.success_status, request_json(outcome.state), outcome.state.version);
}

Response receive(services::Requests& requests, Call& call) {
  BodyFields f(call.body);
  const domain::PersonId person_id{f.text("person_id")};
  domain::ReceiveRequest command;
  command.received_on = f.date("received_on");
  command.route_of_access = f.code<domain::RouteOfAccess>("route_of_access");
  f.done();
  return answer(call, requests.receive(call.actor, person_id, command, call.options));
}

Response decide(services::Requests& requests, Call& call) {
  BodyFields f(call.body);
  domain::DecideRequest command;
  command.decided_on = f.date("decided_on");
  command.outcome = f.code<domain::EventOutcome>("outcome");
  std::optional<services::AssessmentOrder> assessment;
  if (auto order = f.optional_object("assessment")) {
    assessment = services::AssessmentOrder{order->code<domain::AssessmentKind>("kind"),
                                           order->code<domain::Priority>("priority")};
  }
  f.done();
  return answer(call, requests.decide(call.actor, domain::RequestId{call.params[0]}, command,
                                      assessment, call.options));
}

Response get_request(services::Requests& requests, Call& call) {
  auto request = requests.request(call.actor, domain::RequestId{call.params[0]});
  return json_response(200, request_json(request), request.version);
}

}  // namespace

void add_request_routes(std::vector<Route>& routes, services::Requests& requests) {
  auto route = [&](const char* method, const char* pattern, int status,
                   Response (*handler)(services::Requests&, Call&)) {
    routes.push_back({method, pattern, Purpose::casework, status,
                      [&requests, handler](Call& c) { return handler(requests, c); }});
  };
  route("POST", "/v1/requests", 201, receive);
  route("GET", "/v1/requests/{}", 200, get_request);
  route("POST", "/v1/requests/{}/outcome", 200, decide);
}

}  // namespace careledger::api
