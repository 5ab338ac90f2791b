#pragma once
// Read-model rows from described structs: one column per described member, named as the
// member, so a table's DDL, its SELECT and INSERT column lists and the binds are generated from
// one declaration (as the event codec does for events). Private to persistence.
//
// Column types: ids, text and dates as TEXT (dates YYYY-MM-DD); codes by their spelling; a list
// of codes as a JSON array; bool, int, pence and versions as INTEGER. An optional member is a
// nullable column.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/money.hpp"
#include "domain/strong.hpp"

namespace careledger::persistence::rows {

template <typename T>
struct Column;  // no definition: a member of another type does not compile

template <typename Tag>
struct Column<domain::Id<Tag>> {
  static constexpr std::string_view type = "TEXT";
  static void bind(persistence::Statement& q, int i, const domain::Id<Tag>& v) {
    q.bind(i, v.str());
  }
  static domain::Id<Tag> read(const persistence::Column& c) {
    return domain::Id<Tag>{c.getString()};
  }
};
template <>
struct Column<std::string> {
  static constexpr std::string_view type = "TEXT";
  static void bind(persistence::Statement& q, int i, const std::string& v) { q.bind(i, v); }
  static std::string read(const persistence::Column& c) { return c.getString(); }
};
template <>
struct Column<domain::Date> {
  static constexpr std::string_view type = "TEXT";
  static void bind(persistence::Statement& q, int i, domain::Date v) {
    q.bind(i, domain::format_date(v));
  }
  static domain::Date read(const persistence::Column& c) {
    return domain::parse_date(c.getString()).value();
  }
};
template <>
struct Column<bool> {
  static constexpr std::string_view type = "INTEGER";
  static void bind(persistence::Statement& q, int i, bool v) { q.bind(i, v ? 1 : 0); }
  static bool read(const persistence::Column& c) { return c.getInt() != 0; }
};
template <>
struct Column<int> {
  static constexpr std::string_view type = "INTEGER";
  static void bind(persistence::Statement& q, int i, int v) { q.bind(i, v); }
  static int read(const persistence::Column& c) { return c.getInt(); }
};
template <>
struct Column<domain::Pence> {
  static constexpr std::string_view type = "INTEGER";
  static void bind(persistence::Statement& q, int i, domain::Pence v) { q.bind(i, v.value()); }
  static domain::Pence read(const persistence::Column& c) { return domain::Pence{c.getInt64()}; }
};
template <>
struct Column<domain::Version> {
  static constexpr std::string_view type = "INTEGER";
  static void bind(persistence::Statement& q, int i, domain::Version v) {
    q.bind(i, static_cast<std::int64_t>(v.value()));
  }
  static domain::Version read(const persistence::Column& c) {
    return domain::Version{c.getInt64()};
  }
};
// A code is stored by its spelling, never its position in the enum.
template <typename E>
requires std::is_enum_v<E> && requires {
  domain::CodeTable<E>::entries;
}
struct Column<E> {
  static constexpr std::string_view type = "TEXT";
  static void bind(persistence::Statement& q, int i, E v) {
    q.bind(i, std::string(domain::code_name(v)));
  }
  static E read(const persistence::Column& c) {
    return domain::parse_code<E>(c.getString()).value();
  }
};
template <typename E>
requires std::is_enum_v<E> && requires {
  domain::CodeTable<E>::entries;
}
struct Column<std::vector<E>> {
  static constexpr std::string_view type = "TEXT";
  static void bind(persistence::Statement& q, int i, const std::vector<E>& v) {
    boost::json::array list;
    for (auto code : v) list.emplace_back(domain::code_name(code));
    q.bind(i, boost::json::serialize(list));
  }
  static std::vector<E> read(const persistence::Column& c) {
    std::vector<E> out;
    const auto list = boost::json::parse(c.getString());
    for (const auto& code : list.as_array()) {
      out.push_back(domain::parse_code<E>(code.as_string()).value());
    }
    return out;
  }
};
template <typename T>
struct Column<std::optional<T>> {
  static constexpr std::string_view type = Column<T>::type;
  static constexpr bool nullable = true;
  static void bind(persistence::Statement& q, int i, const std::optional<T>& v) {
    if (v) {
      Column<T>::bind(q, i, *v);
    } else {
      q.bind(i);
    }
  }
  static std::optional<T> read(const persistence::Column& c) {
    if (c.isNull()) return std::nullopt;
    return Column<T>::read(c);
  }
};

template <typename T>
constexpr bool is_nullable() {
  if constexpr (requires { Column<T>::nullable; }) {
    return Column<T>::nullable;
  } else {
    return false;
  }
}

template <typename Row>
using Members = boost::describe::describe_members<Row, boost::describe::mod_public>;

// Calls f(name, member pointer) for each described member of Row, in declaration order.
template <typename Row, typename F>
void for_each_member(F&& f) {
  boost::mp11::mp_for_each<Members<Row>>([&](auto member) { f(member.name, member.pointer); });
}

// A member's name as a column name, quoted so that a name like `on` is not read as SQL.
inline std::string quoted(std::string_view name) {
  return "\"" + std::string(name) + "\"";
}

// "a, b, c", or with a table's alias "t.a, t.b, t.c"
template <typename Row>
std::string column_names(std::string_view alias = {}) {
  std::string out;
  for_each_member<Row>([&](const char* name, auto) {
    if (!out.empty()) out += ", ";
    out += std::string(alias) + quoted(name);
  });
  return out;
}

// "a TEXT NOT NULL, b INTEGER, ..."
template <typename Row>
std::string column_definitions() {
  std::string out;
  for_each_member<Row>([&](const char* name, auto pointer) {
    using T = std::remove_cvref_t<decltype(std::declval<const Row&>().*pointer)>;
    if (!out.empty()) out += ", ";
    out += quoted(name) + " " + std::string(Column<T>::type);
    if (!is_nullable<T>()) out += " NOT NULL";
  });
  return out;
}

template <typename Row>
constexpr int column_count() {
  return static_cast<int>(boost::mp11::mp_size<Members<Row>>::value);
}

// Binds the row's members from parameter `first` on; returns the next parameter's index.
template <typename Row>
int bind_row(persistence::Statement& q, int first, const Row& row) {
  for_each_member<Row>([&](const char*, auto pointer) {
    using T = std::remove_cvref_t<decltype(row.*pointer)>;
    Column<T>::bind(q, first++, row.*pointer);
  });
  return first;
}

// Reads the row's members from result column `first` on; returns the next column's index.
template <typename Row>
int read_row(persistence::Statement& q, int first, Row& row) {
  for_each_member<Row>([&](const char*, auto pointer) {
    using T = std::remove_cvref_t<decltype(row.*pointer)>;
    row.*pointer = Column<T>::read(q.getColumn(first++));
  });
  return first;
}

// Where each described member of Row is among a statement's result columns, by name: a query
// whose columns are named as the members (aliased where they differ) is read whatever their
// order. Throws SQLite::Exception naming a member the query does not give.
template <typename Row>
std::vector<int> column_positions(persistence::Statement& q) {
  std::vector<int> positions;
  for_each_member<Row>(
      [&](const char* name, auto) { positions.push_back(q.getColumnIndex(name)); });
  return positions;
}

// Reads the row's members from the columns `positions` names, in member order.
template <typename Row>
void read_row_at(persistence::Statement& q, const std::vector<int>& positions, Row& row) {
  std::size_t i = 0;
  for_each_member<Row>([&](const char*, auto pointer) {
    using T = std::remove_cvref_t<decltype(row.*pointer)>;
    row.*pointer = Column<T>::read(q.getColumn(positions[i++]));
  });
}

}  // namespace careledger::persistence::rows
