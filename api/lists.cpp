#include "api/lists.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "api/codecs.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;

namespace {

// Numbers by value, text by its characters, false before true.
int compare(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.to_number<double>(), y = b.to_number<double>();
    return (x > y) - (x < y);
  }
  if (a.is_string() && b.is_string()) return a.get_string().compare(b.get_string());
  if (a.is_bool() && b.is_bool()) return static_cast<int>(a.get_bool()) - b.get_bool();
  return 0;
}

// Sorts the items on the column `sort` names, keeping the contract's order among equals.
void sort_items(const Call& call, std::vector<json::object>& items,
                const std::vector<std::string>& columns) {
  auto sort = call.query.text("sort");
  if (!sort) return;
  const bool descending = sort->starts_with('-');
  const std::string column = descending ? sort->substr(1) : *sort;
  if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
    std::string names;
    for (const auto& c : columns) names += (names.empty() ? "" : ", ") + c;
    throw Failure(Failure::Kind::bad_request, "sort names no column of this list",
                  {{"sort", "must be one of: " + names + " (with - first for descending)"}});
  }
  auto is_null = [](const json::value* v) { return v == nullptr || v->is_null(); };
  std::stable_sort(items.begin(), items.end(), [&](const json::object& a, const json::object& b) {
    const auto* x = a.if_contains(column);
    const auto* y = b.if_contains(column);
    if (is_null(x) || is_null(y)) return !is_null(x) && is_null(y);  // null last either way
    const int order = compare(*x, *y);
    return descending ? order > 0 : order < 0;
  });
}

// The whole list as CSV, item by item, rendered here (on the worker thread) in pieces of a few
// hundred lines and sent one chunk per piece: no one string of the whole list is built or
// copied, and nothing can fail on the connection's thread but the writing.
Response csv_stream(std::size_t count, const std::function<json::object(std::size_t)>& item,
                    const std::vector<std::string>& columns) {
  constexpr std::size_t lines_per_piece = 500;
  auto pieces = std::make_shared<std::vector<std::string>>();
  std::string piece;
  for (const auto& column : columns) piece += (piece.empty() ? "" : ",") + csv_text(column);
  piece += "\n";
  for (std::size_t i = 0; i < count; ++i) {
    const json::object line = item(i);
    bool first = true;
    for (const auto& column : columns) {
      if (!first) piece += ",";
      first = false;
      if (const auto* value = line.if_contains(column)) piece += csv_value(*value);
    }
    piece += "\n";
    if ((i + 1) % lines_per_piece == 0) pieces->push_back(std::exchange(piece, {}));
  }
  if (!piece.empty()) pieces->push_back(std::move(piece));
  Response r = csv_response({});
  r.stream = [pieces = std::shared_ptr<const std::vector<std::string>>(pieces)]() -> NextPiece {
    return [pieces, at = std::size_t{0}]() mutable -> std::optional<std::string> {
      if (at >= pieces->size()) return std::nullopt;
      return (*pieces)[at++];
    };
  };
  return r;
}

}  // namespace

std::vector<std::string> columns_of(const json::object& item) {
  std::vector<std::string> columns;
  for (const auto& [key, value] : item) columns.emplace_back(key);
  return columns;
}

bool wants_csv(const Request& request) {
  const auto* accept = request.header("accept");
  return accept != nullptr && accept->find("text/csv") != std::string::npos;
}

std::string csv_text(std::string_view text) {
  // Text a spreadsheet would take for a formula (a name typed as "=HYPERLINK(...)") is written
  // after an apostrophe, which spreadsheets show as text.
  std::string safe;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    safe = "'";
  }
  safe += text;
  text = safe;
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_value(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return {};
    case json::kind::string:
      return csv_text(value.get_string());
    case json::kind::double_:
      return number_text(value.get_double());
    default:  // numbers and booleans: never quoted, never taken for a formula
      return json_text(value);
  }
}

Response csv_response(std::string body) {
  return Response{200, "text/csv; charset=utf-8", std::move(body), {}, {}};
}

services::ListWindow list_window(const Call& call) {
  if (wants_csv(call.request) || call.query.text("sort")) return {};
  return {call.query.offset(), call.query.limit() + 1};
}

Response list_response(const Call& call, json::object head, std::size_t count,
                       const std::function<json::object(std::size_t)>& item,
                       const std::vector<std::string>& columns) {
  const bool csv = wants_csv(call.request);
  if (!csv && !call.query.text("sort")) {  // the contract's order: the page was read alone
    const std::size_t shown = std::min(count, call.query.limit());
    json::array page;
    for (std::size_t i = 0; i < shown; ++i) page.push_back(item(i));
    head["items"] = std::move(page);
    head["next_cursor"] =
        count > shown ? next_cursor_json(std::optional<std::size_t>(call.query.offset() + shown))
                      : json::value(nullptr);
    return json_response(200, head);
  }
  if (csv && !call.query.text("sort")) return csv_stream(count, item, columns);
  std::vector<json::object> items;
  items.reserve(count);
  for (std::size_t i = 0; i < count; ++i) items.push_back(item(i));
  sort_items(call, items, columns);
  if (csv)
    return csv_stream(
        items.size(), [&](std::size_t i) { return items[i]; }, columns);
  const std::size_t offset = std::min(call.query.offset(), items.size());
  const std::size_t end = std::min(offset + call.query.limit(), items.size());
  json::array page;
  for (std::size_t i = offset; i < end; ++i) page.push_back(std::move(items[i]));  // sorted
  head["items"] = std::move(page);
  head["next_cursor"] =
      end < items.size() ? next_cursor_json(std::optional<std::size_t>(end)) : json::value(nullptr);
  return json_response(200, head);
}

}  // namespace careledger::api
