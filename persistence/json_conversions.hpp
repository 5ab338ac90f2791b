#pragma once
// Boost.JSON conversions for the domain's value types, so that described structs (events)
// convert field by field: ids as strings, dates as YYYY-MM-DD, codes by their spelling.

#include <stdexcept>
#include <string>

#include <boost/json.hpp>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/money.hpp"
#include "domain/strong.hpp"

namespace careledger::domain {

template <typename Tag>
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Id<Tag>& id) {
  out = id.str();
}
template <typename Tag>
Id<Tag> tag_invoke(boost::json::value_to_tag<Id<Tag>>, const boost::json::value& in) {
  return Id<Tag>{std::string(in.as_string())};
}

// Money is stored as a whole number of pence.
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Pence& amount) {
  out = amount.value();
}
inline Pence tag_invoke(boost::json::value_to_tag<Pence>, const boost::json::value& in) {
  return Pence{in.as_int64()};
}

template <typename E>
requires std::is_enum_v<E> && requires {
  CodeTable<E>::entries;
}
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, E code) {
  out = code_name(code);
}
template <typename E>
requires std::is_enum_v<E> && requires {
  CodeTable<E>::entries;
}
E tag_invoke(boost::json::value_to_tag<E>, const boost::json::value& in) {
  auto code = parse_code<E>(in.as_string());
  if (!code) throw std::invalid_argument("unknown code in stored event");
  return *code;
}

}  // namespace careledger::domain

// sys_days lives in std::chrono; its conversion is found through the tag's namespace.
namespace boost::json {
inline void tag_invoke(value_from_tag, value& out, const careledger::domain::Date& day) {
  out = careledger::domain::format_date(day);
}
inline careledger::domain::Date tag_invoke(value_to_tag<careledger::domain::Date>,
                                           const value& in) {
  auto day = careledger::domain::parse_date(in.as_string());
  if (!day) throw std::invalid_argument("bad date in stored event");
  return *day;
}
}  // namespace boost::json
