// Safeguarding: concerns, decisions, enquiries and the open list.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Purpose;

namespace {

Response receive(services::Safeguarding& safeguarding, Call& call) {
  BodyFields f(call.body);
  const domain::PersonId person_id{f.text("person_id")};
  domain::ReceiveConcern command;
  command.received_on = f.date("received_on");
  command.source = f.code<domain::ConcernSource>("source");
  command.abuse_types = f.codes<domain::AbuseType>("abuse_types");
  command.location = f.code<domain::RiskLocation>("location");
  f.done();
  auto outcome = safeguarding.receive(call.actor, person_id, std::move(command), call.options);
  return json_response(call.success_status, concern_json(outcome.state), outcome.state.version);
}

Response decide(services::Safeguarding& safeguarding, Call& call) {
  BodyFields f(call.body);
  domain::DecideConcern command;
  command.decided_on = f.date("decided_on");
  command.outcome = f.code<domain::ConcernOutcome>("outcome");
  f.done();
  auto outcome =
      safeguarding.decide(call.actor, domain::ConcernId{call.params[0]}, command, call.options);
  return json_response(call.success_status, concern_json(outcome.state), outcome.state.version);
}

Response conclude(services::Safeguarding& safeguarding, Call& call) {
  BodyFields f(call.body);
  domain::ConcludeEnquiry command;
  command.concluded_on = f.date("concluded_on");
  command.risk_identified = f.code<domain::RiskIdentified>("risk_identified");
  command.risk_outcome = f.optional_code<domain::RiskOutcome>("risk_outcome");
  command.outcomes_asked = f.code<domain::OutcomesAsked>("outcomes_asked");
  command.outcomes_achieved = f.optional_code<domain::OutcomesAchieved>("outcomes_achieved");
  f.done();
  auto outcome =
      safeguarding.conclude(call.actor, domain::EnquiryId{call.params[0]}, command, call.options);
  return json_response(call.success_status, enquiry_json(outcome.state), outcome.state.version);
}

Response get_concern(services::Safeguarding& safeguarding, Call& call) {
  auto concern = safeguarding.concern(call.actor, domain::ConcernId{call.params[0]});
  return json_response(200, concern_json(concern), concern.version);
}

Response get_enquiry(services::Safeguarding& safeguarding, Call& call) {
  auto concern = safeguarding.enquiry(call.actor, domain::EnquiryId{call.params[0]});
  return json_response(200, enquiry_json(concern), concern.version);
}

Response open_list(services::Safeguarding& safeguarding, Call& call) {
  const auto list = safeguarding.open(call.actor, call.query.team(), call.query.date("as_at"));
  return list_response(
      call,
      {{"as_at", domain::format_date(list.as_at)},
       {"concerns_awaiting_decision", list.concerns_awaiting_decision},
       {"enquiries_open", list.enquiries_open}},
      list.items.size(), [&](std::size_t i) { return open_item_json(list.items[i], list.people); },
      columns_of(open_item_json({}, list.people)));
}

}  // namespace

void add_safeguarding_routes(std::vector<Route>& routes, services::Safeguarding& safeguarding) {
  auto route = [&](const char* method, const char* pattern, int status,
                   Response (*handler)(services::Safeguarding&, Call&), bool cached = false) {
    routes.push_back({method, pattern, Purpose::casework, status,
                      [&safeguarding, handler](Call& c) { return handler(safeguarding, c); },
                      cached});
  };
  route("POST", "/v1/safeguarding/concerns", 201, receive);
  route("GET", "/v1/safeguarding/concerns/{}", 200, get_concern);
  route("POST", "/v1/safeguarding/concerns/{}/decision", 200, decide);
  route("GET", "/v1/safeguarding/enquiries/{}", 200, get_enquiry);
  route("POST", "/v1/safeguarding/enquiries/{}/conclusion", 200, conclude);
  route("GET", "/v1/safeguarding/open", 200, open_list, true);
}

}  // namespace careledger::api
