#include "api/codecs.hpp"

#include <cmath>
#include <cstdint>

#include <boost/json.hpp>

#include "api/input.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;

namespace {

json::value date_or_null(const std::optional<domain::Date>& day) {
  if (!day) return nullptr;
  return json::value(domain::format_date(*day));
}
json::value text_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::value(*text);
}
template <typename E>
json::value code_or_null(const std::optional<E>& code) {
  if (!code) return nullptr;
  return json::value(domain::code_name(*code));
}
}  // namespace

json::value team_json(const std::optional<domain::Team>& team) {
  return team ? json::value(team->str()) : json::value(nullptr);
}

json::value next_cursor_json(const std::optional<std::int64_t>& next) {
  return next ? json::value(encode_cursor(*next)) : json::value(nullptr);
}

json::value next_cursor_json(const std::optional<std::size_t>& next_offset) {
  if (!next_offset) return nullptr;
  return next_cursor_json(std::optional<std::int64_t>(static_cast<std::int64_t>(*next_offset)));
}

json::value number_json(const std::optional<double>& number) {
  if (!number) return nullptr;
  const double whole = std::trunc(*number);
  if (whole == *number && std::fabs(whole) < 9.0e15) {
    return json::value(static_cast<std::int64_t>(whole));
  }
  return json::value(*number);
}

namespace {

const char* title_of(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    default:
      return "Internal Server Error";
  }
}

int status_of(Failure::Kind kind) {
  switch (kind) {
    case Failure::Kind::bad_request:
      return 400;
    case Failure::Kind::unauthenticated:
      return 401;
    case Failure::Kind::forbidden:
      return 403;
    case Failure::Kind::not_found:
      return 404;
    case Failure::Kind::conflict:
      return 409;
    case Failure::Kind::precondition_failed:
      return 412;
    case Failure::Kind::invalid:
      return 422;
  }
  return 500;
}

}  // namespace

json::value person_json(const domain::PersonState& p) {
  return json::object{
      {"id", p.id.str()},
      {"given_name", p.given_name},
      {"family_name", p.family_name},
      {"date_of_birth", domain::format_date(p.date_of_birth)},
      {"team", p.team.str()},
      {"nhs_number", text_or_null(p.nhs_number)},
      {"client_type", domain::code_name(p.client_type)},
      {"primary_support_reason", code_or_null(p.primary_support_reason)},
      {"version", p.version.value()},
  };
}

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
      {"version", a.version.value()},
  };
}

json::value history_item_json(const persistence::EventRecord& r) {
  return json::object{
      {"event_id", r.event_id},
      {"type", r.type},
      {"occurred_on", domain::format_date(r.occurred_on)},
      {"recorded_at", r.recorded_at},
      {"recorded_by", r.recorded_by},
      {"stream", r.stream_id},
      {"version", r.version.value()},
      {"data", json::parse(r.data)},
  };
}

json::value waiting_item_json(const persistence::WaitingItem& item, domain::Date as_at) {
  return json::object{
      {"assessment_id", item.assessment_id.str()},
      {"person_id", item.person_id.str()},
      {"team", item.team.str()},
      {"priority", domain::code_name(item.priority)},
      {"requested_on", domain::format_date(item.requested_on)},
      {"days_waiting", domain::days_between(item.requested_on, as_at)},
      {"allocated_to", text_or_null(item.allocated_to)},
  };
}

json::value measure_json(const domain::Measure& m) {
  json::object out{
      {"id", m.id},
      {"value", number_json(m.value)},
      {"numerator", number_json(m.numerator)},
      {"denominator", number_json(m.denominator)},
      {"unit", domain::code_name(m.unit)},
  };
  if (m.detail) out["detail"] = *m.detail;
  return out;
}

json::value support_episode_json(const domain::SupportEpisodeState& e) {
  return json::object{
      {"id", e.id.str()},
      {"person_id", e.person_id.str()},
      {"team", e.team.str()},
      {"kind", domain::code_name(e.kind)},
      {"setting", domain::code_name(e.setting)},
      {"delivery", domain::code_name(e.delivery)},
      {"started_on", domain::format_date(e.started_on)},
      {"ended_on", date_or_null(e.ended_on)},
      {"sequel", code_or_null(e.sequel)},
      {"version", e.version.value()},
  };
}

json::value review_json(const domain::ReviewState& r) {
  return json::object{
      {"id", r.id.str()},
      {"person_id", r.person_id.str()},
      {"team", r.team.str()},
      {"reviewed_on", domain::format_date(r.reviewed_on)},
      {"planned", r.planned},
      {"outcome", domain::code_name(r.outcome)},
      {"version", r.version.value()},
  };
}

json::value overdue_item_json(const domain::OverdueReview& item) {
  return json::object{
      {"person_id", item.person_id.str()},
      {"team", item.team.str()},
      {"last_reviewed_on", date_or_null(item.last_reviewed_on)},
      {"due_on", domain::format_date(item.due_on)},
      {"days_overdue", item.days_overdue},
      {"over_three_years", item.over_three_years},
  };
}

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

json::value open_item_json(const domain::OpenItem& item) {
  return json::object{
      {"kind", item.is_concern ? "concern" : "enquiry"},
      {"id", item.id},
      {"person_id", item.person_id.str()},
      {"team", item.team.str()},
      {"since", domain::format_date(item.since)},
      {"days_open", item.days_open},
  };
}

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

json::value agreement_json(const domain::PlacementState& p, const domain::AgreementState& a,
                           const domain::Configuration& config, domain::Date as_at) {
  const bool signed_by = a.signed_by(as_at);
  const auto balance = domain::balance_as_at(a, config.maximum_interest_rates, as_at);
  const auto limit = domain::equity_limit(a, domain::Pence{config.lower_capital_limit_pence});
  json::value share = nullptr;
  json::value flag = nullptr;
  if (signed_by && limit && *limit > domain::Pence{0}) {
    share = static_cast<double>(balance.value()) / static_cast<double>(limit->value());
    if (auto f = domain::equity_flag(balance, *limit)) flag = *f;
  }
  auto pence_or_null = [&](domain::Pence amount) {
    return a.signed_on ? json::value(amount.value()) : json::value(nullptr);
  };
  return json::object{
      {"id", a.id.str()},
      {"placement_id", p.id.str()},
      {"person_id", p.person_id.str()},
      {"team", p.team.str()},
      {"as_at", domain::format_date(as_at)},
      {"status", domain::code_name(a.status_as_at(as_at))},
      {"offered_on", domain::format_date(a.offered_on)},
      {"signed_on", date_or_null(a.signed_on)},
      {"declined_on", date_or_null(a.declined_on)},
      {"terminated_on", date_or_null(a.terminated_on)},
      {"termination_reason", code_or_null(a.termination_reason)},
      {"property_value_pence", pence_or_null(a.property_value)},
      {"prior_charges_pence", pence_or_null(a.prior_charges)},
      {"weekly_deferred_pence", pence_or_null(a.weekly_deferred)},
      {"interest_rate_basis_points",
       a.signed_on ? json::value(a.interest_rate_basis_points) : json::value(nullptr)},
      {"balance_pence", balance.value()},
      {"equity_limit_pence", limit ? json::value(limit->value()) : json::value(nullptr)},
      {"share_of_equity_limit", share},
      {"flag", flag},
      {"version", p.version.value()},
  };
}

json::value attention_json(const domain::Attention& attention, domain::Date as_at,
                           int horizon_days) {
  json::array ending, unarranged, near;
  for (const auto& i : attention.disregard_ending) {
    ending.push_back(json::object{{"person_id", i.person_id.str()},
                                  {"placement_id", i.placement_id.str()},
                                  {"team", i.team.str()},
                                  {"disregard_ends_on", domain::format_date(i.disregard_ends_on)},
                                  {"days_until", i.days_until}});
  }
  for (const auto& i : attention.unarranged) {
    unarranged.push_back(
        json::object{{"person_id", i.person_id.str()},
                     {"placement_id", i.placement_id.str()},
                     {"team", i.team.str()},
                     {"disregard_ended_on", domain::format_date(i.disregard_ended_on)},
                     {"days_since_disregard_ended", i.days_since},
                     {"unrecovered_cost_pence", i.unrecovered_cost.value()}});
  }
  for (const auto& i : attention.near_equity_limit) {
    near.push_back(json::object{{"deferred_payment_id", i.agreement_id.str()},
                                {"person_id", i.person_id.str()},
                                {"team", i.team.str()},
                                {"balance_pence", i.balance.value()},
                                {"equity_limit_pence", i.equity_limit.value()},
                                {"share_of_equity_limit", i.share},
                                {"flag", i.flag}});
  }
  return json::object{
      {"as_at", domain::format_date(as_at)},   {"horizon_days", horizon_days},
      {"disregard_ending", std::move(ending)}, {"unarranged", std::move(unarranged)},
      {"near_equity_limit", std::move(near)},
  };
}

Response json_response(int status, const json::value& body,
                       std::optional<domain::Version> version) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  if (version) r.headers.emplace_back("ETag", "\"" + std::to_string(version->value()) + "\"");
  return r;
}

Response problem_response(int status, std::string detail,
                          const std::vector<domain::FieldError>& field_errors) {
  json::array errors;
  for (const auto& e : field_errors) {
    errors.push_back(json::object{{"field", e.field}, {"message", e.message}});
  }
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = json::serialize(json::object{
      {"type", "about:blank"},
      {"title", title_of(status)},
      {"status", status},
      {"detail", std::move(detail)},
      {"errors", std::move(errors)},
  });
  return r;
}

Response problem_response(const Failure& failure) {
  return problem_response(status_of(failure.kind), failure.detail, failure.errors);
}

}  // namespace careledger::api
