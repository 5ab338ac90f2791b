#pragma once
// The event log on PostgreSQL (issue 16): the same appends and reads as the SQLite log
// (event_store.hpp), with PostgreSQL's own traps handled.
//
// - Positions and recorded_at come from the database in commit order. An append inserts its
//   events with the id of its transaction (xid8) and queues them as unsequenced; after it
//   commits, sequence() gives log positions, under a lock of its own that no append takes, to
//   the queued events of every transaction older than the oldest still running, in
//   transaction order, stamping recorded_at as it does. A reader following `log` therefore
//   never skips an append that commits late behind a sequence gap: such an append is not in
//   `log` until every append before it has ended, and nothing is ever placed before a position
//   already given.
// - Appends to different streams share no lock: a stream's next version is checked by the
//   unique (stream_id, version), so two appends racing on one stream give one success and one
//   WrongExpectedVersion, and two claims of one Idempotency-Key one success and one repeat.
// - The role careledger connects with (`app_role`) does not own the tables: it may read and
//   insert, never UPDATE, DELETE or TRUNCATE the log; triggers refuse those to the owner too.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "persistence/event_store.hpp"
#include "persistence/pg_connection.hpp"

namespace careledger::persistence::pg {

// Installs the log's tables, run by the role that is to own them, granting `app_role` (an
// existing role, named with a-z 0-9 _) only what careledger needs.
void install_log_schema(Connection& owner, const std::string& app_role);

// In its own transaction, then sequenced: the events' positions and recorded_at are the log's
// when it answers Appended. `request.beside` is not supported here (throws
// std::invalid_argument). Throws Error when the log's sequence is held up for more than
// `wait_for_sequence_ms` by a transaction that will not end.
AppendResult append(Connection& db, const AppendRequest& request,
                    int wait_for_sequence_ms = 10'000);

// Gives positions to the committed events that may have them now (see above); how many.
std::size_t sequence(Connection& db);

std::vector<EventRecord> read_all(Connection& db, std::int64_t after_position, std::size_t limit);
std::vector<EventRecord> read_stream(Connection& db, const std::string& stream_id);
Version stream_version(Connection& db, const std::string& stream_id);
std::int64_t last_position(Connection& db);

}  // namespace careledger::persistence::pg
