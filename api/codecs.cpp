#include "api/codecs.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include <boost/json.hpp>

#include "api/input.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;

json::value date_or_null(const std::optional<domain::Date>& day) {
  if (!day) return nullptr;
  return json::value(domain::format_date(*day));
}
json::value text_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::value(*text);
}

void add_scope(json::object& body, const services::FigureScope& scope,
               const std::optional<std::string>& known_at) {
  body["team"] = scope.team ? json::value(scope.team->str()) : json::value(nullptr);
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
  return number ? json::value(*number) : json::value(nullptr);
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

json::value history_item_json(const services::HistoryItem& r) {
  return json::object{
      {"event_id", r.event_id},
      {"type", r.type},
      {"occurred_on", domain::format_date(r.occurred_on)},
      {"recorded_at", r.recorded_at},
      {"recorded_by", r.recorded_by},
      {"stream", r.stream},
      {"version", r.version.value()},
      {"data", json::parse(r.data)},
  };
}

void add_person(json::object& item, const services::PersonSummary* person) {
  item["name"] = person ? json::value(person->name) : json::value(nullptr);
  item["age"] = person ? json::value(person->age) : json::value(nullptr);
}

void add_person(json::object& item, const services::People& people, const domain::PersonId& id) {
  const auto it = people.find(id);
  add_person(item, it == people.end() ? nullptr : &it->second);
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

Response store_unavailable_response() {
  Response r;
  r.status = 503;
  r.content_type = "application/problem+json";
  r.body = json::serialize(json::object{
      {"type", "about:blank"},
      {"title", "Service Unavailable"},
      {"status", 503},
      {"detail",
       "the store is out of reach for now; try again shortly (a write sent again with "
       "its Idempotency-Key is recorded once)"},
      {"errors", json::array{}},
  });
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace careledger::api
