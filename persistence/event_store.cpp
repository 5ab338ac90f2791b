#include "persistence/event_store.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <random>

#include <SQLiteCpp/Statement.h>

#include "persistence/duplicate.hpp"
#include "persistence/event_codec.hpp"

namespace careledger::persistence {

namespace {

constexpr const char* select_columns =
    "SELECT position, event_id, stream_id, version, type, occurred_on, recorded_at, "
    "recorded_by, team, person_id, data, origin FROM events ";
const std::string sql_read_stream =
    std::string(select_columns) + "WHERE stream_id = ? AND version <= ? ORDER BY version";
const std::string sql_read_all =
    std::string(select_columns) + "WHERE position > ? ORDER BY position LIMIT ?";
// "As known at" a moment: an event without recorded_at (on PostgreSQL, one committed but not
// yet sequenced, recorded_at NULL) is recorded after any moment asked, so it is never known.
const std::string sql_read_all_known_at =
    std::string(select_columns) +
    "WHERE position > ? AND recorded_at IS NOT NULL AND recorded_at <= ? "
    "ORDER BY position LIMIT ?";
const std::string sql_read_person =
    std::string(select_columns) + "WHERE person_id = ? AND position > ? ORDER BY position LIMIT ?";
const std::string sql_read_person_known_at =
    std::string(select_columns) +
    "WHERE person_id = ? AND recorded_at IS NOT NULL AND recorded_at <= ? ORDER BY position";
// SQLite is told its index (its planner would otherwise scan the people's); its recorded_at is
// never NULL. PostgreSQL finds log_by_recorded_at itself, and the events not yet stamped
// (recorded after any moment asked) are those still queued for sequencing: found by the queue,
// which is small, not by a scan of the whole log for a missing position.
const EngineSql sql_people_recorded_after{
    "SELECT DISTINCT person_id FROM events INDEXED BY events_by_recorded_at "
    "WHERE recorded_at > ?",
    "SELECT person_id FROM events WHERE recorded_at > ? "
    "UNION SELECT e.person_id FROM unsequenced u JOIN event_rows e ON e.event_uid = u.event_uid"};
const std::string sql_find_event = std::string(select_columns) + "WHERE event_id = ?";
constexpr const char* sql_stream_version =
    "SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_id = ?";
constexpr const char* sql_find_idempotency =
    "SELECT request_hash, stream_id, version FROM idempotency_keys "
    "WHERE user_name = ? AND key = ?";
constexpr const char* sql_insert_event =
    "INSERT INTO events (event_id, stream_id, version, type, occurred_on, recorded_at, "
    "recorded_by, team, person_id, data, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* sql_insert_idempotency =
    "INSERT INTO idempotency_keys (user_name, key, request_hash, stream_id, version) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_name, key) DO NOTHING";

EventRecord to_record(Statement& q) {
  EventRecord r;
  r.position = q.getColumn(0).getInt64();
  r.event_id = q.getColumn(1).getString();
  r.stream_id = q.getColumn(2).getString();
  r.version = Version{q.getColumn(3).getInt64()};
  r.type = q.getColumn(4).getString();
  r.occurred_on = *domain::parse_date(q.getColumn(5).getString());
  r.recorded_at = q.getColumn(6).getString();
  r.recorded_by = q.getColumn(7).getString();
  r.team = domain::Team{q.getColumn(8).getString()};
  if (!q.getColumn(9).isNull()) r.person_id = domain::PersonId{q.getColumn(9).getString()};
  r.data = q.getColumn(10).getString();
  r.event = decode_event(r.type, r.data);
  if (!q.getColumn(11).isNull()) r.origin = q.getColumn(11).getString();
  return r;
}

std::vector<EventRecord> collect(Statement& q) {
  std::vector<EventRecord> out;
  while (q.executeStep()) out.push_back(to_record(q));
  return out;
}

}  // namespace

std::vector<EventRecord> read_stream(Connection& db, const std::string& stream_id,
                                     std::optional<Version> up_to) {
  Prepared q(db, sql_read_stream);
  q->bind(1, stream_id);
  q->bind(2, static_cast<std::int64_t>(up_to ? up_to->value() : INT64_MAX));
  return collect(q);
}

std::vector<EventRecord> read_all(Connection& db, std::int64_t after_position, std::size_t limit) {
  Prepared q(db, sql_read_all);
  q->bind(1, after_position);
  q->bind(2, sql_limit(limit));
  return collect(q);
}

std::vector<EventRecord> read_all_known_at(Connection& db, std::int64_t after_position,
                                           std::size_t limit, const std::string& recorded_at_max) {
  Prepared q(db, sql_read_all_known_at);
  q->bind(1, after_position);
  q->bind(2, recorded_at_max);
  q->bind(3, sql_limit(limit));
  return collect(q);
}

std::vector<domain::PersonId> people_recorded_after(Connection& db,
                                                    const std::string& recorded_at) {
  Prepared q(db, sql_people_recorded_after.of(db));
  q->bind(1, recorded_at);
  std::vector<domain::PersonId> people;
  while (q->executeStep()) {
    if (!q->getColumn(0).isNull()) people.emplace_back(q->getColumn(0).getString());
  }
  return people;
}

std::vector<EventRecord> read_person_events_known_at(Connection& db, const domain::PersonId& person,
                                                     const std::string& recorded_at_max) {
  Prepared q(db, sql_read_person_known_at);
  q->bind(1, person.str());
  q->bind(2, recorded_at_max);
  return collect(q);
}

std::vector<const EventRecord*> standing_events(const std::vector<EventRecord>& stream) {
  std::vector<std::string> voided;
  for (const auto& r : stream) {
    if (const auto* v = std::get_if<domain::EventVoided>(&r.event)) voided.push_back(v->event_id);
  }
  std::vector<const EventRecord*> out;
  for (const auto& r : stream) {
    if (std::holds_alternative<domain::EventVoided>(r.event)) continue;
    if (std::find(voided.begin(), voided.end(), r.event_id) != voided.end()) continue;
    out.push_back(&r);
  }
  return out;
}

std::vector<EventRecord> read_person_events(Connection& db, const domain::PersonId& person,
                                            std::int64_t after_position, std::size_t limit) {
  Prepared q(db, sql_read_person);
  q->bind(1, person.str());
  q->bind(2, after_position);
  q->bind(3, sql_limit(limit));
  return collect(q);
}

Version stream_version(Connection& db, const std::string& stream_id) {
  Prepared q(db, sql_stream_version);
  q->bind(1, stream_id);
  q->executeStep();
  return Version{q->getColumn(0).getInt64()};
}

namespace {
// Where the positions are: SQLite's events, PostgreSQL's log (its events are a view joining
// the log to the rows, whose MAX and COUNT would read the join).
const EngineSql positions{"events", "log"};
}  // namespace

std::int64_t event_count(Connection& db) {
  Prepared q(db, "SELECT COUNT(*) FROM " + positions.of(db));
  q->executeStep();
  return q->getColumn(0).getInt64();
}

std::int64_t last_position(Connection& db) {
  Prepared q(db, "SELECT COALESCE(MAX(position), 0) FROM " + positions.of(db));
  q->executeStep();
  return q->getColumn(0).getInt64();
}

std::optional<EventRecord> find_event(Connection& db, const std::string& event_id) {
  Prepared q(db, sql_find_event);
  q->bind(1, event_id);
  if (!q->executeStep()) return std::nullopt;
  return to_record(q);
}

std::optional<IdempotencyRecord> find_idempotency(Connection& db, const std::string& user_name,
                                                  const std::string& key) {
  Prepared q(db, sql_find_idempotency);
  q->bind(1, user_name);
  q->bind(2, key);
  if (!q->executeStep()) return std::nullopt;
  return IdempotencyRecord{q->getColumn(0).getString(), q->getColumn(1).getString(),
                           Version{q->getColumn(2).getInt64()}};
}

namespace {
// Inserts a stream's events after `version`; returns the stream's version after them.
Version insert_events(Connection& db, Statement& insert, const std::string& stream_id,
                      Version version, const std::vector<PendingEvent>& events,
                      const std::string& recorded_by, const std::string& recorded_at,
                      const std::optional<std::string>& origin, std::vector<EventRecord>& out) {
  for (const auto& pending : events) {
    version = version.next();
    EventRecord r = new_record(pending, stream_id, version, recorded_by, recorded_at, origin);
    insert.reset();
    insert.clearBindings();
    insert.bind(1, r.event_id);
    insert.bind(2, r.stream_id);
    insert.bind(3, static_cast<std::int64_t>(version.value()));
    insert.bind(4, r.type);
    insert.bind(5, domain::format_date(r.occurred_on));
    insert.bind(6, recorded_at);
    insert.bind(7, recorded_by);
    insert.bind(8, r.team.str());
    if (r.person_id) insert.bind(9, r.person_id->str());
    insert.bind(10, r.data);
    if (origin) insert.bind(11, *origin);
    insert.exec();
    r.position = sqlite(db).getLastInsertRowid();
    out.push_back(std::move(r));
  }
  return version;
}
}  // namespace

bool expected_version_holds(const ExpectedVersion& expected, Version current) {
  return expected.kind == ExpectedVersion::Kind::any ||
         (expected.kind == ExpectedVersion::Kind::no_stream && current == Version{}) ||
         (expected.kind == ExpectedVersion::Kind::exact && current == expected.version);
}

EventRecord new_record(const PendingEvent& pending, const std::string& stream_id, Version version,
                       const std::string& recorded_by, const std::string& recorded_at,
                       const std::optional<std::string>& origin) {
  return EventRecord{0,
                     new_event_id(),
                     stream_id,
                     version,
                     std::string(domain::event_type(pending.event)),
                     domain::occurred_on(pending.event),
                     recorded_at,
                     recorded_by,
                     pending.team,
                     pending.person_id,
                     encode_event(pending.event),
                     pending.event,
                     origin};
}

std::string new_event_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  const auto hi = (ms << 16) | (rng() & 0xffff);
  const auto lo = rng();
  std::array<unsigned char, 16> b{};
  for (int i = 0; i < 8; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(hi >> (8 * (7 - i)));
    b[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(lo >> (8 * (7 - i)));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x70);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 0x0f];
  }
  return out;
}

AppendResult append_in_transaction(Connection& db, const AppendRequest& request,
                                   const std::string& recorded_at) {
  if (request.claim) {
    if (auto first = find_idempotency(db, request.claim->user_name, request.claim->key)) {
      return IdempotentRepeat{*first};
    }
  }
  const Version current = stream_version(db, request.stream_id);
  if (!expected_version_holds(request.expected, current)) return WrongExpectedVersion{current};
  for (const auto& stream : request.new_streams) {
    if (stream_version(db, stream.stream_id) != Version{}) return WrongExpectedVersion{current};
  }

  Prepared insert(db, sql_insert_event);
  Appended appended;
  appended.version =
      insert_events(db, *insert, request.stream_id, current, request.events, request.recorded_by,
                    recorded_at, request.origin, appended.records);
  for (const auto& stream : request.new_streams) {
    insert_events(db, *insert, stream.stream_id, Version{}, stream.events, request.recorded_by,
                  recorded_at, request.origin, appended.records);
  }
  if (request.claim) {
    record_idempotency(db, *request.claim, request.stream_id, appended.version);
  }
  if (request.beside) request.beside(db);
  return appended;
}

void record_idempotency(Connection& db, const IdempotencyClaim& claim, const std::string& stream_id,
                        Version version) {
  Prepared insert(db, sql_insert_idempotency);
  insert->bind(1, claim.user_name);
  insert->bind(2, claim.key);
  insert->bind(3, claim.request_hash);
  insert->bind(4, stream_id);
  insert->bind(5, static_cast<std::int64_t>(version.value()));
  if (insert->exec() == 0) throw Duplicate("this Idempotency-Key was used already");
}

}  // namespace careledger::persistence
