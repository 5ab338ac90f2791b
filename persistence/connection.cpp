#include "persistence/connection.hpp"

#include <mutex>

#include <sqlite3.h>

namespace careledger::persistence {

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
}  // namespace

Connection::Connection(const std::string& path, int flags)
    : SQLite::Database(path, configured(flags)) {}

Prepared::Prepared(Connection& db, std::string_view sql) {
  auto found = db.statements_.find(sql);
  if (found == db.statements_.end()) {
    found = db.statements_.emplace(std::string(sql), Connection::Cached{}).first;
    found->second.statement = std::make_unique<SQLite::Statement>(db, found->first);
  }
  auto& cached = found->second;
  if (!cached.in_use) {
    cached.in_use = true;
    in_use_ = &cached.in_use;
    statement_ = cached.statement.get();
    return;
  }
  owned_ = std::make_unique<SQLite::Statement>(db, found->first);
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

std::optional<std::string> text_or_null(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

StepCounter::StepCounter(Connection& db) : db_(db) {
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
