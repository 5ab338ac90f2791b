#include "api/codecs.hpp"

#include <charconv>
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

void add_scope(json::object& body, const services::FigureScope& scope,
               const std::optional<std::string>& known_at) {
  body["team"] = team_json(scope.team);
  json::array teams;
  for (const auto& team : scope.teams) teams.emplace_back(team.str());
  body["teams"] = std::move(teams);
  body["council_wide"] = scope.council_wide;
  if (known_at) body["known_at"] = *known_at;
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

// The one mapping from a kind of refusal to its HTTP status and title.
struct StatusLine {
  int status;
  const char* title;
};
StatusLine status_of(Failure::Kind kind) {
  switch (kind) {
    case Failure::Kind::bad_request:
      return {400, "Bad Request"};
    case Failure::Kind::unauthenticated:
      return {401, "Unauthorized"};
    case Failure::Kind::forbidden:
      return {403, "Forbidden"};
    case Failure::Kind::not_found:
      return {404, "Not Found"};
    case Failure::Kind::method_not_allowed:
      return {405, "Method Not Allowed"};
    case Failure::Kind::conflict:
      return {409, "Conflict"};
    case Failure::Kind::precondition_failed:
      return {412, "Precondition Failed"};
    case Failure::Kind::payload_too_large:
      return {413, "Content Too Large"};
    case Failure::Kind::unsupported_media_type:
      return {415, "Unsupported Media Type"};
    case Failure::Kind::invalid:
      return {422, "Unprocessable Content"};
    case Failure::Kind::too_many_requests:
      return {429, "Too Many Requests"};
    case Failure::Kind::headers_too_large:
      return {431, "Request Header Fields Too Large"};
    case Failure::Kind::internal:
      break;
  }
  return {500, "Internal Server Error"};
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

namespace {
// "name" and "age" of the person a list's row is about.
void add_person(json::object& item, const services::People& people, const domain::PersonId& id) {
  const auto it = people.find(id);
  item["name"] = it == people.end() ? json::value(nullptr) : json::value(it->second.name);
  item["age"] = it == people.end() ? json::value(nullptr) : json::value(it->second.age);
}
}  // namespace

json::object waiting_item_json(const persistence::WaitingItem& item, domain::Date as_at,
                               const services::People& people) {
  json::object out{
      {"assessment_id", item.assessment_id.str()},
      {"person_id", item.person_id.str()},
      {"team", item.team.str()},
      {"priority", domain::code_name(item.priority)},
      {"requested_on", domain::format_date(item.requested_on)},
      {"days_waiting", domain::days_between(item.requested_on, as_at)},
      {"allocated_to", text_or_null(item.allocated_to)},
  };
  add_person(out, people, item.person_id);
  return out;
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

json::object overdue_item_json(const domain::OverdueReview& item,
                               const services::People& people) {
  json::object out{
      {"person_id", item.person_id.str()},
      {"team", item.team.str()},
      {"last_reviewed_on", date_or_null(item.last_reviewed_on)},
      {"due_on", domain::format_date(item.due_on)},
      {"days_overdue", item.days_overdue},
      {"over_three_years", item.over_three_years},
  };
  add_person(out, people, item.person_id);
  return out;
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

json::object open_item_json(const domain::OpenItem& item, const services::People& people) {
  json::object out{
      {"kind", item.is_concern ? "concern" : "enquiry"},
      {"id", item.id},
      {"person_id", item.person_id.str()},
      {"team", item.team.str()},
      {"since", domain::format_date(item.since)},
      {"days_open", item.days_open},
  };
  add_person(out, people, item.person_id);
  return out;
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
    ending.push_back(with_person(
        {{"person_id", i.person_id.str()},
         {"placement_id", i.placement_id.str()},
         {"team", i.team.str()},
         {"disregard_ends_on", domain::format_date(i.disregard_ends_on)},
         {"days_until", i.days_until}},
        i.person_id));
  }
  for (const auto& i : attention.unarranged) {
    unarranged.push_back(with_person(
        {{"person_id", i.person_id.str()},
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

std::string number_text(double value) {
  char buffer[400];  // the longest fixed form of a double is about 330 characters
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return ec == std::errc{} ? std::string(buffer, end) : std::string{};
}

namespace {

// Boost.JSON writes a double in exponent form (4.861145244531826E1); an answer's numbers are
// plain decimals, the shortest that read back as the same value (48.61145244531826).
void write_json(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        write_json(out, value);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& value : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_json(out, value);
      }
      out += ']';
      return;
    }
    case json::kind::double_:
      out += std::isfinite(v.get_double()) ? number_text(v.get_double()) : "null";
      return;
    default:
      out += json::serialize(v);
  }
}

}  // namespace

std::string json_text(const json::value& value) {
  std::string out;
  write_json(out, value);
  return out;
}

Response json_response(int status, const json::value& body,
                       std::optional<domain::Version> version) {
  Response r;
  r.status = status;
  r.body = json_text(body);
  if (version) r.headers.emplace_back("ETag", "\"" + std::to_string(version->value()) + "\"");
  return r;
}

Response problem_response(const Failure& failure) {
  const auto [status, title] = status_of(failure.kind);
  json::array errors;
  for (const auto& e : failure.errors) {
    errors.push_back(json::object{{"field", e.field}, {"message", e.message}});
  }
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = json::serialize(json::object{
      {"type", "about:blank"},
      {"title", title},
      {"status", status},
      {"detail", failure.detail},
      {"errors", std::move(errors)},
  });
  if (failure.kind == Failure::Kind::unauthenticated) {
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (failure.kind == Failure::Kind::too_many_requests) r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace careledger::api
