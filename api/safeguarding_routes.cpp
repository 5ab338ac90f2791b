// Safeguarding: concerns, decisions, enquiries and the open list.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Purpose;

namespace {

json::value concern_json(const domain::ConcernState& c) {
  json::array types;
  for (auto type : c.abuse_types) types.emplace_back(domain::code_name(type));
  return json::object{
      {"id", c.id.str()},
      {"person_id", c.person_id.str()},
      {"team", c.team.str()},
      {"received_on", domain::format_date(c.received_on)},
      {"source", domain::code_name(c.source)},
      {"abuse_types", std::move(types)},
      {"location", domain::code_name(c.location)},
      {"status", c.decided_on ? "decided" : "awaiting_decision"},
      {"decided_on", date_or_null(c.decided_on)},
      {"outcome", code_or_null(c.outcome)},
      {"enquiry_id", c.enquiry ? json::value(c.enquiry->id.str()) : json::value(nullptr)},
      {"version", c.version.value()},
  };
}

json::value enquiry_json(const domain::ConcernState& c) {
  const auto& e = c.enquiry.value();
  return json::object{
      {"id", e.id.str()},
      {"concern_id", c.id.str()},
      {"person_id", c.person_id.str()},
      {"team", c.team.str()},
      {"kind", domain::code_name(e.kind)},
      {"started_on", domain::format_date(e.started_on)},
      {"status", e.concluded_on ? "concluded" : "open"},
      {"concluded_on", date_or_null(e.concluded_on)},
      {"risk_identified", code_or_null(e.risk_identified)},
      {"risk_outcome", code_or_null(e.risk_outcome)},
      {"outcomes_asked", code_or_null(e.outcomes_asked)},
      {"outcomes_achieved", code_or_null(e.outcomes_achieved)},
      {"version", c.version.value()},
  };
}

void open_item(Fields& out, const domain::OpenItem& item, const services::PersonSummary* person) {
  out.text("kind", item.is_concern ? "concern" : "enquiry");
  out.text("id", item.id);
  out.text("person_id", item.person_id.str());
  out.text("team", item.team.str());
  out.date("since", item.since);
  out.number("days_open", item.days_open);
  out.person(person);
}

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
  const auto team = call.query.team();
  const auto as_at = call.query.date("as_at");
  auto read = [&](const services::ListWindow& window, const Emit& emit) {
    const auto list =
        safeguarding.open(call.actor, team, as_at, window,
                          [&](const domain::OpenItem& item, const services::PersonSummary& person) {
                            emit([&](Fields& out) { open_item(out, item, &person); });
                          });
    return json::object{{"as_at", domain::format_date(list.as_at)},
                        {"concerns_awaiting_decision", list.concerns_awaiting_decision},
                        {"enquiries_open", list.enquiries_open}};
  };
  return list_response(call, read, columns_of([](Fields& out) { open_item(out, {}, nullptr); }));
}

}  // namespace

void add_safeguarding_routes(std::vector<Route>& routes, services::Safeguarding& safeguarding) {
  auto route = [&](const char* method, const char* pattern, int status,
                   Response (*handler)(services::Safeguarding&, Call&)) {
    routes.push_back({method, pattern, Purpose::casework, status,
                      [&safeguarding, handler](Call& c) { return handler(safeguarding, c); }});
  };
  route("POST", "/v1/safeguarding/concerns", 201, receive);
  route("GET", "/v1/safeguarding/concerns/{}", 200, get_concern);
  route("POST", "/v1/safeguarding/concerns/{}/decision", 200, decide);
  route("GET", "/v1/safeguarding/enquiries/{}", 200, get_enquiry);
  route("POST", "/v1/safeguarding/enquiries/{}/conclusion", 200, conclude);
  route("GET", "/v1/safeguarding/open", 200, open_list);
}

}  // namespace careledger::api
