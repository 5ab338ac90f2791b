#pragma once
// The single writer: every append in the process goes through one thread and one connection.
// Appends that arrive while a commit is in progress are gathered into the next transaction
// (group commit), each in its own savepoint so that one refused or failed append does not
// touch the others. An append returns only once its transaction is durable (synchronous=FULL).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "persistence/connection.hpp"

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/row_batch.hpp"
#include "persistence/running_totals.hpp"

namespace careledger::persistence {

// Applies one stored event to the read models, inside the append's transaction, naming the
// people to recount before it commits.
using Projector = std::function<void(Connection&, const EventRecord&, Recount&)>;
// persistence::project.
void default_projector(Connection& db, const EventRecord& record, Recount& recount);
// The current UTC time as RFC 3339, for `recorded_at`.
using UtcNow = std::function<std::string()>;

std::string utc_now_rfc3339();
// The same form of a given moment (0000-9999), as date::format("%FT%TZ") writes it.
std::string rfc3339(std::chrono::sys_time<std::chrono::milliseconds> moment);

// Where the services append: the server's EventWriter, or a BulkLoader loading a file.
class Appender {
 public:
  virtual ~Appender() = default;
  // Blocks until the append is recorded as the implementation promises, or refused. Throws on
  // a storage failure.
  virtual AppendResult append(AppendRequest request) = 0;
  // Several appends, in order, answered together: the server's EventWriter queues them all at
  // once, so that they share commits (an import's rows of one person). Each is recorded or
  // refused on its own, as append() would.
  virtual std::vector<AppendResult> append_all(std::vector<AppendRequest> requests) {
    std::vector<AppendResult> results;
    results.reserve(requests.size());
    for (auto& request : requests) results.push_back(append(std::move(request)));
    return results;
  }
  // A write of its own kept beside the log (a team, a user, an access-log entry), made on the
  // writer's connection inside its transaction: the server's EventWriter returns once it is
  // durable; a BulkLoader's is committed with its appends. Throws what `write` throws (nothing
  // it wrote is kept) or on a storage failure.
  virtual void write(const std::function<void(Connection&)>& write) = 0;
  // Rows of a table kept beside the log (an access-log entry), inserted as write() would. A
  // PostgreSQL writer inserts the rows of one statement its batch was given with one statement.
  virtual void write_rows(RowBatch rows) {
    write([&rows](Connection& db) {
      RowBatch each = rows;  // whole again should `write` run it twice
      each.write(db);
    });
  }
  // Events appended since it started.
  virtual std::uint64_t events_appended() const = 0;
};

// The server's writer. Thread-safe: any thread may call append(); the writer thread alone
// touches the connection, and an append returns once its commit is on disk.
class EventWriter final : public Appender {
 public:
  EventWriter(const std::string& path, Projector projector = default_projector,
              UtcNow now = utc_now_rfc3339);
  ~EventWriter() override;  // commits what is queued, then stops
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  AppendResult append(AppendRequest request) override;
  std::vector<AppendResult> append_all(std::vector<AppendRequest> requests) override;
  void write(const std::function<void(Connection&)>& write) override;

  // Events made durable by this writer since it started.
  std::uint64_t events_appended() const override { return events_appended_.load(); }
  // Transactions committed by this writer since it started: fewer than the appends when
  // concurrent appends shared a commit.
  std::uint64_t commits() const { return commits_.load(); }
  // Appends waiting for the writer thread.
  std::size_t queued();

 private:
  struct Job {
    AppendRequest request;
    std::function<void(Connection&)> write;  // when set, this job is a write, not an append
    std::promise<AppendResult> done;
  };
  void run();
  void commit_batch(std::deque<Job>& batch);

  std::unique_ptr<Connection> db_;
  Projector projector_;
  Recount recount_;  // the writer thread's
  UtcNow now_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> events_appended_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::thread thread_;
};

// The server's writer for the store at `url` (database.hpp): an EventWriter on SQLite, a
// pg::Writer on PostgreSQL (pg::Writers when `writers` is more than 1), whose recorded_at is the
// database's clock (`now` is SQLite's). A SQLite file takes one writer, whatever `writers` says.
std::unique_ptr<Appender> open_appender(const std::string& url,
                                        Projector projector = default_projector,
                                        UtcNow now = utc_now_rfc3339, std::size_t writers = 1);

// Loads a file on the calling thread: appends run inside a transaction that stays open for
// many of them (committed every few thousand, by commit() and at destruction) on a connection
// whose commits are not synced one by one, and reads go through that same connection, so they
// see what was appended before it is committed. A file loaded this way can simply be loaded
// again (the import is idempotent). Not shared between threads.
class BulkLoader final : public Appender, public Readers {
 public:
  BulkLoader(const std::string& path, Projector projector = default_projector,
             UtcNow now = utc_now_rfc3339);
  ~BulkLoader() override;  // commits what was appended
  BulkLoader(const BulkLoader&) = delete;
  BulkLoader& operator=(const BulkLoader&) = delete;

  AppendResult append(AppendRequest request) override;
  void write(const std::function<void(Connection&)>& write) override;
  std::uint64_t events_appended() const override { return events_appended_; }
  ReadLease acquire() override { return ReadLease(*db_); }
  const std::string& path() const override { return path_; }
  // Commits what has been appended so far. Throws on a storage failure.
  void commit();

 private:
  void begin();  // the transaction appends and writes go into, unless one is open

  std::string path_;
  std::unique_ptr<Connection> db_;
  Projector projector_;
  Recount recount_;
  UtcNow now_;
  bool open_ = false;  // a transaction has begun
  std::size_t uncommitted_ = 0;
  std::uint64_t events_appended_ = 0;
};

}  // namespace careledger::persistence
