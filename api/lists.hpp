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

// Which items of a list an answer needs, in the contract's order: the page asked for and one
// more (to know whether a next page exists), or every item for CSV or a sort.
services::ListWindow list_window(const Call& call);

// `head` holds the list's own fields (as_at, totals); `item(i)` writes the i-th of the `count`
// items read for `list_window(call)`; `columns` names the items' fields in order (the CSV
// header, and what `sort` may name).
Response list_response(const Call& call, boost::json::object head, std::size_t count,
                       const std::function<boost::json::object(std::size_t)>& item,
                       const std::vector<std::string>& columns);

// The columns of an item as a codec writes it.
std::vector<std::string> columns_of(const boost::json::object& item);

// CSV, as the reports and the lists write it.
bool wants_csv(const Request& request);
std::string csv_text(std::string_view text);  // quoted when it holds a comma, quote or newline
std::string csv_value(const boost::json::value& value);  // null as an empty field
Response csv_response(std::string body);

}  // namespace careledger::api
