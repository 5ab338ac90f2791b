#include "persistence/pg_connection.hpp"

#include <atomic>
#include <cctype>
#include <charconv>
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

constexpr unsigned bool_oid = 16;  // pg_type's oids of boolean and text
constexpr unsigned text_oid = 25;

// An integer column's text (0 for NULL's empty text, as strtoll, without its locale).
std::int64_t integer_of(const char* text, int length) {
  std::int64_t value = 0;
  std::from_chars(text, text + length, value);
  return value;
}

// A prepared statement of the shared SQL: its parameters kept as text until it runs, then its
// whole result read at once (so that another statement may run while its rows are read, as on
// SQLite).
class PgStatement final : public persistence::Statement {
 public:
  PgStatement(pg_conn* conn, std::string name, int parameters)
      : conn_(conn), name_(std::move(name)), params_(static_cast<std::size_t>(parameters)) {
    describe();
  }
  ~PgStatement() override {
    // Forgotten by the server too (a statement kept for the connection's life is forgotten as it
    // closes; one made for a nested use is not left behind).
    PQclear(PQexec(conn_, ("DEALLOCATE " + name_).c_str()));
  }
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  void bind(int index) override { param(index).reset(); }
  void bind(int index, std::int64_t value) override { param(index) = std::to_string(value); }
  void bind(int index, double value) override { param(index) = std::to_string(value); }
  void bind(int index, std::string_view value) override { param(index) = std::string(value); }

  bool executeStep() override {
    if (!result_) run();
    return ++row_ < PQntuples(result_.get());
  }
  int exec() override {
    run();
    return std::atoi(PQcmdTuples(result_.get()));
  }
  void reset() override {
    result_.reset();
    row_ = -1;
  }
  void clearBindings() override {
    for (auto& p : params_) p.reset();
  }
  int getColumnCount() const override { return static_cast<int>(names_.size()); }
  int getColumnIndex(std::string_view name) const override {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return static_cast<int>(i);
    }
    throw std::out_of_range("no result column named " + std::string(name));
  }
  bool null_at(int index) const override { return PQgetisnull(result_.get(), row_, index) != 0; }
  std::int64_t int64_at(int index) const override {
    const char* text = PQgetvalue(result_.get(), row_, index);
    if (PQftype(result_.get(), index) == bool_oid) return text[0] == 't' ? 1 : 0;
    return integer_of(text, PQgetlength(result_.get(), row_, index));
  }
  double double_at(int index) const override {
    return std::strtod(PQgetvalue(result_.get(), row_, index), nullptr);
  }
  std::string text_at(int index) const override {
    if (PQftype(result_.get(), index) == bool_oid) {
      return PQgetvalue(result_.get(), row_, index)[0] == 't' ? "1" : "0";
    }
    return std::string(PQgetvalue(result_.get(), row_, index),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, index)));
  }

 private:
  std::optional<std::string>& param(int index) {
    if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
      throw std::out_of_range("no parameter " + std::to_string(index) + " in " + name_);
    }
    return params_[static_cast<std::size_t>(index - 1)];
  }
  void describe() {
    std::shared_ptr<pg_result> described(checked(conn_, PQdescribePrepared(conn_, name_.c_str())),
                                         PQclear);
    for (int i = 0; i < PQnfields(described.get()); ++i) {
      names_.emplace_back(PQfname(described.get(), i));
    }
  }
  void run() {
    std::vector<const char*> values;
    values.reserve(params_.size());
    for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
    result_.reset(
        checked(conn_, PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values.size()),
                                      values.data(), nullptr, nullptr, 0)),
        PQclear);
    row_ = -1;
  }

  pg_conn* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  std::vector<std::string> names_;
  std::shared_ptr<pg_result> result_;
  int row_ = -1;
};

bool starts_with_at(std::string_view text, std::size_t at, std::string_view word) {
  return text.substr(at, word.size()) == word &&
         (at == 0 ||
          !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_'));
}

// `x IN (SELECT value FROM json_each(?N))`, a column among a JSON array's members.
constexpr std::string_view in_json_list = "IN (SELECT value FROM json_each(";

// Whether the word before `at` is NOT, in any case and across lines (`x NOT IN (...)`, left
// as it is).
bool after_not(std::string_view text, std::size_t at) {
  std::size_t end = at;
  while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  if (end < 3 || end == at) return false;
  std::string word(text.substr(end - 3, 3));
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word == "NOT" && (end == 3 || !(std::isalnum(static_cast<unsigned char>(text[end - 4])) ||
                                         text[end - 4] == '_'));
}

}  // namespace

Translated translate(std::string_view in) {
  Translated out;
  out.sql.reserve(in.size() + 16);
  std::vector<int> json_depths;  // the depths at which a json_each( argument ends
  std::vector<int> any_depths;   // the depths at which an IN list made = ANY(ARRAY( ends
  int depth = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\'' || c == '"') {  // a literal or a quoted name, copied as it is
      const std::size_t end = in.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? in.size() : end + 1;
      out.sql.append(in.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '-' && i + 1 < in.size() && in[i + 1] == '-') {  // a comment, to its line's end
      const std::size_t end = in.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? in.size() : end;
      out.sql.append(in.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {
      std::size_t j = i + 1;
      int number = 0;
      while (j < in.size() && std::isdigit(static_cast<unsigned char>(in[j]))) {
        number = number * 10 + (in[j++] - '0');
      }
      if (j == i + 1) number = out.parameters + 1;  // as SQLite numbers a bare ?
      out.parameters = std::max(out.parameters, number);
      if (out.used.size() < static_cast<std::size_t>(number)) {
        out.used.resize(static_cast<std::size_t>(number));
      }
      out.used[static_cast<std::size_t>(number - 1)] = true;
      out.sql += "$" + std::to_string(number);
      i = j - 1;
    } else if (starts_with_at(in, i, in_json_list) && !after_not(in, i)) {
      // Read as an array, the list's members are an index's keys: as a set joined in, the
      // planner guesses its size and may scan the whole table for a few rows.
      out.sql += "= ANY(ARRAY(";
      any_depths.push_back(++depth);
      i += std::string_view("IN (").size() - 1;
    } else if (starts_with_at(in, i, "json_each(")) {
      out.sql += "jsonb_array_elements_text((";
      json_depths.push_back(++depth);
      i += std::string_view("json_each(").size() - 1;
    } else if (c == '(') {
      ++depth;
      out.sql += c;
    } else if (c == ')') {
      if (!json_depths.empty() && json_depths.back() == depth) {
        json_depths.pop_back();
        out.sql += ")::jsonb";
      }
      if (!any_depths.empty() && any_depths.back() == depth) {
        any_depths.pop_back();
        out.sql += ')';
      }
      --depth;
      out.sql += c;
    } else {
      out.sql += c;
    }
  }
  return out;
}

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
  return integer_of(PQgetvalue(result_.get(), row, column),
                    PQgetlength(result_.get(), row, column));
}

Connection::Connection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
    PQfinish(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw Error("cannot connect to PostgreSQL: " + message, "");
  }
  // Timestamps and text as careledger writes them, whatever the server's defaults.
  // No parallel workers: careledger's statements each read an index's range in a few
  // milliseconds, and starting workers takes longer than that (a list's first page read in
  // 16 ms with two of them, in 2 ms without), while the load's other requests want the cores.
  // A page read at random costs about what one read in order does (1.1, the usual figure for
  // solid-state disks and a store held in memory, against the default 4, which is a spinning
  // disk's): at 4 the planner would rather sort a whole list's rows than read them in its key's
  // order (the overdue list's 35,000 lines: 53-66 ms to sort, 25-31 to read in order).
  run("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'; SET client_min_messages = warning; "
      "SET max_parallel_workers_per_gather = 0; SET random_page_cost = 1.1");
}

Connection::~Connection() {
  forget_statements();
  PQfinish(conn_);
}

namespace {

// A name for a statement prepared on a connection, never given before in this process.
std::string new_statement_name() {
  static std::atomic<std::uint64_t> made{0};
  return "careledger_" + std::to_string(++made);
}

}  // namespace

std::unique_ptr<Statement> Connection::prepare(const std::string& sql) {
  const auto translated = translate(sql);
  std::string name = new_statement_name();
  // A parameter the statement skips is given a type (text), which the server cannot infer.
  std::vector<unsigned> types(static_cast<std::size_t>(translated.parameters), 0);
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (!translated.used[i]) types[i] = text_oid;
  }
  PQclear(checked(conn_, PQprepare(conn_, name.c_str(), translated.sql.c_str(),
                                   translated.parameters, types.data())));
  return std::make_unique<PgStatement>(conn_, std::move(name), translated.parameters);
}

Result Connection::query(std::string_view sql, std::initializer_list<Param> params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  std::string text(sql);
  auto named = prepared_.find(text);
  if (named == prepared_.end()) {
    std::string name = new_statement_name();
    PQclear(checked(conn_, PQprepare(conn_, name.c_str(), text.c_str(),
                                     static_cast<int>(values.size()), nullptr)));
    named = prepared_.emplace(std::move(text), std::move(name)).first;
  }
  return Result(
      checked(conn_, PQexecPrepared(conn_, named->second.c_str(), static_cast<int>(values.size()),
                                    values.data(), nullptr, nullptr, 0)));
}

void Connection::run(std::string_view sql) {
  PQclear(checked(conn_, PQexec(conn_, std::string(sql).c_str())));
}

bool Connection::ok() const {
  // A server stopping sends an idle connection a notice, then closes it: reading twice (libpq's
  // socket never blocks) reads the notice, then finds the end of the stream, and the connection
  // is marked lost.
  for (int read = 0; read < 2 && PQstatus(conn_) == CONNECTION_OK; ++read) PQconsumeInput(conn_);
  return PQstatus(conn_) == CONNECTION_OK;
}

std::int64_t Connection::copy_in(std::string_view copy,
                                 const std::function<bool(std::string&)>& fill) {
  pg_result* started = PQexec(conn_, std::string(copy).c_str());
  if (PQresultStatus(started) != PGRES_COPY_IN) {
    PQclear(checked(conn_, started));
    throw std::logic_error("not a COPY ... FROM STDIN: " + std::string(copy));
  }
  PQclear(started);
  std::string buffer;
  try {
    for (bool more = true; more;) {
      buffer.clear();
      more = fill(buffer);
      if (!buffer.empty() &&
          PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
        throw Error(PQerrorMessage(conn_), "");
      }
    }
  } catch (...) {
    // Refused, so that the statement ends (in error) and the connection may be used again.
    PQputCopyEnd(conn_, "the rows could not be read");
    while (pg_result* result = PQgetResult(conn_)) PQclear(result);
    throw;
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) throw Error(PQerrorMessage(conn_), "");
  pg_result* done = checked(conn_, PQgetResult(conn_));
  const std::int64_t rows = std::atoll(PQcmdTuples(done));
  PQclear(done);
  while (pg_result* result = PQgetResult(conn_)) PQclear(result);
  return rows;
}

void Connection::copy_out(std::string_view copy, const std::function<void(std::string_view)>& row) {
  pg_result* started = PQexec(conn_, std::string(copy).c_str());
  if (PQresultStatus(started) != PGRES_COPY_OUT) {
    PQclear(checked(conn_, started));
    throw std::logic_error("not a COPY ... TO STDOUT: " + std::string(copy));
  }
  PQclear(started);
  std::exception_ptr failed;
  for (;;) {
    char* line = nullptr;
    const int size = PQgetCopyData(conn_, &line, 0);  // one row each time, in text format
    if (size < 0) break;                              // -1 done, -2 failed (reported below)
    if (!failed) {
      try {
        std::string_view text(line, static_cast<std::size_t>(size));
        if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
        row(text);
      } catch (...) {  // the copy is read to its end all the same
        failed = std::current_exception();
      }
    }
    PQfreemem(line);
  }
  pg_result* done = PQgetResult(conn_);
  try {
    PQclear(checked(conn_, done));
  } catch (...) {
    while (pg_result* result = PQgetResult(conn_)) PQclear(result);
    throw;
  }
  while (pg_result* result = PQgetResult(conn_)) PQclear(result);
  if (failed) std::rethrow_exception(failed);
}

std::string text_array(const std::vector<Param>& values) {
  std::string out = "{";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    if (!v) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

void copy_field(std::string& line, std::optional<std::string_view> value) {
  if (!value) {
    line += "\\N";
    return;
  }
  for (const char c : *value) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      case '\b':
        line += "\\b";
        break;
      case '\f':
        line += "\\f";
        break;
      case '\v':
        line += "\\v";
        break;
      default:
        line += c;
    }
  }
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
