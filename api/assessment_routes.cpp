// Care Act assessments: request, allocate, complete, close, read.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"

namespace careledger::api {

namespace json = boost::json;

using services::Purpose;

namespace {

json::value assessment_json(const domain::AssessmentState& a) {
  return json::object{
      {"id", a.id.str()},
      {"person_id", a.person_id.str()},
      {"kind", domain::code_name(a.kind)},
      {"requested_on", domain::format_date(a.requested_on)},
      {"priority", domain::code_name(a.priority)},
      {"team", a.team.str()},
      {"status", domain::code_name(a.status)},
      {"allocated_to", text_or_null(a.allocated_to)},
      {"allocated_on", date_or_null(a.allocated_on)},
      {"completed_on", date_or_null(a.completed_on)},
      {"eligible_needs", a.eligible_needs ? json::value(*a.eligible_needs) : json::value(nullptr)},
      {"closed_on", date_or_null(a.closed_on)},
      {"closure_reason", code_or_null(a.closure_reason)},
      {"outcome", code_or_null(a.outcome)},
      {"request_id", a.request_id ? json::value(a.request_id->str()) : json::value(nullptr)},
      {"version", a.version.value()},
  };
}

Response answer(const Call& call, const services::Outcome<domain::AssessmentState>& outcome) {
  return json_response(call.success_status, assessment_json(outcome.state), outcome.state.version);
}

Response request_assessment(services::Casework& casework, Call& call) {
  BodyFields f(call.body);
  const domain::PersonId person_id{f.text("person_id")};
  domain::RequestAssessment command;
  command.kind = f.code<domain::AssessmentKind>("kind");
  command.requested_on = f.date("requested_on");
  command.priority = f.code<domain::Priority>("priority");
  f.done();
  return answer(call, casework.request_assessment(call.actor, person_id, command, call.options));
}

Response allocate(services::Casework& casework, Call& call) {
  BodyFields f(call.body);
  domain::AllocateAssessment command{f.text("practitioner"), f.date("allocated_on")};
  f.done();
  return answer(call, casework.allocate(call.actor, domain::AssessmentId{call.params[0]}, command,
                                        call.options));
}

Response complete(services::Casework& casework, Call& call) {
  BodyFields f(call.body);
  domain::CompleteAssessment command;
  command.completed_on = f.date("completed_on");
  command.eligible_needs = f.boolean("eligible_needs");
  command.outcome = f.optional_code<domain::EventOutcome>("outcome");
  f.done();
  return answer(call, casework.complete(call.actor, domain::AssessmentId{call.params[0]}, command,
                                        call.options));
}

Response close(services::Casework& casework, Call& call) {
  BodyFields f(call.body);
  domain::CloseAssessment command;
  command.closed_on = f.date("closed_on");
  command.reason = f.code<domain::ClosureReason>("reason");
  f.done();
  return answer(call, casework.close(call.actor, domain::AssessmentId{call.params[0]}, command,
                                     call.options));
}

Response get_assessment(services::Casework& casework, Call& call) {
  auto assessment = casework.assessment(call.actor, domain::AssessmentId{call.params[0]});
  return json_response(200, assessment_json(assessment), assessment.version);
}

}  // namespace

void add_assessment_routes(std::vector<Route>& routes, services::Casework& casework) {
  auto route = [&](const char* method, const char* pattern, int status,
                   Response (*handler)(services::Casework&, Call&)) {
    routes.push_back({method, pattern, Purpose::casework, status,
                      [&casework, handler](Call& c) { return handler(casework, c); }});
  };
  route("POST", "/v1/assessments", 201, request_assessment);
  route("GET", "/v1/assessments/{}", 200, get_assessment);
  route("POST", "/v1/assessments/{}/allocation", 200, allocate);
  route("POST", "/v1/assessments/{}/completion", 200, complete);
  route("POST", "/v1/assessments/{}/closure", 200, close);
}

}  // namespace careledger::api
