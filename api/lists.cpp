#include "api/lists.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>
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

// The column `sort` names and its direction; nullopt for the contract's order.
struct SortOrder {
  std::string column;
  bool descending = false;
};
std::optional<SortOrder> sort_order(const Call& call, const std::vector<std::string>& columns) {
  auto sort = call.query.text("sort");
  if (!sort) return std::nullopt;
  const bool descending = sort->starts_with('-');
  SortOrder order{descending ? sort->substr(1) : *sort, descending};
  if (std::find(columns.begin(), columns.end(), order.column) == columns.end()) {
    std::string names;
    for (const auto& c : columns) names += (names.empty() ? "" : ", ") + c;
    throw Failure(Failure::Kind::bad_request, "sort names no column of this list",
                  {{"sort", "must be one of: " + names + " (with - first for descending)"}});
  }
  return order;
}

// Sorts the items on the column, keeping the contract's order among equals.
void sort_items(std::vector<json::object>& items, const SortOrder& sort) {
  auto is_null = [](const json::value* v) { return v == nullptr || v->is_null(); };
  std::stable_sort(items.begin(), items.end(), [&](const json::object& a, const json::object& b) {
    const auto* x = a.if_contains(sort.column);
    const auto* y = b.if_contains(sort.column);
    if (is_null(x) || is_null(y)) return !is_null(x) && is_null(y);  // null last either way
    const int order = compare(*x, *y);
    return sort.descending ? order > 0 : order < 0;
  });
}

// Text as CSV, added to `out`: quoted when it holds a comma, quote or newline. Text a
// spreadsheet would take for a formula (a name typed as "=HYPERLINK(...)") is written after an
// apostrophe, which spreadsheets show as text.
void append_csv_text(std::string& out, std::string_view text) {
  const bool formula =
      !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
  // Looked for in one pass (find_first_of would search the four for each character).
  const bool plain = std::none_of(text.begin(), text.end(), [](char c) {
    return c == ',' || c == '"' || c == '\n' || c == '\r';
  });
  if (plain) {
    if (formula) out += '\'';
    out += text;
    return;
  }
  out += formula ? "\"'" : "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// An item as a JSON object.
class JsonFields final : public Fields {
 public:
  void text(std::string_view name, std::string_view value) override { item[name] = value; }
  void number(std::string_view name, std::int64_t value) override { item[name] = value; }
  void boolean(std::string_view name, bool value) override { item[name] = value; }
  void null(std::string_view name) override { item[name] = nullptr; }
  json::object item;
};

// An item as the names of its fields.
class Names final : public Fields {
 public:
  void text(std::string_view name, std::string_view) override { add(name); }
  void number(std::string_view name, std::int64_t) override { add(name); }
  void boolean(std::string_view name, bool) override { add(name); }
  void null(std::string_view name) override { add(name); }
  std::vector<std::string> names;

 private:
  void add(std::string_view name) { names.emplace_back(name); }
};

// A list as CSV, line by line as its items are given, in pieces of a few hundred lines sent
// one chunk each: no one string of the whole list is built or copied, and nothing can fail on
// the connection's thread but the writing. An item's fields are written as they are given, in
// its columns' order (they come from the same code as the header's names).
class CsvPieces final : public Fields {
 public:
  explicit CsvPieces(const std::vector<std::string>& columns) {
    for (const auto& column : columns) {
      if (!piece_.empty()) piece_ += ',';
      append_csv_text(piece_, column);
    }
    piece_ += '\n';
  }

  void add(const Item& item) {
    first_ = true;
    item(*this);
    end_line();
  }
  void add(const json::object& item, const std::vector<std::string>& columns) {
    first_ = true;
    for (const auto& column : columns) {
      const auto* value = item.if_contains(column);
      if (value == nullptr || value->is_null()) {
        null(column);
      } else if (value->is_string()) {
        text(column, value->get_string());
      } else if (value->is_bool()) {
        boolean(column, value->get_bool());
      } else {
        number(column, value->to_number<std::int64_t>());
      }
    }
    end_line();
  }

  void text(std::string_view, std::string_view value) override {
    next();
    append_csv_text(piece_, value);
  }
  void number(std::string_view, std::int64_t value) override {  // never quoted, never a formula
    next();
    char digits[24];
    piece_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  }
  void boolean(std::string_view, bool value) override {
    next();
    piece_ += value ? "true" : "false";
  }
  void null(std::string_view) override { next(); }  // an empty field

  Response response() {
    if (!piece_.empty()) pieces_->push_back(std::move(piece_));
    Response r = csv_response({});
    r.stream = [pieces = std::shared_ptr<const std::vector<std::string>>(pieces_)]() -> NextPiece {
      return [pieces, at = std::size_t{0}]() mutable -> std::optional<std::string> {
        if (at >= pieces->size()) return std::nullopt;
        return (*pieces)[at++];
      };
    };
    return r;
  }

 private:
  void next() {
    if (!first_) piece_ += ',';
    first_ = false;
  }
  void end_line() {
    piece_ += '\n';
    if (++lines_ % lines_per_piece == 0) {
      pieces_->push_back(std::exchange(piece_, {}));
      piece_.reserve(pieces_->back().size() + pieces_->back().size() / 4);
    }
  }

  static constexpr std::size_t lines_per_piece = 500;
  bool first_ = true;
  std::string piece_;
  std::size_t lines_ = 0;
  std::shared_ptr<std::vector<std::string>> pieces_ = std::make_shared<std::vector<std::string>>();
};

// The items [from, to) as a page under the list's own fields, with the cursor of the next page.
Response page_response(json::object head, std::vector<json::object>& items, std::size_t from,
                       std::size_t to, std::optional<std::size_t> next) {
  json::array page;
  for (std::size_t i = from; i < to; ++i) page.push_back(std::move(items[i]));
  head["items"] = std::move(page);
  head["next_cursor"] = next ? next_cursor_json(next) : json::value(nullptr);
  return json_response(200, head);
}

}  // namespace

void Fields::date(std::string_view name, domain::Date day) {
  text(name, domain::format_date(day));
}
void Fields::date(std::string_view name, const std::optional<domain::Date>& day) {
  if (day) {
    date(name, *day);
  } else {
    null(name);
  }
}
void Fields::text_or_null(std::string_view name, const std::optional<std::string>& value) {
  if (value) {
    text(name, std::string_view(*value));
  } else {
    null(name);
  }
}
void Fields::person(const services::PersonSummary* person) {
  if (person) {
    text("name", std::string_view(person->name));
    number("age", person->age);
  } else {
    null("name");
    null("age");
  }
}

Response page_read_ahead(std::vector<json::object> items, std::size_t offset, std::size_t limit,
                         json::object head) {
  const std::size_t shown = std::min(items.size(), limit);
  return page_response(std::move(head), items, 0, shown,
                       items.size() > shown ? std::optional(offset + shown) : std::nullopt);
}

std::vector<std::string> columns_of(const Item& item) {
  Names names;
  item(names);
  return names.names;
}

bool wants_csv(const Request& request) {
  const auto* accept = request.header("accept");
  return accept != nullptr && accept->find("text/csv") != std::string::npos;
}

std::string csv_text(std::string_view text) {
  std::string out;
  append_csv_text(out, text);
  return out;
}

Response csv_response(std::string body) {
  return Response{200, "text/csv; charset=utf-8", std::move(body), {}, {}, {}};
}

Response list_response(const Call& call, const ReadList& read,
                       const std::vector<std::string>& columns) {
  const bool csv = wants_csv(call.request);
  const auto sort = sort_order(call, columns);
  if (csv && !sort) {
    CsvPieces lines(columns);
    read({}, [&lines](const Item& item) { lines.add(item); });
    return lines.response();
  }
  std::vector<json::object> items;
  const Emit keep = [&items](const Item& item) {
    JsonFields fields;
    item(fields);
    items.push_back(std::move(fields.item));
  };
  if (!sort) {  // the page alone, and one more to know whether there is a next
    const std::size_t offset = call.query.offset(), limit = call.query.limit();
    auto head = read({offset, limit + 1}, keep);
    return page_read_ahead(std::move(items), offset, limit, std::move(head));
  }
  auto head = read({}, keep);
  sort_items(items, *sort);
  if (csv) {
    CsvPieces lines(columns);
    for (const auto& item : items) lines.add(item, columns);
    return lines.response();
  }
  const std::size_t from = std::min(call.query.offset(), items.size());
  const std::size_t to = std::min(from + call.query.limit(), items.size());
  return page_response(std::move(head), items, from, to,
                       to < items.size() ? std::optional(to) : std::nullopt);
}

}  // namespace careledger::api
