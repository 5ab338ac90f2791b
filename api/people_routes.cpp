// People: register, read, and the history of events about them.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Purpose;

namespace {

// The details as they now stand (every change taken in order of its day).
json::value person_json(const domain::PersonState& p) {
  const domain::PersonDetails details = domain::details_on(p);
  return json::object{
      {"id", p.id.str()},
      {"given_name", details.given_name},
      {"family_name", details.family_name},
      {"date_of_birth", domain::format_date(details.date_of_birth)},
      {"team", details.team.str()},
      {"nhs_number", text_or_null(details.nhs_number)},
      {"client_type", domain::code_name(details.client_type)},
      {"primary_support_reason", code_or_null(details.primary_support_reason)},
      {"gender", code_or_null(details.gender)},
      {"ethnicity", code_or_null(details.ethnicity)},
      {"has_unpaid_carer", code_or_null(details.has_unpaid_carer)},
      {"date_of_death", date_or_null(p.date_of_death)},
      {"version", p.version.value()},
  };
}

Response answer(const Call& call, const services::Outcome<domain::PersonState>& outcome) {
  return json_response(call.success_status, person_json(outcome.state), outcome.state.version);
}

Response register_person(services::Casework& casework, Call& call) {
  BodyFields f(call.body);
  domain::RegisterPerson command;
  command.given_name = f.text("given_name");
  command.family_name = f.text("family_name");
  command.date_of_birth = f.date("date_of_birth");
  command.team = domain::Team{f.text("team", 100)};
  command.nhs_number = f.optional_text("nhs_number", 10);
  command.client_type =
      f.optional_code<domain::ClientType>("client_type").value_or(domain::ClientType::service_user);
  command.primary_support_reason = f.optional_code<domain::SupportReason>("primary_support_reason");
  command.gender = f.optional_code<domain::Gender>("gender");
  command.ethnicity = f.optional_code<domain::Ethnicity>("ethnicity");
  command.has_unpaid_carer = f.optional_code<domain::UnpaidCarer>("has_unpaid_carer");
  f.done();
  return answer(call, casework.register_person(call.actor, std::move(command), call.options));
}

Response change_details(services::Casework& casework, Call& call) {
  BodyFields f(call.body);
  domain::ChangeDetails command;
  command.effective_on = f.date("effective_on");
  command.primary_support_reason = f.optional_code<domain::SupportReason>("primary_support_reason");
  command.gender = f.optional_code<domain::Gender>("gender");
  command.ethnicity = f.optional_code<domain::Ethnicity>("ethnicity");
  command.has_unpaid_carer = f.optional_code<domain::UnpaidCarer>("has_unpaid_carer");
  f.done();
  return answer(call, casework.change_details(call.actor, domain::PersonId{call.params[0]}, command,
                                              call.options));
}

Response record_death(services::Casework& casework, Call& call) {
  BodyFields f(call.body);
  const domain::RecordDeath command{f.date("died_on")};
  f.done();
  return answer(call, casework.record_death(call.actor, domain::PersonId{call.params[0]}, command,
                                            call.options));
}

Response get_person(services::Casework& casework, Call& call) {
  auto person = casework.person(call.actor, domain::PersonId{call.params[0]});
  return json_response(200, person_json(person), person.version);
}

Response person_history(services::Casework& casework, Call& call) {
  auto page = casework.person_history(call.actor, domain::PersonId{call.params[0]},
                                      call.query.cursor().value_or(0), call.query.limit());
  json::array items;
  for (const auto& record : page.items) items.push_back(history_item_json(record));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", next_cursor_json(page.next_after)}});
}

}  // namespace

void add_people_routes(std::vector<Route>& routes, services::Casework& casework) {
  routes.push_back({"POST", "/v1/people", Purpose::casework, 201,
                    [&casework](Call& c) { return register_person(casework, c); }});
  routes.push_back({"GET", "/v1/people/{}", Purpose::casework, 200,
                    [&casework](Call& c) { return get_person(casework, c); }});
  routes.push_back({"GET", "/v1/people/{}/history", Purpose::casework, 200,
                    [&casework](Call& c) { return person_history(casework, c); }});
  routes.push_back({"POST", "/v1/people/{}/details", Purpose::casework, 200,
                    [&casework](Call& c) { return change_details(casework, c); }});
  routes.push_back({"POST", "/v1/people/{}/death", Purpose::casework, 200,
                    [&casework](Call& c) { return record_death(casework, c); }});
}

}  // namespace careledger::api
