#pragma once
// A connection that keeps its prepared statements: parsing SQL costs more than running the
// small keyed queries a request makes, so each distinct statement is prepared once per
// connection and reused.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace careledger::persistence {

class Connection : public SQLite::Database {
 public:
  Connection(const std::string& path, int flags);

 private:
  friend class Prepared;
  struct Cached {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  // Found by the text as given, without copying it into a string first.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  // A member, so destroyed (its statements finalised) before the base class closes the file.
  std::unordered_map<std::string, Cached, TextHash, std::equal_to<>> statements_;
};

// A statement ready to bind and step: the connection's cached one, or a fresh one when that is
// already in use further up the stack. On
// destruction it is reset and its bindings cleared, so it holds no read snapshot.
class Prepared {
 public:
  Prepared(Connection& db, std::string_view sql);
  ~Prepared();
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  SQLite::Statement& operator*() { return *statement_; }
  SQLite::Statement* operator->() { return statement_; }
  operator SQLite::Statement&() { return *statement_; }  // NOLINT: passes where a statement goes

 private:
  std::unique_ptr<SQLite::Statement> owned_;
  bool* in_use_ = nullptr;
  SQLite::Statement* statement_ = nullptr;
};

// Binds the value, or NULL when there is none.
template <typename T>
void bind_or_null(SQLite::Statement& q, int index, const std::optional<T>& value) {
  if (value) {
    q.bind(index, *value);
  } else {
    q.bind(index);
  }
}
// A text column's value, or nullopt when it is NULL.
std::optional<std::string> text_or_null(const SQLite::Column& column);

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
  Connection& db_;
  std::int64_t steps_ = 0;
};

}  // namespace careledger::persistence
