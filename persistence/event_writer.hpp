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

// Thread-safe: any thread may call append(); the writer thread alone touches the connection.
class EventWriter {
 public:
  EventWriter(const std::string& path, Projector projector, UtcNow now = utc_now_rfc3339,
              Durability durability = Durability::full);
  ~EventWriter();  // commits what is queued, then stops
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // Blocks until the append is durable or refused. Throws on a storage failure.
  AppendResult append(AppendRequest request);

  // Events made durable by this writer since it started.
  std::uint64_t events_appended() const { return events_appended_.load(); }

 private:
  struct Job {
    AppendRequest request;
    std::promise<AppendResult> done;
  };
  void run();
  void commit_batch(std::deque<Job>& batch);

  std::unique_ptr<Connection> db_;
  Projector projector_;
  UtcNow now_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> events_appended_{0};
  std::thread thread_;
};

}  // namespace careledger::persistence
