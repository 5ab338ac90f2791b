#pragma once
// Rows of one table written together: on SQLite a kept statement run for each row (a call within
// the process), on PostgreSQL one statement for all of them. There each statement is a round
// trip, and binding, planning and starting it cost more than its few rows do, so a batch's rows
// of a table are written at once rather than a statement a row.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "persistence/connection.hpp"

namespace careledger::persistence {

// A column's value: NULL, a number or text.
using RowValue = std::variant<std::monostate, std::int64_t, std::string>;

class RowBatch {
 public:
  // Rows inserted into `table`'s `columns`; `on_conflict` ("" or "ON CONFLICT (...) DO UPDATE
  // SET c = excluded.c ...") says what a row whose key is there already does. No two rows of one
  // batch may have the same key.
  static RowBatch insert(std::string table, std::vector<std::string> columns,
                         std::string on_conflict = "");
  // The table's rows whose `columns` equal one of the rows given are deleted. An index of the
  // table leads with the first column (PostgreSQL looks the rows up by it).
  static RowBatch erase(std::string table, std::vector<std::string> columns);

  void add(std::vector<RowValue> row);
  bool empty() const { return rows_.empty(); }
  // Whether `other` is a batch of the same statement (its rows can be added to this one's).
  bool same_statement(const RowBatch& other) const { return for_sqlite_ == other.for_sqlite_; }
  // Adds a copy of each of `other`'s rows (a batch of the same statement).
  void add_rows_of(const RowBatch& other);
  // Runs the statement for the rows gathered, in the order added, and forgets them.
  void write(Connection& db);

 private:
  RowBatch(std::string for_sqlite, std::string for_postgresql, std::vector<std::string> columns);

  std::string for_sqlite_;      // one row, its columns bound ?1, ?2 ...
  std::string for_postgresql_;  // every row, as a JSON array of objects bound to ?1
  std::vector<std::string> columns_;
  std::vector<std::vector<RowValue>> rows_;
};

// A statement that only keeps what is bound to it, as a row for a RowBatch: what binds a row's
// members to a statement (row_mapping.hpp) makes the batch's row.
class BoundRow final : public Statement {
 public:
  explicit BoundRow(std::size_t columns) : values_(columns) {}
  std::vector<RowValue> take() { return std::move(values_); }

  void bind(int index) override { at(index) = std::monostate{}; }
  void bind(int index, std::int64_t value) override { at(index) = value; }
  void bind(int index, double value) override;  // no column holds one
  void bind(int index, std::string_view value) override { at(index) = std::string(value); }
  using Statement::bind;
  // Nothing is run, nor read.
  bool executeStep() override;
  int exec() override;
  void reset() override {}
  void clearBindings() override {}
  int getColumnCount() const override { return 0; }
  int getColumnIndex(std::string_view name) const override;
  bool null_at(int index) const override;
  std::int64_t int64_at(int index) const override;
  double double_at(int index) const override;
  std::string text_at(int index) const override;

 private:
  RowValue& at(int index);
  std::vector<RowValue> values_;
};

}  // namespace careledger::persistence
