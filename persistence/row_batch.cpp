#include "persistence/row_batch.hpp"

#include <stdexcept>

#include <boost/json.hpp>

namespace careledger::persistence {

namespace {

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string listed(const std::vector<std::string>& columns, const std::string& prefix = "") {
  std::string out;
  for (const auto& column : columns) out += (out.empty() ? "" : ", ") + prefix + quoted(column);
  return out;
}

// ?1 = c1 AND ... (SQLite's delete of one row), or t.c1 = d.c1 AND ... (PostgreSQL's of all).
std::string matched(const std::vector<std::string>& columns, bool numbered) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out += (i == 0 ? "" : " AND ") + std::string(numbered ? "" : "t.") + quoted(columns[i]) +
           " = " + (numbered ? "?" + std::to_string(i + 1) : "d." + quoted(columns[i]));
  }
  return out;
}

}  // namespace

RowBatch::RowBatch(std::string for_sqlite, std::string for_postgresql,
                   std::vector<std::string> columns)
    : for_sqlite_(std::move(for_sqlite)),
      for_postgresql_(std::move(for_postgresql)),
      columns_(std::move(columns)) {}

RowBatch RowBatch::insert(std::string table, std::vector<std::string> columns,
                          std::string on_conflict) {
  std::string marks;
  for (std::size_t i = 1; i <= columns.size(); ++i) {
    marks += (i == 1 ? "?" : ", ?") + std::to_string(i);
  }
  const std::string into = "INSERT INTO " + table + " (" + listed(columns) + ") ";
  const std::string conflict = on_conflict.empty() ? "" : " " + on_conflict;
  std::string for_sqlite = into + "VALUES (" + marks + ")" + conflict;
  // json_populate_recordset reads each object's members as the table's columns of their names,
  // each as its column's type.
  std::string for_postgresql = into + "SELECT " + listed(columns) +
                               " FROM json_populate_recordset(NULL::" + table + ", ?1::json)" +
                               conflict;
  return RowBatch(std::move(for_sqlite), std::move(for_postgresql), std::move(columns));
}

RowBatch RowBatch::erase(std::string table, std::vector<std::string> columns) {
  std::string for_sqlite = "DELETE FROM " + table + " WHERE " + matched(columns, true);
  // The rows are a function's, which the planner takes to be 100 whatever their number: the
  // first column's values, read as one array beside the join, let it look them up by that
  // column's index rather than read the whole table (every table erased from is indexed by it).
  const std::string rows = "json_populate_recordset(NULL::" + table + ", ?1::json)";
  const std::string& first = columns.front();
  std::string for_postgresql = "DELETE FROM " + table + " AS t USING " + rows + " AS d WHERE " +
                               matched(columns, false) + " AND t." + quoted(first) +
                               " = ANY(ARRAY(SELECT " + quoted(first) + " FROM " + rows + "))";
  return RowBatch(std::move(for_sqlite), std::move(for_postgresql), std::move(columns));
}

void RowBatch::add(std::vector<RowValue> row) {
  if (row.size() != columns_.size()) {
    throw std::logic_error("a row of " + std::to_string(row.size()) + " values for " +
                           std::to_string(columns_.size()) + " columns");
  }
  rows_.push_back(std::move(row));
}

void RowBatch::add_rows_of(const RowBatch& other) {
  if (!same_statement(other)) throw std::logic_error("rows of another statement");
  rows_.insert(rows_.end(), other.rows_.begin(), other.rows_.end());
}

void RowBatch::write(Connection& db) {
  if (rows_.empty()) return;
  if (db.engine() == Engine::postgresql) {
    boost::json::array all;
    all.reserve(rows_.size());
    for (const auto& row : rows_) {
      boost::json::object object;
      for (std::size_t i = 0; i < row.size(); ++i) {
        std::visit(
            [&](const auto& value) {
              using V = std::decay_t<decltype(value)>;
              if constexpr (std::is_same_v<V, std::monostate>) {
                object[columns_[i]] = nullptr;
              } else {
                object[columns_[i]] = value;
              }
            },
            row[i]);
      }
      all.push_back(std::move(object));
    }
    Prepared q(db, for_postgresql_);
    q->bind(1, boost::json::serialize(all));
    q->exec();
  } else {
    Prepared q(db, for_sqlite_);
    for (const auto& row : rows_) {
      q->reset();
      for (std::size_t i = 0; i < row.size(); ++i) {
        const int at = static_cast<int>(i) + 1;
        std::visit(
            [&](const auto& value) {
              using V = std::decay_t<decltype(value)>;
              if constexpr (std::is_same_v<V, std::monostate>) {
                q->bind(at);
              } else {
                q->bind(at, value);
              }
            },
            row[i]);
      }
      q->exec();
    }
  }
  rows_.clear();
}

namespace {
[[noreturn]] void not_run() {
  throw std::logic_error("a bound row is not run: it is added to a RowBatch");
}
}  // namespace

void BoundRow::bind(int, double) {
  throw std::logic_error("a row batch holds no floating-point column");
}
bool BoundRow::executeStep() {
  not_run();
}
int BoundRow::exec() {
  not_run();
}
int BoundRow::getColumnIndex(std::string_view) const {
  not_run();
}
bool BoundRow::null_at(int) const {
  not_run();
}
std::int64_t BoundRow::int64_at(int) const {
  not_run();
}
double BoundRow::double_at(int) const {
  not_run();
}
std::string BoundRow::text_at(int) const {
  not_run();
}

RowValue& BoundRow::at(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) {
    throw std::logic_error("a value bound to column " + std::to_string(index) + " of " +
                           std::to_string(values_.size()));
  }
  return values_[static_cast<std::size_t>(index) - 1];
}

}  // namespace careledger::persistence
