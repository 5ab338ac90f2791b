#include "persistence/pg_connection.hpp"

#include <cstdlib>
#include <vector>

#include <libpq-fe.h>

namespace careledger::persistence::pg {

namespace {

// The result, or Error with PostgreSQL's message and SQLSTATE.
pg_result* checked(pg_conn* conn, pg_result* result) {
  const auto status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  std::string sqlstate = state ? state : "";
  PQclear(result);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  throw Error(message, std::move(sqlstate));
}

}  // namespace

Result::Result(pg_result* result) : result_(result, PQclear) {}

int Result::rows() const {
  return PQntuples(result_.get());
}

bool Result::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t Result::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

Connection::Connection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
    PQfinish(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw Error("cannot connect to PostgreSQL: " + message, "");
  }
  // Timestamps and text as careledger writes them, whatever the server's defaults.
  run("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'; SET client_min_messages = warning");
}

Connection::~Connection() {
  PQfinish(conn_);
}

Result Connection::exec(std::string_view sql, std::initializer_list<Param> params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string text(sql);
  return Result(checked(conn_, PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()),
                                            nullptr, values.data(), nullptr, nullptr, 0)));
}

void Connection::run(std::string_view sql) {
  PQclear(checked(conn_, PQexec(conn_, std::string(sql).c_str())));
}

bool Connection::ok() const {
  return PQstatus(conn_) == CONNECTION_OK;
}

Transaction::Transaction(Connection& db) : db_(db) {
  db_.run("BEGIN");
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    db_.run("ROLLBACK");
  } catch (...) {  // the connection is gone: so is the transaction
  }
}

void Transaction::commit() {
  db_.run("COMMIT");
  open_ = false;
}

}  // namespace careledger::persistence::pg
