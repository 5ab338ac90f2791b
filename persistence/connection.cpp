#include "persistence/connection.hpp"

#include <charconv>
#include <mutex>
#include <stdexcept>

#include <sqlite3.h>

namespace careledger::persistence {

bool Column::isNull() const {
  return statement_->null_at(index_);
}
std::string Column::getString() const {
  return statement_->text_at(index_);
}
int Column::getInt() const {
  return static_cast<int>(statement_->int64_at(index_));
}
std::int64_t Column::getInt64() const {
  return statement_->int64_at(index_);
}
double Column::getDouble() const {
  return statement_->double_at(index_);
}

std::int64_t Value::getInt64() const {
  std::int64_t out = 0;
  if (text_) std::from_chars(text_->data(), text_->data() + text_->size(), out);
  return out;
}

Value Connection::execAndGet(const std::string& sql) {
  Prepared q(*this, sql);
  if (!q->executeStep()) return Value(std::nullopt);
  return Value(text_or_null(q->getColumn(0)));
}

namespace {

// Before SQLite's first use: no global memory statistics, whose mutex every allocation on every
// connection would otherwise take. Connections are never shared between threads at once.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

int configured(int flags) {
  configure_sqlite_once();
  return flags;
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(SQLite::Database& db, const std::string& sql) : q_(db, sql) {}

  void bind(int index) override { q_.bind(index); }
  void bind(int index, std::int64_t value) override { q_.bind(index, value); }
  void bind(int index, double value) override { q_.bind(index, value); }
  void bind(int index, std::string_view value) override {
    q_.bind(index, std::string(value));  // as text: SQLiteCpp's (pointer, size) is a blob
  }
  bool executeStep() override { return q_.executeStep(); }
  int exec() override { return q_.exec(); }
  void reset() override { q_.reset(); }
  void clearBindings() override { q_.clearBindings(); }
  int getColumnCount() const override { return q_.getColumnCount(); }
  int getColumnIndex(std::string_view name) const override {
    return q_.getColumnIndex(std::string(name).c_str());
  }
  bool null_at(int index) const override { return column(index).isNull(); }
  std::int64_t int64_at(int index) const override { return column(index).getInt64(); }
  double double_at(int index) const override { return column(index).getDouble(); }
  std::string text_at(int index) const override { return column(index).getString(); }

 private:
  SQLite::Column column(int index) const {
    return const_cast<SQLite::Statement&>(q_).getColumn(index);
  }
  SQLite::Statement q_;
};

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, int flags)
    : db_(path, configured(flags)) {}

SqliteConnection::~SqliteConnection() {
  forget_statements();  // before the file closes
}

std::unique_ptr<Statement> SqliteConnection::prepare(const std::string& sql) {
  return std::make_unique<SqliteStatement>(db_, sql);
}

SQLite::Database& sqlite(Connection& db) {
  auto* connection = dynamic_cast<SqliteConnection*>(&db);
  if (!connection) throw std::logic_error("this needs a SQLite store");
  return connection->database();
}

Prepared::Prepared(Connection& db, std::string_view sql) {
  auto found = db.statements_.find(sql);
  if (found == db.statements_.end()) {
    auto statement = db.prepare(std::string(sql));
    found = db.statements_.emplace(std::string(sql), Connection::Cached{}).first;
    found->second.statement = std::move(statement);
  }
  auto& cached = found->second;
  if (!cached.in_use) {
    cached.in_use = true;
    in_use_ = &cached.in_use;
    statement_ = cached.statement.get();
    return;
  }
  owned_ = db.prepare(found->first);
  statement_ = owned_.get();
}

Prepared::~Prepared() {
  if (!in_use_) return;
  try {
    statement_->reset();
  } catch (...) {
    // The step that failed has already reported the error to its caller.
  }
  statement_->clearBindings();
  *in_use_ = false;
}

Transaction::Transaction(Connection& db, Mode mode) : db_(db) {
  if (db.engine() == Engine::sqlite) {
    db.exec(mode == Mode::write ? "BEGIN IMMEDIATE" : "BEGIN");
  } else {
    db.exec(mode == Mode::write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ");
  }
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
    // The connection is lost or the engine has rolled back already: nothing was kept.
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

std::optional<std::string> text_or_null(const Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

StepCounter::StepCounter(Connection& db) : db_(sqlite(db)) {
  sqlite3_progress_handler(
      db_.getHandle(), 1,
      [](void* steps) {
        ++*static_cast<std::int64_t*>(steps);
        return 0;  // go on
      },
      &steps_);
}

StepCounter::~StepCounter() {
  sqlite3_progress_handler(db_.getHandle(), 0, nullptr, nullptr);
}

}  // namespace careledger::persistence
