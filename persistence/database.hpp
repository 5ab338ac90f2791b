#pragma once
// Opening the SQLite file and bringing its schema up to date.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "persistence/connection.hpp"

namespace careledger::persistence {

// The schema version this build writes (PRAGMA user_version).
int schema_version();

// full: every commit is on disk before it returns (synchronous=FULL), for serving.
// bulk: commits are not synced one by one (synchronous=NORMAL), for loading a file that can
// simply be loaded again; the loader checkpoints at the end.
enum class Durability { full, bulk };

// The one connection that writes: WAL, migrations applied. Not shared between threads.
std::unique_ptr<Connection> open_writer(const std::string& path,
                                        Durability durability = Durability::full);

// A read-only connection on its own. Not shared between threads.
std::unique_ptr<Connection> open_reader(const std::string& path);

// Read connections handed out one per caller at a time. Thread-safe (but see the second
// constructor).
class ReaderPool {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}
  // Every lease is `shared` itself: for a single loading thread that must read what it has
  // written but not yet committed (EventWriter in bulk). Not thread-safe.
  explicit ReaderPool(Connection& shared) : shared_(&shared) {}

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> db)
        : pool_(&pool), db_(std::move(db)), connection_(db_.get()) {}
    explicit Lease(Connection& shared) : connection_(&shared) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (db_) pool_->release(std::move(db_));
    }
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_; }

   private:
    ReaderPool* pool_ = nullptr;
    std::unique_ptr<Connection> db_;
    Connection* connection_;
  };

  Lease acquire();
  const std::string& path() const { return path_; }

 private:
  void release(std::unique_ptr<Connection> db);
  std::string path_;
  Connection* shared_ = nullptr;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace careledger::persistence
