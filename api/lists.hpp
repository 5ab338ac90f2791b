#pragma once
// The one way a list is answered (API.md Conventions): as JSON, a page at a time (`limit`,
// `cursor`) in the contract's order or sorted on any of its columns (`sort=COLUMN`, or
// `sort=-COLUMN` for descending); or, with `Accept: text/csv`, the whole list, one line per item
// under a header of its columns.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "api/api.hpp"
#include "domain/calendar.hpp"
#include "services/queries.hpp"

namespace careledger::api {

// One item of a list, field by field in its columns' order: made a JSON object, written
// straight into a line of CSV, or read for its column names, by the same code.
class Fields {
 public:
  virtual ~Fields() = default;
  virtual void text(std::string_view name, std::string_view value) = 0;
  virtual void number(std::string_view name, std::int64_t value) = 0;
  virtual void boolean(std::string_view name, bool value) = 0;
  virtual void null(std::string_view name) = 0;

  void date(std::string_view name, domain::Date day);  // as domain::format_date writes it
  void date(std::string_view name, const std::optional<domain::Date>& day);  // or null
  void text_or_null(std::string_view name, const std::optional<std::string>& value);
  // "name" and "age" of the person the item is about (null if not found).
  void person(const services::PersonSummary* person);
};

// Writes one item's fields: a reference to the caller's function, which must outlive it.
class Item {
 public:
  template <typename F>
  Item(const F& write)  // NOLINT: made from any function of Fields&
      : write_(&write),
        call_([](const void* w, Fields& fields) { (*static_cast<const F*>(w))(fields); }) {}
  void operator()(Fields& fields) const { call_(write_, fields); }

 private:
  const void* write_;
  void (*call_)(const void*, Fields&);
};

// Gives one item of a list.
using Emit = std::function<void(const Item&)>;
// Reads the items of a window of a list in the contract's order, giving each to `emit` as it is
// read, and returns the list's own fields (as_at, totals).
using ReadList =
    std::function<boost::json::object(const services::ListWindow& window, const Emit& emit)>;

// A list answered as the call asks: a page in the contract's order (the page alone read); CSV
// (every item written line by line as read, none kept); or, sorted, every item read and kept to
// be sorted, then paged or written as CSV. `columns` names the items' fields in order: the CSV
// header, and what `sort` may name.
Response list_response(const Call& call, const ReadList& read,
                       const std::vector<std::string>& columns);

// A page of a list read one item past it (`limit` + 1 from `offset`): the first `limit`, and
// the cursor of the next page when that item was there, under the list's own fields `head`.
Response page_read_ahead(std::vector<boost::json::object> items, std::size_t offset,
                         std::size_t limit, boost::json::object head = {});

// The names of the fields an item writes.
std::vector<std::string> columns_of(const Item& item);

// CSV, as the reports and the lists write it.
bool wants_csv(const Request& request);
std::string csv_text(std::string_view text);  // quoted when it holds a comma, quote or newline

Response csv_response(std::string body);

}  // namespace careledger::api
