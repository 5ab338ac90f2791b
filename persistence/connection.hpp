#pragma once
// A connection to the store, whichever engine holds it: statements with `?` or `?N`
// parameters, stepped row by row, read by column. SQLite (SQLiteCpp) and PostgreSQL (libpq)
// each implement it; the SQL shared by both is written once, in the dialect both accept, and
// what differs lives beside its engine.
//
// A connection keeps its prepared statements: parsing SQL costs more than running the small
// keyed queries a request makes, so each distinct statement is prepared once per connection and
// reused.

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace careledger::persistence {

enum class Engine { sqlite, postgresql };

class Connection;
class Statement;

// A column of a statement's current row.
class Column {
 public:
  Column(const Statement& statement, int index) : statement_(&statement), index_(index) {}
  bool isNull() const;
  std::string getString() const;  // "" for NULL
  int getInt() const;             // 0 for NULL
  std::int64_t getInt64() const;  // 0 for NULL
  double getDouble() const;       // 0 for NULL

 private:
  const Statement* statement_;
  int index_;
};

// A prepared statement. Parameters are numbered from 1, result columns from 0.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void bind(int index) = 0;  // NULL
  virtual void bind(int index, std::int64_t value) = 0;
  virtual void bind(int index, double value) = 0;
  virtual void bind(int index, std::string_view value) = 0;
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  template <std::integral T>
  requires(!std::same_as<T, std::int64_t>) void bind(int index, T value) {
    bind(index, static_cast<std::int64_t>(value));
  }

  // Steps to the next row: false when there is none.
  virtual bool executeStep() = 0;
  // Runs it to the end; the rows it changed.
  virtual int exec() = 0;
  // Ready to run again, with the same bindings until they are cleared.
  virtual void reset() = 0;
  virtual void clearBindings() = 0;

  Column getColumn(int index) const { return Column(*this, index); }
  virtual int getColumnCount() const = 0;
  // The result column named so; throws std::out_of_range naming it when there is none.
  virtual int getColumnIndex(std::string_view name) const = 0;

  // The current row's values, as Column reads them.
  virtual bool null_at(int index) const = 0;
  virtual std::int64_t int64_at(int index) const = 0;
  virtual double double_at(int index) const = 0;
  virtual std::string text_at(int index) const = 0;
};

// A value read on its own (Connection::execAndGet).
class Value {
 public:
  explicit Value(std::optional<std::string> text) : text_(std::move(text)) {}
  bool isNull() const { return !text_; }
  std::string getString() const { return text_.value_or(""); }
  int getInt() const { return static_cast<int>(getInt64()); }
  std::int64_t getInt64() const;

 private:
  std::optional<std::string> text_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual Engine engine() const = 0;
  // Runs SQL that answers nothing: one statement or several, separated by semicolons.
  virtual void exec(const std::string& sql) = 0;
  // A statement of the caller's own (Prepared reuses the connection's).
  virtual std::unique_ptr<Statement> prepare(const std::string& sql) = 0;
  // The first column of the first row of a query, or NULL when it has no row.
  Value execAndGet(const std::string& sql);
  // Whether the connection still stands, as far as can be told without asking the server:
  // false once a PostgreSQL server has closed it (it stopped or restarted), when it is to be
  // dropped, not used again. A SQLite file's always stands.
  virtual bool ok() const { return true; }

 protected:
  // Finalises the kept statements: an engine's destructor calls it before it closes.
  void forget_statements() { statements_.clear(); }

 private:
  friend class Prepared;
  struct Cached {
    std::unique_ptr<Statement> statement;
    bool in_use = false;
  };
  // Found by the text as given, without copying it into a string first.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  std::unordered_map<std::string, Cached, TextHash, std::equal_to<>> statements_;
};

// What is written differently for each engine (a statement, a table's name), beside each other
// where it is used: chosen by the connection it is for.
struct EngineSql {
  std::string sqlite, postgresql;
  const std::string& of(Engine engine) const {
    return engine == Engine::postgresql ? postgresql : sqlite;
  }
  const std::string& of(const Connection& db) const { return of(db.engine()); }
};

// A connection to a SQLite file.
class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, int flags);
  ~SqliteConnection() override;

  Engine engine() const override { return Engine::sqlite; }
  void exec(const std::string& sql) override { db_.exec(sql); }
  std::unique_ptr<Statement> prepare(const std::string& sql) override;
  SQLite::Database& database() { return db_; }

 private:
  SQLite::Database db_;
};

// The SQLite database under a connection, for what only SQLite does (pragmas, backups, the
// rowid); throws std::logic_error on another engine.
SQLite::Database& sqlite(Connection& db);

// A statement ready to bind and step: the connection's kept one, or a fresh one when that is
// already in use further up the stack. On destruction it is reset and its bindings cleared, so
// it holds no read snapshot.
class Prepared {
 public:
  Prepared(Connection& db, std::string_view sql);
  ~Prepared();
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  Statement& operator*() { return *statement_; }
  Statement* operator->() { return statement_; }
  operator Statement&() { return *statement_; }  // NOLINT: passes where a statement goes

 private:
  std::unique_ptr<Statement> owned_;
  bool* in_use_ = nullptr;
  Statement* statement_ = nullptr;
};

// A transaction that is rolled back unless committed.
// snapshot: reads see one state of the store throughout (SQLite's deferred transaction,
//   PostgreSQL's REPEATABLE READ).
// write: takes the right to write at once (SQLite's BEGIN IMMEDIATE; PostgreSQL's BEGIN, whose
//   writers meet at the rows they touch).
class Transaction {
 public:
  enum class Mode { snapshot, write };
  explicit Transaction(Connection& db, Mode mode = Mode::snapshot);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& db_;
  bool open_ = true;
};

// Binds the value, or NULL when there is none.
template <typename T>
void bind_or_null(Statement& q, int index, const std::optional<T>& value) {
  if (value) {
    q.bind(index, *value);
  } else {
    q.bind(index);
  }
}
// A LIMIT's value: `limit`, or none (nullopt, or too large to say) as the largest number both
// engines read (SQLite's -1 is refused by PostgreSQL).
inline std::int64_t sql_limit(std::optional<std::size_t> limit) {
  constexpr auto most = static_cast<std::size_t>(INT64_MAX);
  return static_cast<std::int64_t>(limit && *limit < most ? *limit : most);
}
// A text column's value, or nullopt when it is NULL.
std::optional<std::string> text_or_null(const Column& column);

// Counts the steps SQLite's virtual machine takes on a connection while it lives (one counter
// per connection at a time): the work of its queries, which grows with the rows they read.
class StepCounter {
 public:
  explicit StepCounter(Connection& db);
  ~StepCounter();
  StepCounter(const StepCounter&) = delete;
  StepCounter& operator=(const StepCounter&) = delete;
  std::int64_t steps() const { return steps_; }

 private:
  SQLite::Database& db_;
  std::int64_t steps_ = 0;
};

}  // namespace careledger::persistence
