#pragma once
// What every route writes the same way: optional values, teams and whose figures, cursors,
// numbers, a measure, a history item, a list row's person, JSON text and responses. Each kind
// of record's own JSON lives in its route file, beside the routes that answer with it.

#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/http.hpp"
#include "api/problem.hpp"
#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/measure.hpp"
#include "persistence/access_log.hpp"
#include "services/casework.hpp"
#include "services/queries.hpp"

namespace careledger::api {

boost::json::value date_or_null(const std::optional<domain::Date>& day);
boost::json::value text_or_null(const std::optional<std::string>& text);
template <typename E>
boost::json::value code_or_null(const std::optional<E>& code) {
  if (!code) return nullptr;
  return boost::json::value(domain::code_name(*code));
}

// Whose figures these are: "team", "teams", "council_wide", and "known_at" when asked.
void add_scope(boost::json::object& body, const services::FigureScope& scope,
               const std::optional<std::string>& known_at);
// A list's next cursor, or null on its last page.
boost::json::value next_cursor_json(const std::optional<std::int64_t>& next);
boost::json::value next_cursor_json(const std::optional<std::size_t>& next_offset);
// "name" and "age" of the person a list's row is about (null if not found).
void add_person(boost::json::object& item, const services::PersonSummary* person);
void add_person(boost::json::object& item, const services::People& people,
                const domain::PersonId& id);

// An entry of the access log as GET /v1/audit and `careledger audit` show it.
boost::json::object access_json(const persistence::AccessEntry& entry);

// A number, or null (written by json_text in plain decimal: 12, not 1.2E1).
boost::json::value number_json(const std::optional<double>& number);
boost::json::value measure_json(const domain::Measure& measure);
boost::json::value history_item_json(const services::HistoryItem& item);

// The shortest plain decimal that reads back as the same value: 12, 48.61145244531826, 0.0001.
std::string number_text(double value);
// JSON text with every number in plain decimal (never an exponent).
std::string json_text(const boost::json::value& value);

// A JSON response; with an ETag when `version` is given.
Response json_response(int status, const boost::json::value& body,
                       std::optional<domain::Version> version = std::nullopt);

}  // namespace careledger::api
