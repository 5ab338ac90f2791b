// Care-home placements and deferred payment agreements.
#include <set>
#include <string_view>

#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"

namespace careledger::api {

namespace json = boost::json;

using services::Purpose;

namespace {

json::value placement_json(const domain::PlacementState& p) {
  json::array agreements;
  for (const auto& a : p.agreements) agreements.emplace_back(a.id.str());
  return json::object{
      {"id", p.id.str()},
      {"person_id", p.person_id.str()},
      {"team", p.team.str()},
      {"started_on", domain::format_date(p.started_on)},
      {"weekly_cost_pence", p.weekly_cost.value()},
      {"property_disregard", p.property_disregard},
      {"disregard_ends_on", date_or_null(p.disregard_ends_on())},
      {"self_funding_arranged_on", date_or_null(p.self_funding_on)},
      {"deferred_payment_ids", std::move(agreements)},
      {"version", p.version.value()},
  };
}

json::value agreement_json(const services::AgreementView& view) {
  const auto& p = view.placement;
  const auto& a = view.agreement();
  const auto& at = view.position;
  // As at the day: what had not happened by then is not shown.
  auto by_then = [&](const std::optional<domain::Date>& day) {
    return day && *day <= at.as_at ? date_or_null(day) : json::value(nullptr);
  };
  auto signed_or_null = [&](json::value value) {
    return at.signed_by ? std::move(value) : json::value(nullptr);
  };
  const bool terminated = a.terminated_on && *a.terminated_on <= at.as_at;
  return json::object{
      {"id", a.id.str()},
      {"placement_id", p.id.str()},
      {"person_id", p.person_id.str()},
      {"team", p.team.str()},
      {"as_at", domain::format_date(at.as_at)},
      {"status", domain::code_name(at.status)},
      {"offered_on", domain::format_date(a.offered_on)},
      {"signed_on", by_then(a.signed_on)},
      {"declined_on", by_then(a.declined_on)},
      {"terminated_on", by_then(a.terminated_on)},
      {"termination_reason",
       terminated ? code_or_null(a.termination_reason) : json::value(nullptr)},
      {"property_value_pence", signed_or_null(a.property_value.value())},
      {"prior_charges_pence", signed_or_null(a.prior_charges.value())},
      {"weekly_deferred_pence", signed_or_null(a.weekly_deferred.value())},
      {"interest_rate_basis_points", signed_or_null(a.interest_rate_basis_points)},
      {"balance_pence", at.balance.value()},
      {"equity_limit_pence",
       at.equity_limit ? json::value(at.equity_limit->value()) : json::value(nullptr)},
      {"share_of_equity_limit", at.share ? json::value(*at.share) : json::value(nullptr)},
      {"flag", at.flag ? json::value(*at.flag) : json::value(nullptr)},
      {"version", p.version.value()},
  };
}

json::value attention_json(const services::CareHomes::AttentionView& view) {
  const auto& attention = view.attention;
  json::array ending, unarranged, near;
  auto with_person = [&](json::object item, const domain::PersonId& id) {
    add_person(item, view.people, id);
    return item;
  };
  for (const auto& i : attention.disregard_ending) {
    ending.push_back(with_person({{"person_id", i.person_id.str()},
                                  {"placement_id", i.placement_id.str()},
                                  {"team", i.team.str()},
                                  {"disregard_ends_on", domain::format_date(i.disregard_ends_on)},
                                  {"days_until", i.days_until}},
                                 i.person_id));
  }
  for (const auto& i : attention.unarranged) {
    unarranged.push_back(
        with_person({{"person_id", i.person_id.str()},
                     {"placement_id", i.placement_id.str()},
                     {"team", i.team.str()},
                     {"disregard_ended_on", domain::format_date(i.disregard_ended_on)},
                     {"days_since_disregard_ended", i.days_since},
                     {"unrecovered_cost_pence", i.unrecovered_cost.value()}},
                    i.person_id));
  }
  for (const auto& i : attention.near_equity_limit) {
    near.push_back(with_person({{"deferred_payment_id", i.agreement_id.str()},
                                {"person_id", i.person_id.str()},
                                {"team", i.team.str()},
                                {"balance_pence", i.balance.value()},
                                {"equity_limit_pence", i.equity_limit.value()},
                                {"share_of_equity_limit", i.share},
                                {"flag", i.flag}},
                               i.person_id));
  }
  return json::object{
      {"as_at", domain::format_date(view.as_at)}, {"horizon_days", view.horizon_days},
      {"disregard_ending", std::move(ending)},    {"unarranged", std::move(unarranged)},
      {"near_equity_limit", std::move(near)},
  };
}

// An amount of money, whose bounds are the rules' (domain::max_pence).
domain::Pence pence(BodyFields& f, std::string_view name) {
  return domain::Pence{f.whole_number(name)};
}

Response answer_placement(const Call& call,
                          const services::Outcome<domain::PlacementState>& outcome) {
  return json_response(call.success_status, placement_json(outcome.state), outcome.state.version);
}

Response answer_agreement(const Call& call,
                          const services::Outcome<services::AgreementView>& outcome) {
  return json_response(call.success_status, agreement_json(outcome.state),
                       outcome.state.placement.version);
}

Response start_placement(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  const domain::PersonId person_id{f.text("person_id")};
  domain::StartPlacement command;
  command.started_on = f.date("started_on");
  command.weekly_cost = pence(f, "weekly_cost_pence");
  command.property_disregard = f.boolean("property_disregard");
  f.done();
  return answer_placement(call, care_homes.start(call.actor, person_id, command, call.options));
}

Response self_funding(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  domain::ArrangeSelfFunding command{f.date("arranged_on")};
  f.done();
  return answer_placement(
      call, care_homes.arrange_self_funding(call.actor, domain::PlacementId{call.params[0]},
                                            command, call.options));
}

Response get_placement(services::CareHomes& care_homes, Call& call) {
  auto placement = care_homes.placement(call.actor, domain::PlacementId{call.params[0]});
  return json_response(200, placement_json(placement), placement.version);
}

Response offer(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  const domain::PlacementId placement_id{f.text("placement_id")};
  domain::OfferAgreement command;
  command.offered_on = f.date("offered_on");
  f.done();
  return answer_agreement(call, care_homes.offer(call.actor, placement_id, command, call.options));
}

domain::AgreementId agreement_id(const Call& call) {
  return domain::AgreementId{call.params[0]};
}

Response sign(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  domain::SignAgreement command;
  command.agreement_id = agreement_id(call);
  command.signed_on = f.date("signed_on");
  command.property_value = pence(f, "property_value_pence");
  command.prior_charges = domain::Pence{f.optional_whole_number("prior_charges_pence").value_or(0)};
  command.weekly_deferred = pence(f, "weekly_deferred_pence");
  const auto rate = f.whole_number("interest_rate_basis_points");
  f.done();
  if (rate > 100000) {
    throw services::invalid_field("interest_rate_basis_points", "is not a plausible rate");
  }
  command.interest_rate_basis_points = static_cast<int>(rate);
  return answer_agreement(call, care_homes.act(call.actor, command, call.options));
}

Response decline(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  domain::DeclineAgreement command{agreement_id(call), f.date("declined_on")};
  f.done();
  return answer_agreement(call, care_homes.act(call.actor, command, call.options));
}

Response terminate(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  domain::TerminateAgreement command{agreement_id(call), f.date("terminated_on"),
                                     f.code<domain::TerminationReason>("reason")};
  f.done();
  return answer_agreement(call, care_homes.act(call.actor, command, call.options));
}

Response charge(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  domain::ChargeAgreement command{agreement_id(call), f.date("charged_on"),
                                  pence(f, "amount_pence"), f.text("description")};
  f.done();
  return answer_agreement(call, care_homes.act(call.actor, command, call.options));
}

Response repay(services::CareHomes& care_homes, Call& call) {
  BodyFields f(call.body);
  domain::RepayAgreement command{agreement_id(call), f.date("repaid_on"), pence(f, "amount_pence")};
  f.done();
  return answer_agreement(call, care_homes.act(call.actor, command, call.options));
}

Response get_agreement(services::CareHomes& care_homes, Call& call) {
  auto view = care_homes.agreement(call.actor, agreement_id(call), call.query.date("as_at"));
  return json_response(200, agreement_json(view), view.placement.version);
}

// The access log counts the people the three lists show (each once), as it counts a list's.
Response attention(services::CareHomes& care_homes, Call& call) {
  const int horizon = static_cast<int>(
      call.query.whole_number("horizon_days", 0, 3660).value_or(domain::default_horizon_days));
  const auto view =
      care_homes.attention(call.actor, call.query.team(), call.query.date("as_at"), horizon);
  std::set<std::string_view> people;
  for (const auto& i : view.attention.disregard_ending) people.insert(i.person_id.str());
  for (const auto& i : view.attention.unarranged) people.insert(i.person_id.str());
  for (const auto& i : view.attention.near_equity_limit) people.insert(i.person_id.str());
  auto response = json_response(200, attention_json(view));
  response.people_shown = static_cast<std::int64_t>(people.size());
  return response;
}

}  // namespace

void add_care_home_routes(std::vector<Route>& routes, services::CareHomes& care_homes) {
  auto route = [&](const char* method, const char* pattern, int status,
                   Response (*handler)(services::CareHomes&, Call&)) {
    routes.push_back({method, pattern, Purpose::casework, status,
                      [&care_homes, handler](Call& c) { return handler(care_homes, c); }});
  };
  route("POST", "/v1/care-home-placements", 201, start_placement);
  route("GET", "/v1/care-home-placements/{}", 200, get_placement);
  route("POST", "/v1/care-home-placements/{}/self-funding", 200, self_funding);
  route("POST", "/v1/deferred-payments", 201, offer);
  route("GET", "/v1/deferred-payments/attention", 200, attention);
  route("GET", "/v1/deferred-payments/{}", 200, get_agreement);
  route("POST", "/v1/deferred-payments/{}/signature", 200, sign);
  route("POST", "/v1/deferred-payments/{}/decline", 200, decline);
  route("POST", "/v1/deferred-payments/{}/termination", 200, terminate);
  route("POST", "/v1/deferred-payments/{}/charges", 200, charge);
  route("POST", "/v1/deferred-payments/{}/repayments", 200, repay);
}

}  // namespace careledger::api
