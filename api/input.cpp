#include "api/input.hpp"

#include <cctype>
#include <charconv>
#include <chrono>
#include <sstream>

#include <date/date.h>

#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>

#include "services/failure.hpp"

namespace careledger::api {

using services::Failure;

namespace {
// Text from a client: UTF-8 with no control characters.
bool is_clean_text(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return is_utf8(text);
}

// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), to milliseconds in UTC (a finer fraction is
// cut to milliseconds, as recorded_at is stored). GCC 12 warns, wrongly, that date::parse's own
// seconds variable may be used uninitialised once it is inlined here; the warning is silenced for
// this function only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// The exact shape RFC 3339 requires (date::parse alone also takes one-digit fields).
bool has_rfc3339_shape(std::string_view text) {
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < shape.size() + 1) return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    if (shape[i] == 'd' ? !digit(c) : c != shape[i]) return false;
  }
  std::size_t at = shape.size();
  if (text[at] == '.') {
    const std::size_t first = ++at;
    while (at < text.size() && digit(text[at])) ++at;
    if (at == first || at - first > 9) return false;
  }
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digit(zone[1]) &&
         digit(zone[2]) && zone[3] == ':' && digit(zone[4]) && digit(zone[5]);
}

std::optional<date::sys_time<std::chrono::milliseconds>> parse_rfc3339(std::string_view text) {
  if (!has_rfc3339_shape(text)) return std::nullopt;
  std::string upper(text);  // RFC 3339 allows a lower-case t and z
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // Read in microseconds, whose 64 bits span every four-digit year (nanoseconds wrap outside
  // 1678-2262): a fraction's seventh to ninth digits are dropped first (more is refused).
  if (upper.size() > 20 && upper[19] == '.') {
    std::size_t end = 20;
    while (end < upper.size() && std::isdigit(static_cast<unsigned char>(upper[end]))) ++end;
    if (end > 29) return std::nullopt;
    if (end > 26) upper.erase(26, end - 26);
  }
  for (const char* format : {"%FT%TZ", "%FT%T%Ez"}) {
    std::istringstream in(upper);
    date::sys_time<std::chrono::microseconds> when;
    in >> date::parse(format, when);
    if (in && in.peek() == std::char_traits<char>::eof()) {
      return std::chrono::floor<std::chrono::milliseconds>(when);
    }
  }
  return std::nullopt;
}
#pragma GCC diagnostic pop

}  // namespace

// Well-formed UTF-8 (RFC 3629): no stray or missing continuation bytes, no overlong forms, no
// surrogates, nothing above U+10FFFF. A query's values are bytes once percent-decoded.
bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t more = 0;
    char32_t code = 0, least = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      more = 1, code = c & 0x1f, least = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      more = 2, code = c & 0x0f, least = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      more = 3, code = c & 0x07, least = 0x10000;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= more; ++k) {
      if (i + k >= text.size()) return false;
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < least || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += more + 1;
  }
  return true;
}

void BodyFields::error(std::string_view name, std::string message) {
  errors_->push_back({prefix_ + std::string(name), std::move(message)});
}

std::optional<std::string> BodyFields::string_field(std::string_view name, bool required) {
  const auto* value = body_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    if (required) error(name, "is required");
    return std::nullopt;
  }
  if (!value->is_string()) {
    error(name, "must be a string");
    return std::nullopt;
  }
  return std::string(value->get_string());
}

std::string BodyFields::text(std::string_view name, std::size_t max_length) {
  auto value = string_field(name, true);
  if (!value) return {};
  if (value->empty() || value->size() > max_length || !is_clean_text(*value)) {
    error(name, "must be 1-" + std::to_string(max_length) + " characters of text");
  }
  return *value;
}

std::optional<std::string> BodyFields::optional_text(std::string_view name,
                                                     std::size_t max_length) {
  auto value = string_field(name, false);
  if (value && (value->size() > max_length || !is_clean_text(*value))) {
    error(name, "must be at most " + std::to_string(max_length) + " characters of text");
  }
  return value;
}

domain::Date BodyFields::date(std::string_view name) {
  auto raw = string_field(name, true);
  if (!raw) return {};
  auto day = domain::parse_date(*raw);
  if (!day) {
    error(name, "must be a date YYYY-MM-DD");
    return {};
  }
  return *day;
}

std::optional<std::int64_t> BodyFields::optional_whole_number(std::string_view name) {
  const auto* value = body_.if_contains(name);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->get_uint64());
  }
  error(name, "must be a whole number");
  return std::nullopt;
}

std::int64_t BodyFields::whole_number(std::string_view name) {
  const auto* value = body_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    error(name, "is required");
    return 0;
  }
  return optional_whole_number(name).value_or(0);
}

bool BodyFields::boolean(std::string_view name) {
  const auto* value = body_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    error(name, "is required");
    return false;
  }
  if (!value->is_bool()) {
    error(name, "must be true or false");
    return false;
  }
  return value->get_bool();
}

void BodyFields::done() const {
  if (errors_->empty()) return;
  throw Failure(Failure::Kind::invalid, "the request has invalid fields", *errors_);
}

std::optional<BodyFields> BodyFields::optional_object(std::string_view name) {
  const auto* value = body_.if_contains(name);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_object()) {
    error(name, "must be an object");
    return std::nullopt;
  }
  return BodyFields(value->get_object(), prefix_ + std::string(name) + ".", errors_);
}

QueryParams::QueryParams(std::string_view query, std::optional<QueryBounds> bounds)
    : bounds_(std::move(bounds)) {
  if (query.empty()) return;
  auto params = boost::urls::parse_query(query);
  if (!params) {
    throw Failure(Failure::Kind::bad_request, "the query string is malformed");
  }
  for (const auto& param : *params) {
    std::string key = param.key.decode();
    if (values_.contains(key)) bad(key, "is given more than once");
    values_.emplace(std::move(key), param.value.decode());
  }
}

void QueryParams::bad(std::string_view name, const std::string& message) {
  throw Failure(Failure::Kind::bad_request,
                "the query parameter " + std::string(name) + " " + message,
                {{std::string(name), message}});
}

std::optional<std::string> QueryParams::text(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  if (it->second.empty() || it->second.size() > 200 || !is_clean_text(it->second)) {
    bad(name, "must be 1-200 characters of text");
  }
  return it->second;
}

std::optional<std::string> QueryParams::timestamp(std::string_view name) const {
  auto raw = text(name);
  if (!raw) return std::nullopt;
  auto when = parse_rfc3339(*raw);
  if (!when) bad(name, "must be an RFC 3339 timestamp such as 2024-04-15T09:00:00Z");
  std::string utc = date::format("%FT%TZ", *when);
  // Figures as known at a moment to come are not known yet.
  if (bounds_ && name == "known_at" && utc > bounds_->now) {
    bad(name, "must not be after now (" + bounds_->now + ")");
  }
  return utc;
}

std::optional<domain::Date> QueryParams::date(std::string_view name) const {
  auto raw = text(name);
  if (!raw) return std::nullopt;
  auto day = domain::parse_date(*raw);
  if (!day) bad(name, "must be a date YYYY-MM-DD");
  within_bounds(name, *day);
  return day;
}

void QueryParams::within_bounds(std::string_view name, domain::Date day) const {
  if (!bounds_) return;
  const domain::Date first = date::year{1900} / 1 / 1;
  const domain::Date last = domain::add_months(bounds_->today, 5 * 12);
  if (day < first || day > last) {
    bad(name, "must be a date from 1900-01-01 to " + domain::format_date(last));
  }
}

std::optional<domain::FinancialYear> QueryParams::financial_year(std::string_view name) const {
  auto raw = text(name);
  if (!raw) return std::nullopt;
  auto year = domain::parse_financial_year(*raw);
  if (!year) bad(name, "must be written like 2023-24");
  if (bounds_) {
    const domain::FinancialYear last{domain::financial_year_of(bounds_->today).first_year + 1};
    if (year->first_year < 2000 || year->first_year > last.first_year) {
      bad(name, "must be a financial year from 2000-01 to " + last.label());
    }
  }
  return year;
}

namespace {
std::optional<std::int64_t> parse_non_negative(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}
}  // namespace

std::optional<std::int64_t> QueryParams::whole_number(std::string_view name, std::int64_t min,
                                                      std::int64_t max) const {
  auto raw = text(name);
  if (!raw) return std::nullopt;
  auto value = parse_non_negative(*raw);
  if (!value || *value < min || *value > max) {
    bad(name, "must be a whole number " + std::to_string(min) + "-" + std::to_string(max));
  }
  return value;
}

std::size_t QueryParams::limit() const {
  auto raw = text("limit");
  if (!raw) return 100;
  auto value = parse_non_negative(*raw);
  if (!value || *value < 1 || *value > 1000) bad("limit", "must be a whole number 1-1000");
  return static_cast<std::size_t>(*value);
}

// A cursor is "c" followed by a number; clients treat it as opaque.
std::optional<std::int64_t> QueryParams::cursor() const {
  auto raw = text("cursor");
  if (!raw) return std::nullopt;
  std::optional<std::int64_t> value;
  if (raw->size() > 1 && (*raw)[0] == 'c')
    value = parse_non_negative(std::string_view(*raw).substr(1));
  if (!value) bad("cursor", "is not a cursor this server gave");
  return value;
}

std::size_t QueryParams::offset() const {
  return static_cast<std::size_t>(cursor().value_or(0));
}

std::optional<domain::Team> QueryParams::team() const {
  auto team = text("team");
  if (!team) return std::nullopt;
  return domain::Team{*team};
}

std::string encode_cursor(std::int64_t value) {
  return "c" + std::to_string(value);
}

}  // namespace careledger::api
