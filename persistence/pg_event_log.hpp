#pragma once
// The event log on PostgreSQL (issue 16): the same appends and reads as the SQLite log
// (event_store.hpp), with PostgreSQL's own traps handled.
//
// - Positions and recorded_at come from the database in commit order. PostgreSQL hands out a
//   sequence's values at insert, not at commit, so a position taken at insert could be passed
//   by a reader before the append that took it commits. Here an append's events are only
//   queued (`unsequenced`, by a trigger with the owner's rights); once it has committed,
//   sequence() gives the queued events that are committed the next positions, under a lock of
//   its own that no append takes, in the order they were inserted, and stamps recorded_at. A
//   reader following `log` therefore never skips an append that commits late: it has no
//   position until it has committed, and positions are only ever given after those already
//   given. A stream's events keep their versions' order: a version is inserted only after the
//   one before it committed, so its event_uid (a sequence with CACHE 1) is larger.
// - Appends to different streams share no lock: a stream's next version is checked by the
//   unique (stream_id, version), so two appends racing on one stream give one success and one
//   WrongExpectedVersion, and two claims of one Idempotency-Key one success and one repeat.
// - The role careledger connects with (`app_role`) does not own the tables: it may read the log
//   and insert events (not their event_uid), never UPDATE, DELETE or TRUNCATE them, write a
//   position or touch the queue; triggers refuse UPDATE, DELETE and TRUNCATE to the owner too.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/pg_connection.hpp"

namespace careledger::persistence::pg {

// Installs the log's tables, run by the role that is to own them, granting `app_role` (an
// existing role, named with a-z 0-9 _) only what careledger needs.
void install_log_schema(Connection& owner, const std::string& app_role);

// (Re)makes the view `events` through which the SQL shared with SQLite reads the log.
void install_events_view(Connection& owner, const std::string& app_role);

// In its own transaction, then sequenced: the events' positions and recorded_at are the log's
// when it answers Appended (no read models are projected: pg::Writer projects). Throws Error when
// the log's sequence is held up for more than `wait_for_sequence_ms` by a transaction that will not
// end.
AppendResult append(Connection& db, const AppendRequest& request,
                    int wait_for_sequence_ms = 10'000);

// Group commit: the appends in one transaction and one sequencing, the results in the same
// order, each as if it were appended alone in that order. The batch's claims and versions are
// read at once and its events and claims inserted by one statement each; when that meets a row
// another instance is committing, the batch is done again with each append behind its own
// savepoint, so one refused leaves the others standing.
std::vector<AppendResult> append_all(Connection& db, const std::vector<AppendRequest>& requests,
                                     int wait_for_sequence_ms = 10'000);

// The group commit of an instance: appends from any thread gathered, as many as are waiting
// (up to `max_batch`), into one transaction on the writer's own connection, then sequenced
// once. append() answers as pg::append does, once its events have their positions, or
// rethrows what refused it alone. It connects at once (throwing Error if it cannot), and first
// sequences what a writer stopped before it had sequenced; and again whenever it has had
// nothing to write for `idle` (a writer of this or another instance stopped between an append's
// commit and its sequencing, and no append came after it to sequence it). When the connection is
// lost (the server restarted), the batch it was writing is answered with the Error (its appends
// may or may not have been kept: a repeat with the same Idempotency-Key tells), and the next
// batch connects again.
// A write (Appender::write) shares its batch's transaction: when that is done again (another
// instance raced it, a piece of it was refused, a deadlock), the write is made again, so it
// must give the same rows each time it is called.
class Writer final : public Appender {
 public:
  // `projector`: the read models an append's events are projected into, in its transaction
  // (none: the log alone, as a bench of the log writes it).
  explicit Writer(const std::string& url, Projector projector = {}, std::size_t max_batch = 512,
                  std::chrono::milliseconds idle = std::chrono::seconds{1});
  ~Writer() override;  // answers what was asked before it
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  AppendResult append(AppendRequest request) override;
  std::vector<AppendResult> append_all(std::vector<AppendRequest> requests) override;
  void write(const std::function<void(persistence::Connection&)>& write) override;
  void write_rows(RowBatch rows) override;
  std::uint64_t events_appended() const override { return events_appended_.load(); }

 private:
  struct Job;
  void run();
  void sequence_when_idle();
  std::string url_;
  std::unique_ptr<Connection> db_;  // null after the connection was lost, until the next batch
  Projector projector_;
  Recount recount_;  // the writer thread's
  std::size_t max_batch_;
  std::chrono::milliseconds idle_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> events_appended_{0};
  std::thread thread_;
};

// Several group-commit writers of one instance, each a Writer on its own connection, so that
// one batch's round trips to the server do not hold up the next (a batch spends most of its
// time waiting for the server's answers, not working). An append goes to the writer of its
// person (of its stream, when its events name no one), so that one person's appends are always
// in one writer's batches, in the order they were asked, and two of this instance's batches
// never wait on each other's person locks; appends given together go to one writer, the first's;
// a write beside the log to each in turn.
class Writers final : public Appender {
 public:
  Writers(const std::string& url, Projector projector, std::size_t count);
  AppendResult append(AppendRequest request) override;
  std::vector<AppendResult> append_all(std::vector<AppendRequest> requests) override;
  void write(const std::function<void(persistence::Connection&)>& write) override;
  void write_rows(RowBatch rows) override;
  std::uint64_t events_appended() const override;

 private:
  Writer& writer_of(const AppendRequest& request);
  std::vector<std::unique_ptr<Writer>> writers_;
  std::atomic<std::size_t> next_{0};
};

// Gives positions to the committed events that may have them now (see above); how many.
std::size_t sequence(Connection& db);

std::vector<EventRecord> read_all(Connection& db, std::int64_t after_position, std::size_t limit);
std::vector<EventRecord> read_stream(Connection& db, const std::string& stream_id);
Version stream_version(Connection& db, const std::string& stream_id);
std::int64_t last_position(Connection& db);

}  // namespace careledger::persistence::pg
