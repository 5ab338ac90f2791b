#pragma once
// Reading a request's JSON body and query string into typed values, collecting every field
// error so that one 422 (or 400) names them all.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/decision.hpp"
#include "domain/reports.hpp"

namespace careledger::api {

// The fields of a JSON object body. Each getter records an error and returns a placeholder
// when the field is missing or wrong; call done() before using any value.
class BodyFields {
 public:
  explicit BodyFields(const boost::json::object& body)
      : body_(body), errors_(std::make_shared<std::vector<domain::FieldError>>()) {}

  // The fields of an object within the body ("assessment": {"kind": ...}), or nullopt when it is
  // absent or null. Their errors are named "assessment.kind" and reported by this done().
  std::optional<BodyFields> optional_object(std::string_view name);

  std::string text(std::string_view name, std::size_t max_length = 200);
  std::optional<std::string> optional_text(std::string_view name, std::size_t max_length = 200);
  domain::Date date(std::string_view name);
  bool boolean(std::string_view name);
  // A JSON integer (1.5, 1e3 and "100" are refused): pence, basis points.
  std::int64_t whole_number(std::string_view name);
  std::optional<std::int64_t> optional_whole_number(std::string_view name);

  template <typename E>
  E code(std::string_view name) {
    return optional_code<E>(name, true).value_or(E{});
  }
  template <typename E>
  std::optional<E> optional_code(std::string_view name, bool required = false) {
    auto raw = string_field(name, required);
    if (!raw) return std::nullopt;
    auto code = domain::parse_code<E>(*raw);
    if (!code) error(name, "must be one of: " + std::string(domain::code_list<E>()));
    return code;
  }

  // A required array of codes, e.g. ["physical", "neglect"].
  template <typename E>
  std::vector<E> codes(std::string_view name) {
    std::vector<E> out;
    const auto* value = body_.if_contains(name);
    if (value == nullptr || value->is_null()) {
      error(name, "is required");
    } else if (!value->is_array()) {
      error(name, "must be an array of codes");
    } else {
      for (const auto& item : value->get_array()) {
        const auto code =
            item.is_string() ? domain::parse_code<E>(item.get_string()) : std::nullopt;
        if (!code) {
          error(name, "each must be one of: " + std::string(domain::code_list<E>()));
          return {};
        }
        out.push_back(*code);
      }
    }
    return out;
  }

  // Throws Failure(invalid) naming every field in error.
  void done() const;
  // Records that a field breaks a rule the getters do not know.
  void reject(std::string_view name, std::string message) { error(name, std::move(message)); }

 private:
  std::optional<std::string> string_field(std::string_view name, bool required);
  void error(std::string_view name, std::string message);
  BodyFields(const boost::json::object& body, std::string prefix,
             std::shared_ptr<std::vector<domain::FieldError>> errors)
      : body_(body), prefix_(std::move(prefix)), errors_(std::move(errors)) {}
  const boost::json::object& body_;
  std::string prefix_;  // "assessment." for a nested object's fields
  std::shared_ptr<std::vector<domain::FieldError>> errors_;
};

// The parameters of a query string. Getters throw Failure(bad_request) naming the parameter.
// Well-formed UTF-8 (RFC 3629): no stray or missing continuation bytes, no overlong forms, no
// surrogates, nothing above U+10FFFF.
bool is_utf8(std::string_view text);

// What a query's dates and moments are checked against (API.md Bounds).
struct QueryBounds {
  domain::Date today;
  std::string now;  // RFC 3339 in UTC, as recorded_at is written
};

class QueryParams {
 public:
  // Throws Failure(bad_request) if malformed. Without bounds, dates and moments are not
  // checked against today and now.
  explicit QueryParams(std::string_view query, std::optional<QueryBounds> bounds = std::nullopt);

  std::optional<std::string> text(std::string_view name) const;
  // A date from 1900-01-01 to five years after today.
  std::optional<domain::Date> date(std::string_view name) const;
  // Throws Failure(bad_request) naming the parameter unless `day` is such a date (a day the
  // parameter stands for, such as a quarter's first or last).
  void within_bounds(std::string_view name, domain::Date day) const;
  // An RFC 3339 timestamp (Z or an offset), returned in UTC as stored: YYYY-MM-DDTHH:MM:SS.mmmZ;
  // `known_at` not after now.
  std::optional<std::string> timestamp(std::string_view name) const;
  // "2023-24", from 2000-01 to the year after today's.
  std::optional<domain::FinancialYear> financial_year(std::string_view name) const;
  template <typename E>
  std::optional<E> code(std::string_view name) const {
    auto raw = text(name);
    if (!raw) return std::nullopt;
    auto code = domain::parse_code<E>(*raw);
    if (!code) bad(name, "must be one of: " + std::string(domain::code_list<E>()));
    return code;
  }
  std::optional<std::int64_t> whole_number(std::string_view name, std::int64_t min,
                                           std::int64_t max) const;
  std::size_t limit() const;                   // 1..1000, default 100
  std::optional<std::int64_t> cursor() const;  // opaque to clients; a position or offset
  std::size_t offset() const;                  // a list's cursor as an offset; 0 without one
  std::optional<domain::Team> team() const;
  // Throws Failure(bad_request) naming the parameter.
  [[noreturn]] static void bad(std::string_view name, const std::string& message);

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::optional<QueryBounds> bounds_;
};

std::string encode_cursor(std::int64_t value);

}  // namespace careledger::api
