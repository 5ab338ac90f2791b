// The store's tables on PostgreSQL (issue 16), beside the log, against a real server
// (pg_fixture.hpp: a database and roles of each test's own): what the role careledger connects
// with may do to each, and that they are the SQLite store's tables column for column.
#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <thread>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/pg_event_log.hpp"
#include "persistence/pg_schema.hpp"
#include "persistence/read_models.hpp"
#include "tests/persistence/pg_fixture.hpp"

namespace careledger::testing {
namespace {

namespace pg = persistence::pg;

// Every table install_store creates beside the log: those of install_store_schema, then the
// generated read models.
const std::vector<std::string> store_tables = [] {
  std::vector<std::string> out = {
      "users",           "user_teams",        "teams",
      "user_changes",    "access_log",        "cld_imports",
      "cld_import_rows", "cld_import_people", "cld_import_unrepresented",
      "sessions",        "read_model_schema"};
  for (const auto& table : persistence::read_model_tables()) out.push_back(table.name);
  return out;
}();

class PgSchema : public PgDatabase {
 protected:
  void SetUp() override {
    PgDatabase::SetUp();
    if (HasFatalFailure()) return;
    pg::install_store(*owner, app_role());
  }
  // An access-log entry as append_access writes it (its position left to the database); the
  // position it was given.
  static std::int64_t log_access(pg::Connection& db, const std::string& user,
                                 const std::string& person = "per_1") {
    return db
        .query(
            "INSERT INTO access_log (at, \"user\", role, method, route, status, person_id, "
            "filters, people_shown, request_id, client) VALUES ($1, $2, 'admin', 'GET', "
            "'/v1/people/{id}', 200, $3, '{}', 1, 'req_1', '127.0.0.1') RETURNING position",
            {"2024-06-01T09:00:00.000Z", user, person})
        .integer(0, 0);
  }
  static void add_user(pg::Connection& db, const std::string& name) {
    db.query(
        "INSERT INTO users (id, name, role, token_hash, created_at) "
        "VALUES ($1, $2, 'practitioner', $3, '2024-06-01T09:00:00.000Z')",
        {"usr_" + name, name, "hash-of-" + name});
  }
  static std::int64_t count(pg::Connection& db, const std::string& table) {
    return db.query("SELECT COUNT(*) FROM " + table).integer(0, 0);
  }
  // Everything install_store_schema decides, as PostgreSQL's catalogue has it: the tables'
  // columns and rights, their indexes and triggers.
  std::string catalogue() {
    const auto r = owner->query(
        "SELECT c.relname || ' ' || COALESCE(c.relacl::text, '') || ' ' || "
        "(SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || "
        "COALESCE(a.attacl::text, ''), ',' ORDER BY a.attnum) FROM pg_attribute a "
        "WHERE a.attrelid = c.oid AND a.attnum > 0) || ' ' || "
        "COALESCE((SELECT string_agg(pg_get_indexdef(i.indexrelid), ',' ORDER BY i.indexrelid) "
        "FROM pg_index i WHERE i.indrelid = c.oid), '') || ' ' || "
        "COALESCE((SELECT string_agg(pg_get_triggerdef(t.oid), ',' ORDER BY t.tgname) "
        "FROM pg_trigger t WHERE t.tgrelid = c.oid), '') "
        "FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace ORDER BY c.relname");
    std::string out;
    for (int i = 0; i < r.rows(); ++i) out += r.text(i, 0) + "\n";
    return out;
  }
};

// A database with nothing installed yet.
class PgSchemaOnANewDatabase : public PgDatabase {
 protected:
  // Whether `n` of the owner's sessions came to wait for a lock, within ten seconds (asked
  // on a session of the owner's: a role sees what only its own sessions wait for).
  bool until_waiting(int n) {
    pg::Connection watcher(url_as(owner_role()));
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      const auto r = watcher.query(
          "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
          "AND wait_event_type = 'Lock'");
      if (r.integer(0, 0) >= n) return true;
      std::this_thread::yield();
    }
    return false;
  }
};

TEST_F(PgSchema, InstallingAgainChangesNothingAndKeepsEveryRow) {
  add_user(*app, "nia");
  app->query("INSERT INTO teams VALUES ('north', 'North', '2024-06-01T09:00:00.000Z', 'nia')");
  EXPECT_EQ(log_access(*app, "nia"), 1);
  const auto before = catalogue();
  pg::install_store(*owner, app_role());
  pg::install_store(*owner, app_role());
  EXPECT_EQ(catalogue(), before);
  EXPECT_EQ(count(*app, "users"), 1);
  EXPECT_EQ(count(*app, "teams"), 1);
  EXPECT_EQ(log_access(*app, "nia"), 2);  // the positions go on where they were
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM access_log"); }), "42501");
}

TEST_F(PgSchema, TheAppRoleAddsToTheAccessLogAndUserChangesButCannotChangeOrEmptyThem) {
  log_access(*app, "nia");
  app->query(
      "INSERT INTO user_changes (at, by, user_name, change, detail) "
      "VALUES ('2024-06-01T09:00:00.000Z', 'admin', 'nia', 'created', '{}')");
  EXPECT_EQ(count(*app, "access_log"), 1);
  EXPECT_EQ(app->query("SELECT by, change FROM user_changes").text(0, 1), "created");
  for (const std::string table : {"access_log", "user_changes"}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE " + table + " SET at = 'later'"); }), "42501");
    EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM " + table); }), "42501");
    EXPECT_EQ(sqlstate_of([&] { app->run("TRUNCATE " + table); }), "42501");
    EXPECT_EQ(sqlstate_of([&] { app->run("DROP TABLE " + table); }), "42501");
    EXPECT_EQ(count(*app, table), 1);
  }
  // Nor write a position: one ahead of the sequence would later refuse every insert.
  EXPECT_EQ(sqlstate_of([&] {
              app->run(
                  "INSERT INTO user_changes (position, at, by, user_name, change, detail) "
                  "VALUES (2, 'at', 'admin', 'nia', 'created', '{}')");
            }),
            "42501");
}

TEST_F(PgSchema, EvenTheOwnerCannotChangeTheAccessLogOrTheUserChanges) {
  log_access(*owner, "nia");
  owner->run(
      "INSERT INTO user_changes (at, by, user_name, change, detail) "
      "VALUES ('2024-06-01T09:00:00.000Z', 'admin', 'nia', 'created', '{}')");
  // Refused by the trigger (the owner has every right): its message says what was refused.
  auto refused = [&](const std::string& sql, const std::string& what) {
    try {
      owner->run(sql);
    } catch (const pg::Error& e) {
      if (e.sqlstate() == "42501" && std::string(e.what()).find(what) != std::string::npos) {
        return ::testing::AssertionSuccess();
      }
      return ::testing::AssertionFailure() << e.sqlstate() << " " << e.what();
    }
    return ::testing::AssertionFailure() << "not refused";
  };
  EXPECT_TRUE(refused("UPDATE access_log SET \"user\" = 'someone else'",
                      "append-only: UPDATE of access_log"));
  EXPECT_TRUE(refused("DELETE FROM access_log", "append-only: DELETE of access_log"));
  EXPECT_TRUE(refused("TRUNCATE access_log", "append-only: TRUNCATE of access_log"));
  EXPECT_TRUE(
      refused("UPDATE user_changes SET detail = ''", "append-only: UPDATE of user_changes"));
  EXPECT_TRUE(refused("DELETE FROM user_changes", "append-only: DELETE of user_changes"));
  EXPECT_TRUE(refused("TRUNCATE user_changes", "append-only: TRUNCATE of user_changes"));
  EXPECT_EQ(owner->query("SELECT \"user\" FROM access_log").text(0, 0), "nia");
  EXPECT_EQ(count(*owner, "user_changes"), 1);
}

TEST_F(PgSchema, TheAppRoleKeepsUsersTeamsAndSessionsAsCareledgerDoes) {
  add_user(*app, "nia");
  app->query("INSERT INTO teams VALUES ('north', 'North', '2024-06-01T09:00:00.000Z', 'nia')");
  app->query("INSERT INTO user_teams (user_name, team) VALUES ('nia', 'north')");
  app->query(
      "INSERT INTO user_teams (user_name, team) VALUES ('nia', 'north') ON CONFLICT DO NOTHING");
  app->query("UPDATE users SET last_seen_at = '2024-06-02T09:00:00.000Z' WHERE name = 'nia'");
  // A session, as insert_session makes one: from the user's token.
  app->query(
      "INSERT INTO sessions (id_hash, user_name, token_hash, created_at, expires_at) "
      "SELECT 'session-1', name, token_hash, '2024-06-02T09:00:00.000Z', "
      "'2024-06-02T21:00:00.000Z' FROM users WHERE token_hash = 'hash-of-nia' AND disabled = 0");
  EXPECT_EQ(
      app->query("SELECT users.id FROM sessions JOIN users ON users.name = sessions.user_name "
                 "WHERE sessions.id_hash = 'session-1'")
          .text(0, 0),
      "usr_nia");
  app->query("DELETE FROM sessions WHERE id_hash = $1", {"session-1"});
  EXPECT_EQ(count(*app, "sessions"), 0);
  app->query(
      "UPDATE users SET token_hash = 'new', role = 'admin', disabled = 1 WHERE name = 'nia'");
  app->query("DELETE FROM user_teams WHERE user_name = 'nia'");
  EXPECT_EQ(count(*app, "user_teams"), 0);
  // What careledger never does is refused.
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM users"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE users SET id = 'usr_other'"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE users SET created_at = ''"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE teams SET label = 'South'"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM teams"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE sessions SET expires_at = ''"); }), "42501");
  // A session of no user is refused, as on SQLite.
  EXPECT_EQ(sqlstate_of([&] {
              app->run("INSERT INTO sessions VALUES ('session-2', 'nobody', 'h', 'at', 'until')");
            }),
            "23503");
}

TEST_F(PgSchema, AnEntryAddedWithoutAPositionGetsTheNextOne) {
  std::vector<std::int64_t> positions;
  for (int i = 0; i < 3; ++i) positions.push_back(log_access(*app, "nia"));
  EXPECT_EQ(positions, (std::vector<std::int64_t>{1, 2, 3}));
  const auto r = app->query("SELECT position FROM access_log ORDER BY position DESC LIMIT 1");
  EXPECT_EQ(r.integer(0, 0), 3);
  for (int i = 1; i <= 2; ++i) {
    const auto change = app->query(
        "INSERT INTO user_changes (at, by, user_name, change, detail) "
        "VALUES ('at', 'admin', 'nia', 'created', '{}') RETURNING position");
    EXPECT_EQ(change.integer(0, 0), i);
  }
  // A copy from SQLite, by the owner, keeps its positions; the sequence then goes on after.
  owner->run(
      "INSERT INTO access_log (position, at, method, route, status, filters, request_id, client) "
      "VALUES (10, 'at', 'GET', '/', 200, '{}', 'r', 'c'); "
      "SELECT setval(pg_get_serial_sequence('access_log', 'position'), "
      "(SELECT MAX(position) FROM access_log))");
  EXPECT_EQ(log_access(*app, "nia"), 11);
}

TEST_F(PgSchema, TheUserColumnIsWrittenAndReadQuoted) {
  log_access(*app, "nia", "per_1");
  log_access(*app, "sam", "per_2");
  const auto r = app->query(
      "SELECT \"user\", person_id FROM access_log WHERE \"user\" = $1 ORDER BY position", {"sam"});
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.text(0, 0), "sam");
  EXPECT_EQ(r.text(0, 1), "per_2");
  // Unquoted, `user` is the role connected, with no error: why the shared SQL quotes it.
  EXPECT_EQ(app->query("SELECT user FROM access_log LIMIT 1").text(0, 0), app_role());
  EXPECT_EQ(app->query("SELECT COUNT(*) FROM access_log WHERE user = 'sam'").integer(0, 0), 0);
}

TEST_F(PgSchema, TheAppRoleWritesImportsKeptListsAndTotalsAsCareledgerDoes) {
  app->query(
      "INSERT INTO cld_imports (id, file_sha256, imported_by, imported_at, report) "
      "VALUES ('imp_1', 'sha', 'nia', 'at', '{}')");
  const char* row =
      "INSERT INTO cld_import_rows (row_key, stream_id, period_end, import_id, line) "
      "VALUES ('key-1', $1, '2024-03-31', $2, $3) ON CONFLICT (row_key) DO UPDATE SET "
      "stream_id = excluded.stream_id, period_end = excluded.period_end, "
      "import_id = excluded.import_id, line = excluded.line";
  app->query(row, {"person-per_1", "imp_1", "7"});
  app->query(row, {"person-per_2", "imp_2", "9"});
  EXPECT_EQ(app->query("SELECT stream_id, line FROM cld_import_rows").text(0, 0), "person-per_2");
  const char* person =
      "INSERT INTO cld_import_people (la_code, la_id, person_id) VALUES ('E1', 'L1', $1) "
      "ON CONFLICT (la_code, la_id) DO NOTHING";
  app->query(person, {"per_1"});
  app->query(person, {"per_2"});
  EXPECT_EQ(app->query("SELECT person_id FROM cld_import_people").text(0, 0), "per_1");
  app->query(
      "INSERT INTO cld_import_unrepresented (import_id, line, reason, row) "
      "VALUES ('imp_1', 3, 'no event', 'a,b,c')");
  EXPECT_EQ(app->query("SELECT line, reason, row FROM cld_import_unrepresented").text(0, 2),
            "a,b,c");
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM cld_import_rows"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE cld_import_rows SET row_key = 'k'"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE cld_imports SET report = ''"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM cld_import_unrepresented"); }), "42501");

  // What the store is installed as is the owner's to write (install_store), read alone here.
  EXPECT_FALSE(app->query("SELECT ddl FROM read_model_schema").text(0, 0).empty());
  EXPECT_EQ(sqlstate_of([&] { app->run("UPDATE read_model_schema SET ddl = '-- ddl'"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("DELETE FROM read_model_schema"); }), "42501");
  EXPECT_EQ(sqlstate_of([&] { app->run("INSERT INTO read_model_schema VALUES ('-- ddl')"); }),
            "42501");
  // A day number before 1970, pence beyond 32 bits.
  app->run(
      "INSERT INTO rm_attention VALUES (2024, 'plc_1', 19800, NULL, 'review', 'north', 'per_1', "
      "'north', -3650, 250000000000, 'Ada', 'Lovelace', -56000)");
  const auto attention = app->query("SELECT weekly_cost_pence, started_on FROM rm_attention");
  EXPECT_EQ(attention.integer(0, 0), 250000000000);
  EXPECT_EQ(attention.integer(0, 1), -3650);
  app->run("DELETE FROM rm_attention WHERE person_id = 'per_1'");
  const char* total =
      "INSERT INTO rm_totals (scope, counter, level, bucket, key, value) "
      "VALUES ('north', 1, 0, 19800, 0, $1) ON CONFLICT (scope, counter, level, bucket, key) "
      "DO UPDATE SET value = rm_totals.value + excluded.value RETURNING value";
  app->query(total, {"2"});
  EXPECT_EQ(app->query(total, {"3"}).integer(0, 0), 5);
  app->run("DELETE FROM rm_totals WHERE value = 5");
  EXPECT_EQ(sqlstate_of([&] { app->run("TRUNCATE rm_waiting"); }), "42501");
}

// The tables, as SQLite's information about them reads: for each column its name, type (the
// PostgreSQL one), whether NOT NULL (a key's columns are) and its place in the primary key;
// each index by name with its columns, a UNIQUE constraint's by its columns; each foreign key.
// The columns in their order (an INSERT without a column list, a copy), the rest sorted.
std::vector<std::string> sqlite_shape(persistence::Connection& db, const std::string& table) {
  std::vector<std::string> out;
  const std::map<std::string, std::string> type_here{{"INTEGER", "bigint"}, {"TEXT", "text"}};
  SQLite::Statement columns(persistence::sqlite(db),
                            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)");
  columns.bind(1, table);
  while (columns.executeStep()) {
    const bool keyed = columns.getColumn(3).getInt() > 0;
    out.push_back(columns.getColumn(0).getString() + " " +
                  type_here.at(columns.getColumn(1).getString()) +
                  (columns.getColumn(2).getInt() != 0 || keyed ? " not null" : "") +
                  (keyed ? " key " + columns.getColumn(3).getString() : ""));
  }
  const auto columns_end = out.size();
  SQLite::Statement indexes(
      persistence::sqlite(db),
      "SELECT l.name, l.\"unique\", l.origin, group_concat(i.name, ', ') FROM "
      "pragma_index_list(?1) l, pragma_index_info(l.name) i WHERE l.origin <> 'pk' "
      "GROUP BY l.name ORDER BY l.name");
  indexes.bind(1, table);
  while (indexes.executeStep()) {
    const std::string cols = indexes.getColumn(3).getString();
    if (indexes.getColumn(2).getString() == "u") {
      out.push_back("unique (" + cols + ")");
    } else {
      out.push_back("index " + indexes.getColumn(0).getString() +
                    (indexes.getColumn(1).getInt() != 0 ? " unique" : "") + " (" + cols + ")");
    }
  }
  SQLite::Statement keys(persistence::sqlite(db),
                         "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)");
  keys.bind(1, table);
  while (keys.executeStep()) {
    out.push_back("references " + keys.getColumn(0).getString() + " " +
                  keys.getColumn(1).getString() + " (" + keys.getColumn(2).getString() + ")");
  }
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(columns_end), out.end());
  return out;
}

std::vector<std::string> postgres_shape(pg::Connection& db, const std::string& table) {
  std::vector<std::string> out;
  const auto columns = db.query(
      "SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || "
      "CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || COALESCE(' key ' || "
      "(SELECT k.n FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, n) "
      "WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum), '') "
      "FROM pg_attribute a "
      "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {table});
  for (int i = 0; i < columns.rows(); ++i) out.push_back(columns.text(i, 0));
  const auto columns_end = out.size();
  const auto indexes = db.query(
      "SELECT CASE WHEN c.conname IS NOT NULL THEN 'unique (' ELSE 'index ' || x.relname || "
      "CASE WHEN i.indisunique THEN ' unique' ELSE '' END || ' (' END || "
      "(SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(i.indkey::int2[]) "
      "WITH ORDINALITY AS k (attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid "
      "AND a.attnum = k.attnum) || ')' FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
      "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'u' "
      "WHERE i.indrelid = $1::regclass AND NOT i.indisprimary",
      {table});
  for (int i = 0; i < indexes.rows(); ++i) out.push_back(indexes.text(i, 0));
  const auto keys = db.query(
      "SELECT 'references ' || a.attname || ' ' || c.confrelid::regclass::text || ' (' || "
      "f.attname || ')' FROM pg_constraint c "
      "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
      "JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1] "
      "WHERE c.conrelid = $1::regclass AND c.contype = 'f'",
      {table});
  for (int i = 0; i < keys.rows(); ++i) out.push_back(keys.text(i, 0));
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(columns_end), out.end());
  return out;
}

TEST_F(PgSchema, TheTablesAreTheSQLiteStoresColumnForColumn) {
  auto sqlite = persistence::open_writer(":memory:");
  for (const auto& table : store_tables) {
    SCOPED_TRACE(table);
    const auto here = postgres_shape(*owner, table);
    EXPECT_FALSE(here.empty());
    EXPECT_EQ(here, sqlite_shape(*sqlite, table));
  }
  // And no other table, but the log's.
  const auto r = owner->query(
      "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables "
      "WHERE schemaname = 'public' AND tablename <> ALL ($1::text[])",
      {"{event_rows,log,unsequenced,idempotency_keys}"});
  std::vector<std::string> sorted = store_tables;
  std::sort(sorted.begin(), sorted.end());
  std::string expected;
  for (const auto& t : sorted) expected += (expected.empty() ? "" : " ") + t;
  EXPECT_EQ(r.text(0, 0), expected);
}

TEST_F(PgSchemaOnANewDatabase, IsRefusedBeforeTheLogAndLeavesNothing) {
  EXPECT_THROW(pg::install_store_schema(*owner, app_role()), std::logic_error);
  EXPECT_EQ(owner->query("SELECT to_regclass('users') IS NULL").text(0, 0), "t");
  pg::install_log_schema(*owner, app_role());
  EXPECT_THROW(pg::install_store_schema(*owner, "app; DROP TABLE log"), std::invalid_argument);
  pg::install_store_schema(*owner, app_role());
  EXPECT_EQ(app->query("SELECT COUNT(*) FROM users").integer(0, 0), 0);
}

TEST_F(PgSchemaOnANewDatabase, TwoInstancesInstallingAtOnceBothSucceed) {
  pg::install_log_schema(*owner, app_role());
  // Both start while a third holds the install's lock, and are let go together.
  owner->run("BEGIN; SELECT pg_advisory_xact_lock(hashtext('careledger store schema'))");
  auto install = [&] {
    pg::Connection db(url_as(owner_role()));
    pg::install_store_schema(db, app_role());
  };
  auto first = std::async(std::launch::async, install);
  auto second = std::async(std::launch::async, install);
  EXPECT_TRUE(until_waiting(2));
  owner->run("COMMIT");
  EXPECT_NO_THROW(first.get());
  EXPECT_NO_THROW(second.get());
  EXPECT_EQ(app->query("SELECT COUNT(*) FROM access_log").integer(0, 0), 0);
}

}  // namespace
}  // namespace careledger::testing
