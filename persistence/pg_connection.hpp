#pragma once
// A PostgreSQL connection (libpq), for the store on PostgreSQL: statements with text
// parameters, results read as text, errors with their SQLSTATE. Not thread-safe: one per
// thread, as SQLite's connections are.
//
// It is also the store's engine-neutral persistence::Connection, running the SQL shared with
// SQLite. That SQL is written in the dialect both accept, but for three things translated here:
// parameters `?` and `?N` become `$N`, and `json_each(?N)` (a JSON array's elements, as the
// column `value`) becomes `jsonb_array_elements_text($N::jsonb)`, whose column is also `value`;
// and `x IN (SELECT value FROM json_each(?N))` (not NOT IN) becomes
// `x = ANY(ARRAY(SELECT value FROM ...))`, so that the members are looked up by x's index (x a
// text column, as the array's members are text).
// Parameters are sent as text, their types inferred by the server from where they stand (so
// the shared SQL writes `CAST(?1 AS TEXT) IS NULL`, not `?1 IS NULL`, whose type the server
// cannot tell); a boolean result is read as 1 or 0, as SQLite gives it.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "persistence/connection.hpp"

struct pg_conn;
struct pg_result;

namespace careledger::persistence::pg {

// A failure PostgreSQL reported (its SQLSTATE, such as 23505 unique_violation, 42501
// insufficient_privilege), or a failure to connect (SQLSTATE empty).
class Error : public std::runtime_error {
 public:
  Error(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // Whether the server was out of reach: it could not be reached, it closed the connection (it
  // stopped or restarted), or it is starting up. What was asked may succeed when asked again.
  bool unavailable() const {
    return sqlstate_.empty() || sqlstate_.starts_with("08") || sqlstate_ == "57P01" ||
           sqlstate_ == "57P02" || sqlstate_ == "57P03";
  }

 private:
  std::string sqlstate_;
};

class Result {
 public:
  explicit Result(pg_result* result);
  int rows() const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t integer(int row, int column) const;

 private:
  std::shared_ptr<pg_result> result_;
};

using Param = std::optional<std::string>;  // nullopt is SQL NULL

class Connection final : public persistence::Connection {
 public:
  // A libpq connection string or URL (postgresql://USER@HOST:PORT/DBNAME). Throws Error.
  explicit Connection(const std::string& url);
  ~Connection() override;

  Engine engine() const override { return Engine::postgresql; }
  void exec(const std::string& sql) override { run(sql); }
  std::unique_ptr<Statement> prepare(const std::string& sql) override;

  // One statement, its parameters $1, $2, ... as text, prepared the first time this connection
  // runs it (the log's statements run in every batch: parsed and planned once). Throws Error.
  Result query(std::string_view sql, std::initializer_list<Param> params = {});
  // Several statements with no parameters (a schema). Throws Error.
  void run(std::string_view sql);
  // Whether the connection to the server still stands (false once the server has closed it,
  // which an idle connection learns by reading what waits on its socket, without blocking).
  bool ok() const override;

  // COPY ... FROM STDIN in COPY's text format (copy_field): `fill` appends rows to the buffer
  // it is given and answers whether more may follow; each buffer is sent as it is filled. The
  // rows copied. Throws Error (the copy is ended, refused, when `fill` throws).
  std::int64_t copy_in(std::string_view copy, const std::function<bool(std::string&)>& fill);
  // COPY ... TO STDOUT in text format: `row` is given each row's line, without its newline.
  // Throws Error.
  void copy_out(std::string_view copy, const std::function<void(std::string_view)>& row);

 private:
  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // query()'s SQL: its statement's name
};

// The shared SQL as PostgreSQL reads it (above), and how many parameters it takes.
struct Translated {
  std::string sql;
  int parameters = 0;
  std::vector<bool> used;  // whether $N stands in it (SQLite leaves gaps for a query to skip)
};
Translated translate(std::string_view sqlite_sql);

// Appends a field in COPY's text format, as PostgreSQL writes one: NULL as \N; backslash,
// tab, newline, carriage return, backspace, form feed and vertical tab escaped. The caller
// puts a tab between fields and a newline after each row.
void copy_field(std::string& line, std::optional<std::string_view> value);

// A PostgreSQL array literal of the values, {"a","b",NULL}, each quoted and escaped: one
// parameter carrying many rows' column, cast in the SQL (`$1::text[]`, `$2::bigint[]`).
std::string text_array(const std::vector<Param>& values);

// A transaction on `db`, rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& db);
  ~Transaction();
  void commit();

 private:
  Connection& db_;
  bool open_ = true;
};

}  // namespace careledger::persistence::pg
