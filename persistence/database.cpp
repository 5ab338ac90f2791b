#include "persistence/database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <array>
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "persistence/pg_connection.hpp"
#include "persistence/pg_schema.hpp"
#include "persistence/projections.hpp"
#include "persistence/read_models.hpp"

namespace careledger::persistence {

namespace {

// Entry i takes the schema from version i to i + 1.
// Forward-only migrations of the log, users and keys. The read-model tables they created up to
// version 6 are replaced by generated ones (ensure_read_models below).
constexpr std::array<std::string_view, 14> migrations{
    R"sql(
CREATE TABLE events (
  position    INTEGER PRIMARY KEY,
  event_id    TEXT    NOT NULL UNIQUE,
  stream_id   TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  occurred_on TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  recorded_by TEXT    NOT NULL,
  team        TEXT    NOT NULL,
  person_id   TEXT,
  data        TEXT    NOT NULL,
  UNIQUE (stream_id, version)
);
CREATE INDEX events_by_person ON events (person_id, position);
CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE idempotency_keys (
  user_name    TEXT    NOT NULL,
  key          TEXT    NOT NULL,
  request_hash TEXT    NOT NULL,
  stream_id    TEXT    NOT NULL,
  version      INTEGER NOT NULL,
  status       INTEGER NOT NULL,
  PRIMARY KEY (user_name, key)
) WITHOUT ROWID;

CREATE TABLE users (
  name       TEXT PRIMARY KEY,
  role       TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE user_teams (
  user_name TEXT NOT NULL REFERENCES users (name),
  team      TEXT NOT NULL,
  PRIMARY KEY (user_name, team)
) WITHOUT ROWID;

CREATE TABLE rm_people (
  id                     TEXT PRIMARY KEY,
  team                   TEXT NOT NULL,
  given_name             TEXT NOT NULL,
  family_name            TEXT NOT NULL,
  date_of_birth          TEXT NOT NULL,
  nhs_number             TEXT,
  client_type            TEXT NOT NULL,
  primary_support_reason TEXT,
  version                INTEGER NOT NULL
);
CREATE TABLE rm_assessments (
  id             TEXT PRIMARY KEY,
  person_id      TEXT NOT NULL,
  team           TEXT NOT NULL,
  kind           TEXT NOT NULL,
  requested_on   TEXT NOT NULL,
  priority       INTEGER NOT NULL,
  status         TEXT NOT NULL,
  allocated_to   TEXT,
  allocated_on   TEXT,
  completed_on   TEXT,
  eligible_needs INTEGER,
  closed_on      TEXT,
  closure_reason TEXT,
  version        INTEGER NOT NULL
);
CREATE INDEX rm_assessments_by_request ON rm_assessments (requested_on);
CREATE INDEX rm_assessments_by_completion ON rm_assessments (completed_on);
CREATE TABLE rm_allocations (
  assessment_id TEXT    NOT NULL,
  position      INTEGER NOT NULL,
  allocated_on  TEXT    NOT NULL,
  practitioner  TEXT    NOT NULL,
  PRIMARY KEY (assessment_id, position)
) WITHOUT ROWID;
)sql",
    R"sql(
CREATE TABLE rm_support_episodes (
  id         TEXT PRIMARY KEY,
  person_id  TEXT NOT NULL,
  team       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  setting    TEXT NOT NULL,
  delivery   TEXT NOT NULL,
  started_on TEXT NOT NULL,
  ended_on   TEXT,
  sequel     TEXT,
  version    INTEGER NOT NULL
);
CREATE INDEX rm_support_episodes_by_person ON rm_support_episodes (person_id, started_on);
CREATE TABLE rm_reviews (
  id          TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL,
  team        TEXT NOT NULL,
  reviewed_on TEXT NOT NULL,
  planned     INTEGER NOT NULL,
  outcome     TEXT NOT NULL,
  version     INTEGER NOT NULL
);
CREATE INDEX rm_reviews_by_person ON rm_reviews (person_id, reviewed_on);
)sql",
    R"sql(
CREATE TABLE rm_concerns (
  id          TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL,
  team        TEXT NOT NULL,
  received_on TEXT NOT NULL,
  source      TEXT NOT NULL,
  abuse_types TEXT NOT NULL,
  location    TEXT NOT NULL,
  decided_on  TEXT,
  outcome     TEXT,
  enquiry_id  TEXT,
  version     INTEGER NOT NULL
);
CREATE INDEX rm_concerns_by_received ON rm_concerns (received_on);
CREATE TABLE rm_enquiries (
  id                TEXT PRIMARY KEY,
  concern_id        TEXT NOT NULL,
  person_id         TEXT NOT NULL,
  team              TEXT NOT NULL,
  kind              TEXT NOT NULL,
  started_on        TEXT NOT NULL,
  concluded_on      TEXT,
  risk_identified   TEXT,
  risk_outcome      TEXT,
  outcomes_asked    TEXT,
  outcomes_achieved TEXT
);
CREATE INDEX rm_enquiries_by_started ON rm_enquiries (started_on);
)sql",
    R"sql(
CREATE TABLE rm_placements (
  id                 TEXT PRIMARY KEY,
  person_id          TEXT NOT NULL,
  team               TEXT NOT NULL,
  started_on         TEXT NOT NULL,
  weekly_cost_pence  INTEGER NOT NULL,
  property_disregard INTEGER NOT NULL,
  self_funding_on    TEXT,
  version            INTEGER NOT NULL
);
CREATE TABLE rm_agreements (
  id                         TEXT PRIMARY KEY,
  placement_id               TEXT NOT NULL,
  seq                        INTEGER NOT NULL,
  offered_on                 TEXT NOT NULL,
  signed_on                  TEXT,
  property_value_pence       INTEGER NOT NULL,
  prior_charges_pence        INTEGER NOT NULL,
  weekly_deferred_pence      INTEGER NOT NULL,
  interest_rate_basis_points INTEGER NOT NULL,
  declined_on                TEXT,
  terminated_on              TEXT,
  termination_reason         TEXT
);
CREATE INDEX rm_agreements_by_placement ON rm_agreements (placement_id, seq);
CREATE TABLE rm_agreement_movements (
  agreement_id TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  moved_on     TEXT    NOT NULL,
  amount_pence INTEGER NOT NULL,
  description  TEXT    NOT NULL,
  PRIMARY KEY (agreement_id, seq)
) WITHOUT ROWID;
)sql",
    R"sql(
CREATE INDEX rm_enquiries_by_concern ON rm_enquiries (concern_id);
)sql",
    // When an assessment stopped waiting (completed or closed, whichever came first), a concern
    // was decided and an enquiry concluded: figures as at a day read only what was still open
    // then, and a period's figures what happened in it, instead of all ten years of rows.
    R"sql(
CREATE INDEX rm_assessments_by_end ON rm_assessments (
  min(coalesce(completed_on, '9999-12-31'), coalesce(closed_on, '9999-12-31')), requested_on);
CREATE INDEX rm_concerns_by_decision ON rm_concerns (coalesce(decided_on, '9999-12-31'));
CREATE INDEX rm_enquiries_by_conclusion ON rm_enquiries (coalesce(concluded_on, '9999-12-31'));
)sql",
    // The generated read models' schema, as last created.
    R"sql(
CREATE TABLE read_model_schema (ddl TEXT NOT NULL);
)sql",
    // A key's repeat answers as its route does: no HTTP status is kept below the API.
    R"sql(
ALTER TABLE idempotency_keys DROP COLUMN status;
)sql",
    // Figures as known at a moment start from the people with something recorded after it.
    R"sql(
CREATE INDEX events_by_recorded_at ON events (recorded_at);
)sql",
    // The team register. A database made before it registers every team its log and its users
    // name, verbatim (the pattern for names applies to teams added from then on).
    R"sql(
CREATE TABLE teams (
  name       TEXT PRIMARY KEY,
  label      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO teams (name, label, created_at, created_by)
  SELECT team, team, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'upgrade'
    FROM (SELECT DISTINCT team FROM events UNION SELECT team FROM user_teams)
   WHERE team <> '';
)sql",
    // Users over the API: an id, disabled, when last seen; and every change to a user, with
    // who made it and when, kept and never changed.
    R"sql(
ALTER TABLE users ADD COLUMN id TEXT;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_seen_at TEXT;
UPDATE users SET id = 'usr_' || lower(hex(randomblob(12))) WHERE id IS NULL;
CREATE UNIQUE INDEX users_by_id ON users (id);
CREATE TABLE user_changes (
  position  INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  by        TEXT NOT NULL,
  user_name TEXT NOT NULL,
  change    TEXT NOT NULL,
  detail    TEXT NOT NULL
);
CREATE TRIGGER user_changes_are_never_updated BEFORE UPDATE ON user_changes
  BEGIN SELECT RAISE(ABORT, 'user changes are append-only'); END;
CREATE TRIGGER user_changes_are_never_deleted BEFORE DELETE ON user_changes
  BEGIN SELECT RAISE(ABORT, 'user changes are append-only'); END;
)sql",
    // Who read what: every request on a route that returns or addresses a person's record.
    R"sql(
CREATE TABLE access_log (
  position     INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  user         TEXT,
  role         TEXT,
  method       TEXT NOT NULL,
  route        TEXT NOT NULL,
  status       INTEGER NOT NULL,
  person_id    TEXT,
  filters      TEXT NOT NULL,
  people_shown INTEGER,
  request_id   TEXT NOT NULL,
  client       TEXT NOT NULL
);
CREATE INDEX access_log_by_person ON access_log (person_id, position);
CREATE INDEX access_log_by_user ON access_log (user, position);
CREATE TRIGGER access_log_is_never_updated BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_is_never_deleted BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
)sql",
    // Client Level Data imports (CLD.md §6): where an event came from, each file imported, the
    // key of each row's event, the people an LA id names, and the rows kept as sent.
    R"sql(
ALTER TABLE events ADD COLUMN origin TEXT;
CREATE TABLE cld_imports (
  id           TEXT PRIMARY KEY,
  file_sha256  TEXT NOT NULL UNIQUE,
  imported_by  TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  report       TEXT NOT NULL
);
CREATE TABLE cld_import_rows (
  row_key      TEXT PRIMARY KEY,
  stream_id    TEXT NOT NULL,
  period_end   TEXT NOT NULL,
  import_id    TEXT NOT NULL,
  line         INTEGER NOT NULL
);
CREATE TABLE cld_import_people (
  la_code      TEXT NOT NULL,
  la_id        TEXT NOT NULL,
  person_id    TEXT NOT NULL,
  PRIMARY KEY (la_code, la_id)
);
CREATE TABLE cld_import_unrepresented (
  import_id    TEXT NOT NULL,
  line         INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  row          TEXT NOT NULL,
  PRIMARY KEY (import_id, line)
);
)sql",
    // The dashboard's sessions: a hash of each session's id (the cookie's value), whose user it
    // is and which of their tokens signed it in, so a new token ends it.
    R"sql(
CREATE TABLE sessions (
  id_hash    TEXT PRIMARY KEY,
  user_name  TEXT NOT NULL REFERENCES users (name),
  token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
)sql",
};

// Each step re-reads the version inside its own write lock, so that two processes opening the
// same file at once run each migration once.
void migrate(Connection& db) {
  for (;;) {
    Transaction tx(db, Transaction::Mode::write);
    const int current = db.execAndGet("PRAGMA user_version").getInt();
    if (current > schema_version()) {
      throw std::runtime_error("the database is at schema version " + std::to_string(current) +
                               ", newer than this careledger's " +
                               std::to_string(schema_version()) + "; use a newer careledger");
    }
    if (current == schema_version()) return;  // rolled back: nothing was written
    db.exec(std::string(migrations[static_cast<std::size_t>(current)]));
    db.exec("PRAGMA user_version = " + std::to_string(current + 1));
    tx.commit();
  }
}

// Bumped by hand when a rule the projections write into a read model changes (what
// stopped_waiting_on or days_to_complete mean, a code's spelling) without changing the tables'
// shape: read models made under the old rule are then rebuilt too.
// 2: a person's stored contributions mark an open spell "x", not "-" (which read a day before
// 1970 as an open end).
// 3: rm_totals' level 2 sums a financial year (April to March), not a calendar year.
constexpr int read_model_generation = 3;

}  // namespace

std::string read_model_fingerprint() {
  std::string ddl = "-- generation " + std::to_string(read_model_generation) + "\n";
  for (const auto& table : read_model_tables()) ddl += table.create + ";\n";
  for (const auto& index : read_model_indexes()) ddl += index + ";\n";
  return ddl;
}

namespace {

bool read_models_current(Connection& db, const std::string& fingerprint) {
  Prepared stored(db, "SELECT ddl FROM read_model_schema");
  return stored->executeStep() && stored->getColumn(0).getString() == fingerprint;
}

// Read models are never migrated: when their declarations change, every read-model table is
// dropped, created as declared and filled again from the log, in one transaction (the log,
// users and keys are not touched; a crash part-way leaves the old tables, and the next open
// starts again). Checked again under the write lock, so two processes rebuild once.
void ensure_read_models(Connection& db) {
  const std::string fingerprint = read_model_fingerprint();
  if (read_models_current(db, fingerprint)) return;
  Transaction tx(db, Transaction::Mode::write);
  if (read_models_current(db, fingerprint)) return;
  for (const auto& table : read_model_tables())
    db.exec("DROP TABLE IF EXISTS \"" + table.name + "\"");
  db.exec(fingerprint);
  rebuild_read_models(db);
  db.exec("DELETE FROM read_model_schema");
  Prepared save(db, "INSERT INTO read_model_schema (ddl) VALUES (?)");
  save->bind(1, fingerprint);
  save->exec();
  tx.commit();
}

}  // namespace

int schema_version() {
  return static_cast<int>(migrations.size());
}

// The database and its -wal and -shm hold personal data: readable by their owner alone, a new
// file from its first byte, and one made before this rule as soon as it is opened. SQLite
// gives the -wal and -shm it creates the database's own mode.
namespace {
void keep_private(const std::string& path) {
  if (path.empty() || path == ":memory:") return;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  for (const auto& file : {path, path + "-wal", path + "-shm"}) {
    ::chmod(file.c_str(), 0600);  // absent files are no matter
  }
}
}  // namespace

bool is_postgresql(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::string sqlite_path(const std::string& url) {
  return url.starts_with("sqlite:") ? url.substr(std::string_view("sqlite:").size()) : url;
}

std::unique_ptr<Connection> open_writer(const std::string& url, Durability durability) {
  if (is_postgresql(url)) {
    auto db = std::make_unique<pg::Connection>(url);
    pg::check_store(*db);
    return db;
  }
  const std::string path = sqlite_path(url);
  keep_private(path);
  auto db = std::make_unique<SqliteConnection>(
      path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  db->database().setBusyTimeout(5000);
  db->exec("PRAGMA journal_mode = WAL");
  db->exec(durability == Durability::full ? "PRAGMA synchronous = FULL"
                                          : "PRAGMA synchronous = NORMAL");
  db->exec("PRAGMA foreign_keys = ON");
  // Each append runs in a savepoint, whose journal of overwritten pages stays in memory.
  db->exec("PRAGMA temp_store = MEMORY");
  // A load keeps one transaction open for thousands of appends: room for its pages, so that
  // they are written once at commit rather than spilled to the log as the cache fills.
  if (durability == Durability::bulk) db->exec("PRAGMA cache_size = -262144");
  migrate(*db);
  ensure_read_models(*db);
  return db;
}

std::unique_ptr<Connection> open_reader(const std::string& url) {
  if (is_postgresql(url)) return std::make_unique<pg::Connection>(url);
  const std::string path = sqlite_path(url);
  auto db = std::make_unique<SqliteConnection>(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
  db->database().setBusyTimeout(5000);
  return db;
}

std::uint64_t store_bytes(Readers& readers) {
  if (is_postgresql(readers.path())) {
    auto db = readers.acquire();
    return static_cast<std::uint64_t>(
        db->execAndGet("SELECT pg_database_size(current_database())").getInt64());
  }
  std::uint64_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(sqlite_path(readers.path()) + suffix, ec);
    if (!ec) bytes += size;
  }
  return bytes;
}

ReadLease::~ReadLease() {
  if (db_) pool_->release(std::move(db_));
}

// A connection the server has closed (PostgreSQL restarted) is dropped, never lent again: the
// next caller opens a new one, which works as soon as the server is back.
ReadLease ReaderPool::acquire() {
  std::vector<std::unique_ptr<Connection>> lost;  // closed outside the lock
  {
    std::lock_guard lock(mutex_);
    while (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      if (db->ok()) return ReadLease(*this, std::move(db));
      lost.push_back(std::move(db));
    }
  }
  lost.clear();
  return ReadLease(*this, open_reader(path_));
}

void ReaderPool::release(std::unique_ptr<Connection> db) {
  if (!db->ok()) return;  // closed here, outside the lock
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(db));
}

}  // namespace careledger::persistence
