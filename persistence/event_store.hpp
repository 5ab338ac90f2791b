#pragma once
// The append-only event log: what an append asks for and answers, and reading it back.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "persistence/connection.hpp"

#include "domain/events.hpp"

namespace careledger::persistence {

using domain::Version;

// An event as stored, with its envelope.
struct EventRecord {
  std::int64_t position = 0;  // global sequence
  std::string event_id;
  std::string stream_id;
  Version version;  // position within its stream, from 1
  std::string type;
  domain::Date occurred_on;
  std::string recorded_at;  // RFC 3339, UTC
  std::string recorded_by;
  domain::Team team;
  std::optional<domain::PersonId> person_id;
  std::string data;  // JSON
  domain::Event event;
  std::optional<std::string> origin;  // JSON: where it came from, for an imported event
};

// What the writer expects the stream's version to be before the append.
struct ExpectedVersion {
  enum class Kind { any, no_stream, exact };
  Kind kind = Kind::any;
  Version version;
  static ExpectedVersion any() { return {Kind::any, Version{}}; }
  static ExpectedVersion no_stream() { return {Kind::no_stream, Version{}}; }
  static ExpectedVersion exact(Version v) { return {Kind::exact, v}; }
};

struct PendingEvent {
  domain::Event event;
  domain::Team team;
  std::optional<domain::PersonId> person_id;
};

// A client's Idempotency-Key, claimed in the same transaction as the events it produced.
struct IdempotencyClaim {
  std::string user_name;
  std::string key;
  std::string request_hash;
};

// What an earlier request with the same key produced: the resource at that version.
struct IdempotencyRecord {
  std::string request_hash;
  std::string stream_id;
  Version version;
};

// Events that start a stream of their own in the same transaction as an append to another (a
// request's outcome and the assessment it starts): the stream must not exist yet.
struct NewStream {
  std::string stream_id;
  std::vector<PendingEvent> events;
};

struct AppendRequest {
  std::string stream_id;
  ExpectedVersion expected;
  std::vector<PendingEvent> events;
  std::string recorded_by;
  std::optional<IdempotencyClaim> claim;
  std::vector<NewStream> new_streams;  // recorded with it, or not at all
  // Where the events came from (JSON, such as a CLD import's {"import_id", "line"}), kept with
  // each of them.
  std::optional<std::string> origin;
  // A write of the caller's beside the events (an import's key of the row), made in the same
  // transaction once they are inserted: both are kept or neither.
  std::function<void(Connection&)> beside;
};

struct Appended {
  Version version;                   // the stream's version after the append
  std::vector<EventRecord> records;  // as inserted, with their positions (new streams' last)
};
struct WrongExpectedVersion {
  Version actual;
};
struct IdempotentRepeat {
  IdempotencyRecord first;
};
using AppendResult = std::variant<Appended, WrongExpectedVersion, IdempotentRepeat>;

// The events of a stream that still stand: neither voided by a correction nor corrections.
std::vector<const EventRecord*> standing_events(const std::vector<EventRecord>& stream);

// Reading, on any connection.
std::vector<EventRecord> read_stream(Connection& db, const std::string& stream_id,
                                     std::optional<Version> up_to = std::nullopt);
std::vector<EventRecord> read_all(Connection& db, std::int64_t after_position, std::size_t limit);
// Events recorded at or before `recorded_at_max` (RFC 3339 UTC, as stored), in log order.
std::vector<EventRecord> read_all_known_at(Connection& db, std::int64_t after_position,
                                           std::size_t limit, const std::string& recorded_at_max);
std::vector<EventRecord> read_person_events(Connection& db, const domain::PersonId& person,
                                            std::int64_t after_position, std::size_t limit);
// The people with an event (or a correction) recorded after `recorded_at` (RFC 3339 UTC).
std::vector<domain::PersonId> people_recorded_after(Connection& db, const std::string& recorded_at);
// One person's events recorded at or before `recorded_at_max`, in log order.
std::vector<EventRecord> read_person_events_known_at(Connection& db, const domain::PersonId& person,
                                                     const std::string& recorded_at_max);
std::optional<IdempotencyRecord> find_idempotency(Connection& db, const std::string& user_name,
                                                  const std::string& key);
Version stream_version(Connection& db, const std::string& stream_id);

// The position of the newest event (0 for an empty log): it names the state of the log, and of
// the read models kept in the same transactions, as this connection sees it.
std::int64_t last_position(Connection& db);
// How many events the log holds (the last position is not a count: it need not start at 1).
std::int64_t event_count(Connection& db);
std::optional<EventRecord> find_event(Connection& db, const std::string& event_id);

// Whether a stream whose version is `current` may take an append expecting `expected`.
bool expected_version_holds(const ExpectedVersion& expected, Version current);

// The record of `pending` about to be appended as `version` of `stream_id`, with a new event id
// (its position to come, and recorded_at when the engine stamps it later).
EventRecord new_record(const PendingEvent& pending, const std::string& stream_id, Version version,
                       const std::string& recorded_by, const std::string& recorded_at,
                       const std::optional<std::string>& origin);

// A new event id: a UUID version 7 (RFC 9562), 48 bits of Unix milliseconds, then random bits,
// so that event ids arrive in order at the end of their index.
std::string new_event_id();

// Appending, on the writer connection inside a transaction the caller owns.
// Validates the expected version and the claim; inserts nothing unless it answers Appended.
AppendResult append_in_transaction(Connection& db, const AppendRequest& request,
                                   const std::string& recorded_at);
// Remembers what a key's first request made (`stream_id` at `version`: a record kept outside
// the log, such as a team, names itself so), inside the caller's transaction.
void record_idempotency(Connection& db, const IdempotencyClaim& claim, const std::string& stream_id,
                        Version version);

}  // namespace careledger::persistence
