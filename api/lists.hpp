#pragma once
// The one way a list is answered (API.md Conventions): as JSON, a page at a time (`limit`,
// `cursor`) in the contract's order or sorted on any of its columns (`sort=COLUMN`, or
// `sort=-COLUMN` for descending); or, with `Accept: text/csv`, the whole list, one line per item
// under a header of its columns.

#include <functional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/api.hpp"
#include "services/queries.hpp"

namespace careledger::api {

// Gives one item of a list, as JSON.
using Emit = std::function<void(boost::json::object)>;
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

// The columns of an item as a codec writes it.
std::vector<std::string> columns_of(const boost::json::object& item);

// CSV, as the reports and the lists write it.
bool wants_csv(const Request& request);
std::string csv_text(std::string_view text);  // quoted when it holds a comma, quote or newline
std::string csv_value(const boost::json::value& value);  // null as an empty field
Response csv_response(std::string body);

}  // namespace careledger::api
