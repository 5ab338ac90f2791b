#include "persistence/pg_migrate.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>

#include "persistence/database.hpp"
#include "persistence/pg_schema.hpp"
#include "persistence/read_models.hpp"

namespace careledger::persistence::pg {

namespace {

// The tables beside the log, users before the tables that name them.
constexpr const char* beside_the_log[] = {
    "users",
    "user_teams",
    "teams",
    "user_changes",
    "access_log",
    "sessions",
    "idempotency_keys",
    "cld_imports",
    "cld_import_rows",
    "cld_import_people",
    "cld_import_unrepresented",
};
// Tables whose positions an identity column gives: the next follows the copy's last.
constexpr const char* numbered[] = {"user_changes", "access_log"};

// The log: SQLite's table events, PostgreSQL's event_rows (an event's uid is its position, so
// that uids keep the log's order) and log (positions and times), read back through the view
// events with SQLite's columns.
constexpr const char* event_rows_select =
    "SELECT position, event_id, stream_id, version, type, occurred_on, recorded_by, team, "
    "person_id, data, origin FROM events ORDER BY position";
constexpr const char* event_rows_columns =
    "event_uid, event_id, stream_id, version, type, occurred_on, recorded_by, team, person_id, "
    "data, origin";
constexpr const char* log_select =
    "SELECT position, position, recorded_at FROM events ORDER BY position";
constexpr const char* events_columns =
    "position, event_id, stream_id, version, type, occurred_on, recorded_at, recorded_by, team, "
    "person_id, data, origin";

constexpr std::size_t copy_buffer_bytes = 1 << 20;

// A row of a SQLite statement as COPY's text format writes it, without its newline.
void append_copy_line(SQLite::Statement& row, std::string& out) {
  for (int i = 0; i < row.getColumnCount(); ++i) {
    if (i > 0) out += '\t';
    const auto column = row.getColumn(i);
    if (column.isNull()) {
      copy_field(out, std::nullopt);
    } else {
      const char* text = column.getText();  // an integer as its decimal digits
      copy_field(out, std::string_view(text, static_cast<std::size_t>(column.getBytes())));
    }
  }
}

// COPY of a SQLite query's rows into `columns` of `table`, a MiB at a time; the rows copied.
std::int64_t copy_rows(SQLite::Database& source, const std::string& select, Connection& target,
                       const std::string& table, const std::string& columns) {
  SQLite::Statement rows(source, select);
  return target.copy_in("COPY " + table + " (" + columns + ") FROM STDIN",
                        [&](std::string& buffer) {
                          while (buffer.size() < copy_buffer_bytes) {
                            if (!rows.executeStep()) return false;
                            append_copy_line(rows, buffer);
                            buffer += '\n';
                          }
                          return true;
                        });
}

// An order-free checksum of a table's rows, each as COPY's text format writes it, and their
// count: equal for the same rows in any order (and, but by chance of 2^-64, only for them).
struct Checksum {
  std::uint64_t rows = 0, sum = 0, mixed_sum = 0;
  void add(std::string_view line) {
    std::uint64_t h = std::hash<std::string_view>{}(line);
    ++rows;
    sum += h;
    // splitmix64's finaliser: a second, independent sum.
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    mixed_sum += h ^ (h >> 31);
  }
  bool operator==(const Checksum&) const = default;
};

Checksum checksum_of(SQLite::Database& source, const std::string& select) {
  SQLite::Statement rows(source, select);
  Checksum out;
  std::string line;
  while (rows.executeStep()) {
    line.clear();
    append_copy_line(rows, line);
    out.add(line);
  }
  return out;
}

Checksum checksum_of(Connection& target, const std::string& select) {
  Checksum out;
  target.copy_out("COPY (" + select + ") TO STDOUT", [&](std::string_view line) { out.add(line); });
  return out;
}

// A SQLite table's columns, quoted, as its SELECT * names them.
std::string columns_of(SQLite::Database& source, const std::string& table) {
  SQLite::Statement select(source, "SELECT * FROM \"" + table + "\" LIMIT 0");
  std::string out;
  for (int i = 0; i < select.getColumnCount(); ++i) {
    out += std::string(i > 0 ? ", " : "") + "\"" + select.getColumnName(i) + "\"";
  }
  return out;
}

struct Copied {
  std::string table, columns;
};

// The tables of the file, by what is done with each; refuses one it does not know.
std::vector<std::string> tables_to_copy(SQLite::Database& source) {
  std::vector<std::string> ordered(std::begin(beside_the_log), std::end(beside_the_log));
  for (const auto& table : read_model_tables()) ordered.push_back(table.name);
  const std::set<std::string> known(ordered.begin(), ordered.end());
  SQLite::Statement tables(source,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                           "LIKE 'sqlite_%' ORDER BY name");
  while (tables.executeStep()) {
    const std::string name = tables.getColumn(0).getString();
    // The log is copied on its own; the read models' schema is PostgreSQL's own (install_store).
    if (name == "events" || name == "read_model_schema" || known.count(name) > 0) continue;
    throw std::runtime_error("the store holds a table migrate-store does not know, " + name +
                             ": nothing was copied");
  }
  return ordered;
}

// Refuses a database whose store holds anything: a copy goes into a new, empty store.
void require_empty(Connection& target) {
  std::vector<std::string> tables{"event_rows"};
  tables.insert(tables.end(), std::begin(beside_the_log), std::end(beside_the_log));
  for (const auto& table : tables) {
    const auto rows = target.query("SELECT count(*) FROM " + table).integer(0, 0);
    if (rows > 0) {
      throw std::runtime_error("the PostgreSQL database already holds a store (" +
                               std::to_string(rows) + " rows in " + table +
                               "): migrate-store copies into a new, empty database only");
    }
  }
}

}  // namespace

Migration migrate_from_sqlite(const std::string& sqlite_file, Connection& owner,
                              const std::string& app_role,
                              const std::function<void(const std::string&)>& progress) {
  const auto say = [&](const std::string& what) {
    if (progress) progress(what);
  };
  if (is_postgresql(sqlite_file) || !std::filesystem::is_regular_file(sqlite_path(sqlite_file))) {
    throw std::runtime_error("--from: no SQLite store at " + sqlite_file);
  }
  auto source_connection = open_writer(sqlite_file);  // this version's schema
  SQLite::Database& source = sqlite(*source_connection);
  const auto ordered = tables_to_copy(source);

  say("installing the store");
  install_store(owner, app_role);

  // Another connection's commit to the file changes its data_version: checked after the copy.
  const auto written = [&] { return source.execAndGet("PRAGMA data_version").getInt64(); };
  const auto version_before = written();
  source.exec("BEGIN");  // one snapshot of the file, from its first read
  // The snapshot ended when the copy is read, or when it fails.
  class EndRead {
   public:
    explicit EndRead(SQLite::Database& db) : db_(&db) {}
    ~EndRead() { end(); }
    EndRead(const EndRead&) = delete;
    EndRead& operator=(const EndRead&) = delete;
    void end() {
      if (db_ == nullptr) return;
      try {
        db_->exec("ROLLBACK");
      } catch (...) {  // nothing was written
      }
      db_ = nullptr;
    }

   private:
    SQLite::Database* db_;
  } reading(source);

  Migration migration;
  Transaction tx(owner);
  // Its own events have their positions: none is queued for the sequencer. (The ALTER also
  // keeps any other writer from the log until this commits.)
  owner.run("ALTER TABLE event_rows DISABLE TRIGGER events_queued");
  require_empty(owner);

  say("copying the log");
  migration.events = copy_rows(source, event_rows_select, owner, "event_rows", event_rows_columns);
  copy_rows(source, log_select, owner, "log", "position, event_uid, recorded_at");
  owner.run("ALTER TABLE event_rows ENABLE TRIGGER events_queued");
  owner.run(
      "SELECT setval(pg_get_serial_sequence('event_rows', 'event_uid'), max(event_uid)) FROM "
      "event_rows HAVING count(*) > 0");
  migration.tables.push_back({"events", migration.events});

  std::vector<Copied> copied;
  for (const auto& table : ordered) {
    say("copying " + table);
    const std::string columns = columns_of(source, table);
    owner.run("DELETE FROM \"" + table + "\"");  // a read model as install_store filled it
    const auto rows = copy_rows(source, "SELECT " + columns + " FROM \"" + table + "\"", owner,
                                "\"" + table + "\"", columns);
    migration.tables.push_back({table, rows});
    copied.push_back({table, columns});
  }
  for (const char* table : numbered) {
    owner.run(std::string("SELECT setval(pg_get_serial_sequence('") + table +
              "', 'position'), max(position)) FROM " + table + " HAVING count(*) > 0");
  }

  say("checking the copy");
  const std::string events_select = std::string("SELECT ") + events_columns + " FROM events";
  if (!(checksum_of(source, events_select) == checksum_of(owner, events_select))) {
    throw std::runtime_error("the log copied does not read back as the file's: nothing copied");
  }
  for (const auto& [table, columns] : copied) {
    const std::string select = "SELECT " + columns + " FROM \"" + table + "\"";
    if (!(checksum_of(source, select) == checksum_of(owner, select))) {
      throw std::runtime_error("the table " + table +
                               " copied does not hold the file's rows: nothing copied");
    }
  }
  reading.end();
  if (written() != version_before) {
    throw std::runtime_error(
        "the file was written to while it was copied (is a server serving from it?): nothing "
        "copied; stop it and migrate again");
  }
  tx.commit();
  say("analysing the tables");
  std::string analysed = "event_rows, log";
  for (const auto& [table, columns] : copied) analysed += ", \"" + table + "\"";
  owner.run("ANALYZE " + analysed);
  return migration;
}

}  // namespace careledger::persistence::pg
