#pragma once
// The single writer: every append in the process goes through one thread and one connection.
// Appends that arrive while a commit is in progress are gathered into the next transaction
// (group commit), each in its own savepoint so that one refused or failed append does not
// touch the others. An append returns only once its transaction is durable (synchronous=FULL).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "persistence/connection.hpp"

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"

namespace careledger::persistence {

// Applies one stored event to the read models, inside the append's transaction.
using Projector = std::function<void(Connection&, const EventRecord&)>;
// The current UTC time as RFC 3339, for `recorded_at`.
using UtcNow = std::function<std::string()>;

std::string utc_now_rfc3339();

// Durability::full — thread-safe: any thread may call append(); the writer thread alone
// touches the connection, and an append returns once its commit is on disk.
// Durability::bulk — for one loading thread: append() runs on the caller's thread inside a
// transaction that stays open for many appends (committed every few thousand and at
// destruction), so an append returns before its commit; readers for that thread share the
// connection (shared_connection()) and so see what it has appended.
class EventWriter {
 public:
  EventWriter(const std::string& path, Projector projector, UtcNow now = utc_now_rfc3339,
              Durability durability = Durability::full);
  ~EventWriter();  // commits what is queued, then stops
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // Blocks until the append is durable (bulk: applied) or refused. Throws on a storage failure.
  AppendResult append(AppendRequest request);

  // Bulk only: the connection the loading thread reads through.
  Connection& shared_connection() { return *db_; }
  // Bulk only: commits what has been appended so far. Throws on a storage failure.
  void commit_bulk();

  // Events made durable by this writer since it started.
  std::uint64_t events_appended() const { return events_appended_.load(); }
  // Transactions committed by this writer since it started: fewer than the appends when
  // concurrent appends shared a commit.
  std::uint64_t commits() const { return commits_.load(); }
  // Appends waiting for the writer thread.
  std::size_t queued();

 private:
  struct Job {
    AppendRequest request;
    std::promise<AppendResult> done;
  };
  void run();
  void commit_batch(std::deque<Job>& batch);
  // Runs one append in its own savepoint inside the open transaction.
  AppendResult apply(const AppendRequest& request, const std::string& recorded_at);
  AppendResult append_bulk(const AppendRequest& request);

  std::unique_ptr<Connection> db_;
  Projector projector_;
  UtcNow now_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  const bool bulk_;
  bool bulk_open_ = false;  // a bulk transaction has begun
  std::size_t bulk_uncommitted_ = 0;
  std::atomic<std::uint64_t> events_appended_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::thread thread_;
};

}  // namespace careledger::persistence
