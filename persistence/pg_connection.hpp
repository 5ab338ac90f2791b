#pragma once
// A PostgreSQL connection (libpq), for the store on PostgreSQL (issue 16): statements with text
// parameters, results read as text, errors with their SQLSTATE. Not thread-safe: one per
// thread, as SQLite's connections are.

#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

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

class Connection {
 public:
  // A libpq connection string or URL (postgresql://USER@HOST:PORT/DBNAME). Throws Error.
  explicit Connection(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement, its parameters $1, $2, ... as text. Throws Error.
  Result exec(std::string_view sql, std::initializer_list<Param> params = {});
  // Several statements with no parameters (a schema). Throws Error.
  void run(std::string_view sql);
  // Whether the connection to the server still stands (false once the server has closed it).
  bool ok() const;

 private:
  pg_conn* conn_;
};

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
