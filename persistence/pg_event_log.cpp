#include "persistence/pg_event_log.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <regex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "persistence/event_codec.hpp"
#include "persistence/projections.hpp"

namespace careledger::persistence::pg {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE event_rows (
  event_uid   BIGSERIAL PRIMARY KEY,  -- CACHE 1: every session's next is above every earlier one
  event_id    TEXT NOT NULL UNIQUE,
  stream_id   TEXT NOT NULL,
  version     BIGINT NOT NULL,
  type        TEXT NOT NULL,
  occurred_on TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  team        TEXT NOT NULL,
  person_id   TEXT,
  data        TEXT NOT NULL,
  origin      TEXT,
  CONSTRAINT events_stream_version UNIQUE (stream_id, version)
);
CREATE TABLE log (
  position    BIGINT PRIMARY KEY,
  event_uid   BIGINT NOT NULL UNIQUE REFERENCES event_rows (event_uid),
  recorded_at TEXT NOT NULL
);
CREATE TABLE unsequenced (
  event_uid BIGINT PRIMARY KEY
);
CREATE INDEX event_rows_by_person ON event_rows (person_id);
CREATE INDEX log_by_recorded_at ON log (recorded_at);
CREATE TABLE idempotency_keys (
  user_name    TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  stream_id    TEXT NOT NULL,
  version      BIGINT NOT NULL,
  CONSTRAINT idempotency_keys_claim PRIMARY KEY (user_name, key)
);
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the log is append-only: % of % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON event_rows
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_not_truncated BEFORE TRUNCATE ON event_rows
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE ON log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER log_not_truncated BEFORE TRUNCATE ON log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
-- Every event inserted is queued for sequencing, by the owner's rights: the role careledger
-- connects with can neither queue nor unqueue an event, nor write a position.
CREATE FUNCTION careledger_queue() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO unsequenced (event_uid) SELECT event_uid FROM added;
  RETURN NULL;
END $$;
CREATE TRIGGER events_queued AFTER INSERT ON event_rows REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION careledger_queue();
-- The sequencer: under its lock, the queued events that are committed take the next positions,
-- in the order they were inserted, with recorded_at from the database's clock. Each statement
-- reads a snapshot taken after the lock was granted, so it sees what every earlier sequencing
-- committed, and an event committed after that snapshot is left for the next.
CREATE FUNCTION careledger_sequence() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
DECLARE
  stamped bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7261637265646765);
  WITH done AS (DELETE FROM unsequenced RETURNING event_uid),
       head AS (SELECT COALESCE(MAX(position), 0) AS p FROM log)
  INSERT INTO log (position, event_uid, recorded_at)
  SELECT head.p + row_number() OVER (ORDER BY done.event_uid), done.event_uid,
         to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    FROM done, head;
  GET DIAGNOSTICS stamped = ROW_COUNT;
  RETURN stamped;
END $$;
REVOKE ALL ON event_rows, log, unsequenced, idempotency_keys FROM PUBLIC;
REVOKE ALL ON FUNCTION careledger_queue(), careledger_sequence() FROM PUBLIC;
)sql";

// The log as the SQL shared with SQLite reads it. An event not yet sequenced has no position
// (NULL, so never after a reader's) and no recorded_at; it is only seen by the transaction that
// inserts it (whose projections read its stream) and, in the moment between its commit and its
// sequencing, by a reader of its stream.
constexpr const char* events_view = R"sql(
CREATE OR REPLACE VIEW events AS
  SELECT l.position, e.event_id, e.stream_id, e.version, e.type, e.occurred_on, l.recorded_at,
         e.recorded_by, e.team, e.person_id, e.data, e.origin
    FROM event_rows e LEFT JOIN log l ON l.event_uid = e.event_uid
)sql";

constexpr const char* record_columns =
    "SELECT COALESCE(l.position, 0), e.event_id, e.stream_id, e.version, e.type, e.occurred_on, "
    "COALESCE(l.recorded_at, ''), e.recorded_by, e.team, e.person_id, e.data, e.origin ";

std::vector<EventRecord> records(const Result& r) {
  std::vector<EventRecord> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    EventRecord e;
    e.position = r.integer(i, 0);
    e.event_id = r.text(i, 1);
    e.stream_id = r.text(i, 2);
    e.version = Version{r.integer(i, 3)};
    e.type = r.text(i, 4);
    e.occurred_on = domain::parse_date(r.text(i, 5)).value();
    e.recorded_at = r.text(i, 6);
    e.recorded_by = r.text(i, 7);
    e.team = domain::Team{r.text(i, 8)};
    if (auto person = r.optional_text(i, 9)) e.person_id = domain::PersonId{*person};
    e.data = r.text(i, 10);
    e.event = decode_event(e.type, e.data);
    e.origin = r.optional_text(i, 11);
    out.push_back(std::move(e));
  }
  return out;
}

// Inserts a stream's events after `version`, queued for sequencing; their records (positions
// to come) and uids.
Version insert_events(Connection& db, const std::string& stream_id, Version version,
                      const std::vector<PendingEvent>& events, const AppendRequest& request,
                      std::vector<EventRecord>& out, std::vector<std::string>& uids) {
  for (const auto& pending : events) {
    version = version.next();
    EventRecord r =
        new_record(pending, stream_id, version, request.recorded_by, "", request.origin);
    const auto inserted = db.query(
        "INSERT INTO event_rows (event_id, stream_id, version, type, occurred_on, recorded_by, "
        "team, "
        "person_id, data, origin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "RETURNING event_uid",
        {r.event_id, r.stream_id, std::to_string(version.value()), r.type,
         domain::format_date(r.occurred_on), r.recorded_by, r.team.str(),
         r.person_id ? Param(r.person_id->str()) : std::nullopt, r.data, r.origin});
    uids.push_back(inserted.text(0, 0));
    out.push_back(std::move(r));
  }
  return version;
}

std::optional<IdempotencyRecord> find_claim(Connection& db, const IdempotencyClaim& claim) {
  const auto r = db.query(
      "SELECT request_hash, stream_id, version FROM idempotency_keys "
      "WHERE user_name = $1 AND key = $2",
      {claim.user_name, claim.key});
  if (r.rows() == 0) return std::nullopt;
  return IdempotencyRecord{r.text(0, 0), r.text(0, 1), Version{r.integer(0, 2)}};
}

bool violates(const Error& e, std::string_view constraint) {
  return e.sqlstate() == "23505" &&
         std::string_view(e.what()).find(constraint) != std::string_view::npos;
}

}  // namespace

void install_log_schema(Connection& owner, const std::string& app_role) {
  static const std::regex plain("[a-z_][a-z0-9_]{0,62}");
  if (!std::regex_match(app_role, plain)) {
    throw std::invalid_argument("a role is named with a-z 0-9 _: " + app_role);
  }
  Transaction tx(owner);
  owner.run(schema);
  owner.run(events_view);
  owner.run("GRANT SELECT ON event_rows, log, unsequenced, events TO " + app_role +
            "; GRANT INSERT (event_id, stream_id, version, type, occurred_on, recorded_by, team, "
            "person_id, data, origin) ON event_rows TO " +
            app_role + "; GRANT SELECT, INSERT ON idempotency_keys TO " + app_role +
            "; GRANT USAGE ON SEQUENCE event_rows_event_uid_seq TO " + app_role +
            "; GRANT EXECUTE ON FUNCTION careledger_sequence() TO " + app_role);
  tx.commit();
}

void install_events_view(Connection& owner, const std::string& app_role) {
  owner.run(events_view);
  // The queue read too: the events it holds are committed (to a reader who sees them) but not
  // yet stamped, which an "as known at" figure counts as recorded after its moment
  // (event_store.cpp). Granted here too for a log installed before it was granted with it.
  owner.run("GRANT SELECT ON events, unsequenced TO " + app_role);
}

std::size_t sequence(Connection& db) {
  return static_cast<std::size_t>(db.query("SELECT careledger_sequence()").integer(0, 0));
}

namespace {

// The append's decision and inserts, in the caller's transaction; `inserted` gains its events'
// uids. Throws Error as PostgreSQL refuses a row.
AppendResult try_append(Connection& db, const AppendRequest& request,
                        std::vector<std::string>& inserted) {
  if (request.claim) {
    if (auto first = find_claim(db, *request.claim)) return IdempotentRepeat{*first};
  }
  const Version current = stream_version(db, request.stream_id);
  if (!expected_version_holds(request.expected, current)) return WrongExpectedVersion{current};
  for (const auto& stream : request.new_streams) {
    if (stream_version(db, stream.stream_id) != Version{}) return WrongExpectedVersion{current};
  }
  Appended appended;
  appended.version = insert_events(db, request.stream_id, current, request.events, request,
                                   appended.records, inserted);
  for (const auto& stream : request.new_streams) {
    insert_events(db, stream.stream_id, Version{}, stream.events, request, appended.records,
                  inserted);
  }
  if (request.claim) {
    db.query(
        "INSERT INTO idempotency_keys (user_name, key, request_hash, stream_id, version) "
        "VALUES ($1, $2, $3, $4, $5)",
        {request.claim->user_name, request.claim->key, request.claim->request_hash,
         request.stream_id, std::to_string(appended.version.value())});
  }
  return appended;
}

// What an instance does with an append once its events are inserted, inside its transaction:
// the caller's write beside them, then the read models (Projector); each person is locked before
// their recount, so that two instances never derive one person's kept state from each other's
// half.
struct AfterInsert {
  const Projector* projector = nullptr;  // none: the log alone (a bench, the log's tests)
  Recount* recount = nullptr;
};

// Locks the people the records name, in one order for every instance (so two batches wait for
// each other rather than deadlock), until the transaction ends.
void lock_people(Connection& db, const std::vector<const Appended*>& appended) {
  std::vector<std::string> people;
  for (const auto* a : appended) {
    for (const auto& r : a->records) {
      if (r.person_id) people.push_back(r.person_id->str());
    }
  }
  if (people.empty()) return;
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  std::vector<Param> params(people.begin(), people.end());
  db.query(
      "SELECT pg_advisory_xact_lock(hashtextextended(p, 7261637265646765)) "
      "FROM unnest($1::text[]) WITH ORDINALITY AS u (p, n) ORDER BY n",
      {text_array(params)});
}

// The records through the projector, in log order: the default one projects them all at once
// (project_all: each kind's rows read together and saved together), another one by one.
void project_records(Connection& db, const AfterInsert& after,
                     const std::vector<const EventRecord*>& records) {
  if (after.projector == nullptr || !*after.projector) return;
  using Plain = void (*)(persistence::Connection&, const EventRecord&, Recount&);
  if (const auto* plain = after.projector->target<Plain>();
      plain != nullptr && *plain == &default_projector) {
    project_all(db, records, *after.recount);
    return;
  }
  for (const auto* record : records) (*after.projector)(db, *record, *after.recount);
}

void after_insert(Connection& db, const AfterInsert& after, const AppendRequest& request,
                  const Appended& appended) {
  if (request.beside) request.beside(db);
  std::vector<const EventRecord*> records;
  for (const auto& record : appended.records) records.push_back(&record);
  project_records(db, after, records);
}

// One append inside the caller's transaction, behind a savepoint, so that a refused one leaves
// the others of its transaction standing. `uids` gains its events' uids when it is Appended.
AppendResult append_in(Connection& db, const AppendRequest& request, const AfterInsert& after,
                       std::vector<std::string>& uids) {
  for (int attempt = 1;; ++attempt) {
    db.run("SAVEPOINT append");
    std::vector<std::string> inserted;
    AppendResult result;
    try {
      result = try_append(db, request, inserted);
      if (const auto* appended = std::get_if<Appended>(&result)) {
        lock_people(db, {appended});
        after_insert(db, after, request, *appended);
      }
    } catch (const Error& e) {
      db.run("ROLLBACK TO SAVEPOINT append; RELEASE SAVEPOINT append");
      // Another append won the race (its transaction committed first): answered as if it had
      // come first, which it did; an append expecting any version stands whatever else is
      // recorded, so it is made again after the one that won.
      if (violates(e, "events_stream_version")) {
        if (request.expected.kind == ExpectedVersion::Kind::any && attempt < 10) continue;
        return WrongExpectedVersion{stream_version(db, request.stream_id)};
      }
      if (request.claim && violates(e, "idempotency_keys_claim")) {
        if (auto first = find_claim(db, *request.claim)) return IdempotentRepeat{*first};
      }
      throw;
    } catch (...) {  // none of this append stays in the transaction
      db.run("ROLLBACK TO SAVEPOINT append; RELEASE SAVEPOINT append");
      throw;
    }
    db.run("RELEASE SAVEPOINT append");
    uids.insert(uids.end(), inserted.begin(), inserted.end());
    return result;
  }
}

// A write beside the log (a user, a team, an access-log entry) behind its own savepoint.
void write_in(Connection& db, const std::function<void(persistence::Connection&)>& write) {
  db.run("SAVEPOINT write");
  try {
    write(db);
  } catch (...) {
    db.run("ROLLBACK TO SAVEPOINT write; RELEASE SAVEPOINT write");
    throw;
  }
  db.run("RELEASE SAVEPOINT write");
}

// After the appends' commit: each Appended one's records given their positions and
// recorded_at, once sequenced (by this call or another's; an older append still open holds it
// up until it ends).
void await_positions(Connection& db, std::vector<AppendResult>& results,
                     const std::vector<std::string>& uids, int wait_for_sequence_ms) {
  if (uids.empty()) return;
  std::string array = "{";
  for (const auto& uid : uids) array += (array.size() > 1 ? "," : "") + uid;
  array += "}";
  const auto started = std::chrono::steady_clock::now();
  for (auto pause = std::chrono::microseconds{200};;
       pause = std::min(pause * 2, std::chrono::microseconds{20'000})) {
    sequence(db);
    const auto r = db.query(
        "SELECT l.position, l.recorded_at, l.event_uid FROM log l "
        "WHERE l.event_uid = ANY($1::bigint[])",
        {array});
    if (static_cast<std::size_t>(r.rows()) == uids.size()) {
      std::unordered_map<std::string, int> row_of;
      for (int row = 0; row < r.rows(); ++row) row_of.emplace(r.text(row, 2), row);
      // `uids` are in the order of the results' records.
      std::size_t next = 0;
      for (auto& result : results) {
        auto* appended = std::get_if<Appended>(&result);
        if (appended == nullptr) continue;
        for (auto& record : appended->records) {
          const int row = row_of.at(uids.at(next++));
          record.position = r.integer(row, 0);
          record.recorded_at = r.text(row, 1);
        }
      }
      return;
    }
    if (std::chrono::steady_clock::now() - started >
        std::chrono::milliseconds(wait_for_sequence_ms)) {
      throw Error(
          "the append is committed but the log's sequence is held up by an older "
          "transaction still open",
          "");
    }
    std::this_thread::sleep_for(pause);
  }
}

// The batch in a few statements rather than a few per append: the claims and the streams'
// versions read at once, the appends decided here in order (as the savepoint path would decide
// them), then every event and claim inserted by one statement each. nullopt when an insert
// meets a row another instance is committing (a unique index): the caller rolls the
// transaction back and takes the savepoint path, which answers each append on its own.
std::optional<std::vector<AppendResult>> append_batch(
    Connection& db, const std::vector<const AppendRequest*>& batch,
    std::vector<std::string>& uids) {
  std::vector<Param> streams, users, keys;
  for (const auto* request : batch) {
    streams.push_back(request->stream_id);
    for (const auto& stream : request->new_streams) streams.push_back(stream.stream_id);
    if (request->claim) {
      users.push_back(request->claim->user_name);
      keys.push_back(request->claim->key);
    }
  }
  std::map<std::string, Version> versions;
  const auto held = db.query(
      "SELECT stream_id, MAX(version) FROM event_rows WHERE stream_id = ANY($1::text[]) "
      "GROUP BY stream_id",
      {text_array(streams)});
  for (int row = 0; row < held.rows(); ++row) {
    versions[held.text(row, 0)] = Version{held.integer(row, 1)};
  }
  std::map<std::pair<std::string, std::string>, IdempotencyRecord> claims;
  if (!users.empty()) {
    const auto found = db.query(
        "SELECT k.user_name, k.key, k.request_hash, k.stream_id, k.version "
        "FROM idempotency_keys k JOIN unnest($1::text[], $2::text[]) AS c (user_name, key) "
        "ON k.user_name = c.user_name AND k.key = c.key",
        {text_array(users), text_array(keys)});
    for (int row = 0; row < found.rows(); ++row) {
      claims[{found.text(row, 0), found.text(row, 1)}] =
          IdempotencyRecord{found.text(row, 2), found.text(row, 3), Version{found.integer(row, 4)}};
    }
  }

  std::vector<AppendResult> results;
  // The rows to insert, column by column.
  std::vector<Param> ids, stream_ids, numbers, types, days, by, teams, people, data, origins;
  std::vector<Param> claim_users, claim_keys, claim_hashes, claim_streams, claim_versions;
  auto version_of = [&](const std::string& stream) {
    const auto it = versions.find(stream);
    return it == versions.end() ? Version{} : it->second;
  };
  auto add = [&](const AppendRequest& request, const std::string& stream, Version version,
                 const std::vector<PendingEvent>& events, Appended& appended) {
    for (const auto& pending : events) {
      version = version.next();
      EventRecord r = new_record(pending, stream, version, request.recorded_by, "", request.origin);
      ids.push_back(r.event_id);
      stream_ids.push_back(stream);
      numbers.push_back(std::to_string(version.value()));
      types.push_back(r.type);
      days.push_back(domain::format_date(r.occurred_on));
      by.push_back(r.recorded_by);
      teams.push_back(r.team.str());
      people.push_back(r.person_id ? Param(r.person_id->str()) : std::nullopt);
      data.push_back(r.data);
      origins.push_back(r.origin);
      appended.records.push_back(std::move(r));
    }
    versions[stream] = version;
    return version;
  };
  for (const auto* request : batch) {
    if (request->claim) {
      const auto it = claims.find({request->claim->user_name, request->claim->key});
      if (it != claims.end()) {
        results.push_back(IdempotentRepeat{it->second});
        continue;
      }
    }
    const Version current = version_of(request->stream_id);
    bool ok = expected_version_holds(request->expected, current);
    for (const auto& stream : request->new_streams)
      ok = ok && version_of(stream.stream_id) == Version{};
    if (!ok) {
      results.push_back(WrongExpectedVersion{current});
      continue;
    }
    Appended appended;
    appended.version = add(*request, request->stream_id, current, request->events, appended);
    for (const auto& stream : request->new_streams) {
      add(*request, stream.stream_id, Version{}, stream.events, appended);
    }
    if (request->claim) {
      const IdempotencyRecord first{request->claim->request_hash, request->stream_id,
                                    appended.version};
      claims[{request->claim->user_name, request->claim->key}] = first;
      claim_users.push_back(request->claim->user_name);
      claim_keys.push_back(request->claim->key);
      claim_hashes.push_back(request->claim->request_hash);
      claim_streams.push_back(request->stream_id);
      claim_versions.push_back(std::to_string(appended.version.value()));
    }
    results.push_back(std::move(appended));
  }

  try {
    if (!ids.empty()) {
      const auto inserted = db.query(
          "INSERT INTO event_rows (event_id, stream_id, version, type, occurred_on, recorded_by, "
          "team, person_id, data, origin) SELECT * FROM unnest($1::text[], $2::text[], "
          "$3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], "
          "$10::text[]) RETURNING event_id, event_uid",
          {text_array(ids), text_array(stream_ids), text_array(numbers), text_array(types),
           text_array(days), text_array(by), text_array(teams), text_array(people),
           text_array(data), text_array(origins)});
      std::unordered_map<std::string, std::string> uid_of;
      for (int row = 0; row < inserted.rows(); ++row) {
        uid_of.emplace(inserted.text(row, 0), inserted.text(row, 1));
      }
      for (const auto& id : ids) uids.push_back(uid_of.at(*id));
    }
    if (!claim_users.empty()) {
      db.query(
          "INSERT INTO idempotency_keys (user_name, key, request_hash, stream_id, version) "
          "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])",
          {text_array(claim_users), text_array(claim_keys), text_array(claim_hashes),
           text_array(claim_streams), text_array(claim_versions)});
    }
  } catch (const Error& e) {
    // 23505: a row another instance committed first; 40P01, 40001: two batches taking rows in
    // opposite orders. Each append then gets its own answer.
    if (e.sqlstate() == "23505" || e.sqlstate() == "40P01" || e.sqlstate() == "40001") {
      return std::nullopt;
    }
    throw;
  }
  return results;
}

bool deadlocked(const Error& e) {
  return e.sqlstate() == "40P01" || e.sqlstate() == "40001";
}

// One piece of a batch: an append, or a write beside the log, or rows beside it.
struct Work {
  const AppendRequest* request = nullptr;
  const std::function<void(persistence::Connection&)>* write = nullptr;
  const RowBatch* rows = nullptr;
};

// The pieces' rows, a statement for all the rows of each: gathered afresh at each attempt.
void write_rows(Connection& db, const std::vector<Work>& work) {
  std::vector<RowBatch> batches;
  for (const auto& piece : work) {
    if (piece.rows == nullptr) continue;
    const auto same = std::find_if(batches.begin(), batches.end(), [&](const RowBatch& batch) {
      return batch.same_statement(*piece.rows);
    });
    if (same == batches.end()) {
      batches.push_back(*piece.rows);
    } else {
      same->add_rows_of(*piece.rows);
    }
  }
  for (auto& batch : batches) batch.write(db);
}

// The pieces' rows in the savepoint path: together behind one savepoint and, should that fail,
// each piece's behind its own, so that a row refused (say, text PostgreSQL will not take) refuses
// its piece alone. A deadlock is the whole transaction's.
void write_rows_in(Connection& db, const std::vector<Work>& work,
                   std::vector<std::exception_ptr>& refused) {
  if (std::none_of(work.begin(), work.end(), [](const Work& w) { return w.rows != nullptr; })) {
    return;
  }
  try {
    write_in(db, [&](persistence::Connection&) { write_rows(db, work); });
    return;
  } catch (const Error& e) {
    if (deadlocked(e)) throw;
  } catch (...) {
  }
  for (std::size_t i = 0; i < work.size(); ++i) {
    if (work[i].rows == nullptr) continue;
    try {
      write_in(db, [&](persistence::Connection&) {
        RowBatch rows = *work[i].rows;
        rows.write(db);
      });
    } catch (const Error& e) {
      if (deadlocked(e)) throw;
      refused[i] = std::current_exception();
    } catch (...) {
      refused[i] = std::current_exception();
    }
  }
}

// The batch in one transaction, then sequenced: the appends decided and inserted at once
// (append_batch), the read models projected, the writes and rows beside them made, then the
// people locked and recounted. When that meets another instance's rows, or any piece is refused,
// it is done again with each piece behind its own savepoint, so that each gets its own answer and
// a refused one leaves the others standing (and again whole, should two instances' batches
// deadlock).
// `refused[i]` is what refused the i-th piece alone, if anything did; a write answers Appended{}.
std::vector<AppendResult> commit_together(Connection& db, const std::vector<Work>& work,
                                          const AfterInsert& after,
                                          std::vector<std::exception_ptr>& refused,
                                          int wait_for_sequence_ms) {
  std::vector<AppendResult> results(work.size());
  refused.assign(work.size(), nullptr);
  std::vector<std::string> uids;
  bool together = false;
  try {
    std::vector<const AppendRequest*> appends;
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < work.size(); ++i) {
      if (work[i].request == nullptr) continue;
      appends.push_back(work[i].request);
      at.push_back(i);
    }
    Transaction tx(db);
    if (auto decided = append_batch(db, appends, uids)) {
      std::vector<const Appended*> appended;
      for (const auto& result : *decided) {
        if (const auto* a = std::get_if<Appended>(&result)) appended.push_back(a);
      }
      // Each append's write beside it, then every record projected at once.
      std::vector<const EventRecord*> records;
      for (std::size_t k = 0; k < appends.size(); ++k) {
        if (const auto* a = std::get_if<Appended>(&(*decided)[k])) {
          if (appends[k]->beside) appends[k]->beside(db);
          for (const auto& record : a->records) records.push_back(&record);
        }
      }
      project_records(db, after, records);
      for (const auto& piece : work) {
        if (piece.write != nullptr) (*piece.write)(db);
      }
      write_rows(db, work);
      // The people are locked only now, for their recount and the commit: what was projected
      // above is each record's own rows, which no other instance writes before this one commits
      // (it would have met this batch's events first, on the log's unique key). Locked earlier,
      // another instance's batch naming one of them would wait for the projections too. The
      // transaction is READ COMMITTED: each statement of the recount, after the lock, sees what
      // the lock's last holder committed.
      lock_people(db, appended);
      if (after.recount != nullptr) after.recount->run(db);
      tx.commit();
      for (std::size_t k = 0; k < appends.size(); ++k) results[at[k]] = std::move((*decided)[k]);
      together = true;
    }
  } catch (...) {  // a race, a deadlock or a refusal: each piece on its own, below
  }
  if (!together) {
    for (int attempt = 1;; ++attempt) {
      if (after.recount != nullptr) *after.recount = Recount{};
      uids.clear();
      results.assign(work.size(), AppendResult{});  // nothing of an earlier attempt stands
      refused.assign(work.size(), nullptr);
      try {
        Transaction tx(db);
        for (std::size_t i = 0; i < work.size(); ++i) {
          try {
            if (work[i].write != nullptr) {
              write_in(db, *work[i].write);
              results[i] = Appended{};
            } else if (work[i].rows != nullptr) {
              results[i] = Appended{};  // written with the others' below
            } else {
              results[i] = append_in(db, *work[i].request, after, uids);
            }
          } catch (const Error& e) {
            if (deadlocked(e)) throw;  // the whole transaction again
            refused[i] = std::current_exception();
          } catch (...) {  // this piece alone: its savepoint is rolled back
            refused[i] = std::current_exception();
          }
        }
        write_rows_in(db, work, refused);
        if (after.recount != nullptr) after.recount->run(db);
        tx.commit();
        break;
      } catch (const Error& e) {
        if (!deadlocked(e) || attempt >= 5) throw;
      }
    }
  }
  await_positions(db, results, uids, wait_for_sequence_ms);
  return results;
}

}  // namespace

AppendResult append(Connection& db, const AppendRequest& request, int wait_for_sequence_ms) {
  return append_all(db, {request}, wait_for_sequence_ms).front();
}

std::vector<AppendResult> append_all(Connection& db, const std::vector<AppendRequest>& requests,
                                     int wait_for_sequence_ms) {
  std::vector<Work> work;
  for (const auto& request : requests) work.push_back({&request, nullptr});
  std::vector<std::exception_ptr> refused;
  auto results = commit_together(db, work, AfterInsert{}, refused, wait_for_sequence_ms);
  for (const auto& why : refused) {
    if (why) std::rethrow_exception(why);
  }
  return results;
}

struct Writer::Job {
  AppendRequest request;
  std::function<void(persistence::Connection&)> write;  // when set, a write, not an append
  std::optional<RowBatch> rows;                         // when set, rows, not an append
  std::promise<AppendResult> done;
};

Writer::Writer(const std::string& url, Projector projector, std::size_t max_batch,
               std::chrono::milliseconds idle)
    : url_(url),
      db_(std::make_unique<Connection>(url)),
      projector_(std::move(projector)),
      max_batch_(max_batch),
      idle_(idle) {
  sequence(*db_);  // what a writer stopped between an append's commit and its sequencing left
  thread_ = std::thread([this] { run(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::vector<AppendResult> Writer::append_all(std::vector<AppendRequest> requests) {
  std::vector<Job> jobs(requests.size());
  std::vector<std::future<AppendResult>> answers;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < requests.size(); ++i) {
      jobs[i].request = std::move(requests[i]);
      answers.push_back(jobs[i].done.get_future());
      queue_.push_back(&jobs[i]);
    }
  }
  wake_.notify_one();
  std::vector<AppendResult> results;
  std::exception_ptr first;
  for (auto& answer : answers) {  // every one answered before the jobs go
    try {
      results.push_back(answer.get());
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
  return results;
}

AppendResult Writer::append(AppendRequest request) {
  std::vector<AppendRequest> one;
  one.push_back(std::move(request));
  return std::move(append_all(std::move(one)).front());
}

void Writer::write(const std::function<void(persistence::Connection&)>& write) {
  Job job;
  job.write = write;
  auto answer = job.done.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&job);
  }
  wake_.notify_one();
  answer.get();
}

void Writer::write_rows(RowBatch rows) {
  Job job;
  job.rows = std::move(rows);
  auto answer = job.done.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&job);
  }
  wake_.notify_one();
  answer.get();
}

void Writer::run() {
  for (;;) {
    std::vector<Job*> batch;
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait_for(lock, idle_, [&] { return stopping_ || !queue_.empty(); })) {
        lock.unlock();
        sequence_when_idle();
        continue;
      }
      if (queue_.empty()) return;  // stopping, and everything asked is answered
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    std::vector<Work> work;
    for (auto* job : batch) {
      if (job->write) {
        work.push_back({nullptr, &job->write, nullptr});
      } else if (job->rows) {
        work.push_back({nullptr, nullptr, &*job->rows});
      } else {
        work.push_back({&job->request, nullptr, nullptr});
      }
    }
    std::vector<AppendResult> results;
    std::vector<std::exception_ptr> refused;
    try {
      // A connection the server closed while it was idle (a restart) is dropped before the
      // batch, not found lost part-way through it.
      if (db_ && !db_->ok()) db_.reset();
      if (!db_) db_ = std::make_unique<Connection>(url_);
      results = commit_together(
          *db_, work, AfterInsert{&projector_, projector_ ? &recount_ : nullptr}, refused, 10'000);
    } catch (...) {  // the commit itself, or the connection: none of the batch is known kept
      // Each piece is answered with the error, never as appended: a batch whose connection was
      // lost during COMMIT may or may not be in the log (a repeat with its Idempotency-Key
      // tells). A COMMIT refused with the connection standing was rolled back, and is done
      // again piece by piece in commit_together.
      recount_ = Recount{};
      if (db_ && !db_->ok()) db_.reset();  // lost: the next batch connects again
      for (auto* job : batch) job->done.set_exception(std::current_exception());
      continue;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (refused[i]) {
        batch[i]->done.set_exception(refused[i]);
        continue;
      }
      if (const auto* appended = std::get_if<Appended>(&results[i])) {
        events_appended_ += appended->records.size();
      }
      batch[i]->done.set_value(std::move(results[i]));
    }
  }
}

// An append whose writer stopped between its commit and its sequencing (the process killed, the
// connection lost) has no position until the next append sequences it: a reader following the log
// would not see it meanwhile. An idle writer gives it its place. Nothing is lost if this fails
// (the server away): the next batch, or the next idle moment, does it.
void Writer::sequence_when_idle() {
  try {
    if (db_ && !db_->ok()) db_.reset();
    if (!db_) db_ = std::make_unique<Connection>(url_);
    sequence(*db_);
  } catch (...) {
    if (db_ && !db_->ok()) db_.reset();
  }
}

Writers::Writers(const std::string& url, Projector projector, std::size_t count) {
  for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i) {
    writers_.push_back(std::make_unique<Writer>(url, projector));
  }
}

Writer& Writers::writer_of(const AppendRequest& request) {
  const std::string* key = &request.stream_id;
  for (const auto& event : request.events) {
    if (event.person_id) {
      key = &event.person_id->str();
      break;
    }
  }
  return *writers_[std::hash<std::string>{}(*key) % writers_.size()];
}

AppendResult Writers::append(AppendRequest request) {
  Writer& writer = writer_of(request);
  return writer.append(std::move(request));
}

std::vector<AppendResult> Writers::append_all(std::vector<AppendRequest> requests) {
  if (requests.empty()) return {};
  Writer& writer = writer_of(requests.front());
  return writer.append_all(std::move(requests));
}

void Writers::write(const std::function<void(persistence::Connection&)>& write) {
  writers_[next_++ % writers_.size()]->write(write);
}

void Writers::write_rows(RowBatch rows) {
  writers_[next_++ % writers_.size()]->write_rows(std::move(rows));
}

std::uint64_t Writers::events_appended() const {
  std::uint64_t sum = 0;
  for (const auto& writer : writers_) sum += writer->events_appended();
  return sum;
}

std::vector<EventRecord> read_all(Connection& db, std::int64_t after_position, std::size_t limit) {
  return records(db.query(std::string(record_columns) +
                              "FROM log l JOIN event_rows e ON e.event_uid = l.event_uid "
                              "WHERE l.position > $1 ORDER BY l.position LIMIT $2",
                          {std::to_string(after_position), std::to_string(limit)}));
}

std::vector<EventRecord> read_stream(Connection& db, const std::string& stream_id) {
  return records(db.query(std::string(record_columns) +
                              "FROM event_rows e LEFT JOIN log l ON l.event_uid = e.event_uid "
                              "WHERE e.stream_id = $1 ORDER BY e.version",
                          {stream_id}));
}

Version stream_version(Connection& db, const std::string& stream_id) {
  const auto r = db.query("SELECT COALESCE(MAX(version), 0) FROM event_rows WHERE stream_id = $1",
                          {stream_id});
  return Version{r.integer(0, 0)};
}

std::int64_t last_position(Connection& db) {
  return db.query("SELECT COALESCE(MAX(position), 0) FROM log").integer(0, 0);
}

}  // namespace careledger::persistence::pg
