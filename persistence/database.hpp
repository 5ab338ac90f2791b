#pragma once
// Opening the SQLite file and bringing its schema up to date.

#include <condition_variable>
#include <cstdint>
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

// Where the store is: `postgresql://USER@HOST:PORT/DBNAME` (or `postgres://`) is PostgreSQL;
// `sqlite:PATH` or a plain path is a SQLite file.
bool is_postgresql(const std::string& url);
std::string sqlite_path(const std::string& url);  // the path of a SQLite store's URL

// A connection that writes. On SQLite the one writer's: WAL, migrations applied. On
// PostgreSQL a connection as the role careledger connects with, once the store is found
// installed (pg::install_store). Not shared between threads.
std::unique_ptr<Connection> open_writer(const std::string& url,
                                        Durability durability = Durability::full);

// A connection that reads (read-only on SQLite). Not shared between threads.
std::unique_ptr<Connection> open_reader(const std::string& url);

// The read models' DDL (SQLite's), generated from their declarations (read_models.cpp), with
// the generation of the rules that fill them.
std::string read_model_fingerprint();

class ReaderPool;

// A connection lent to one caller for as long as it holds the lease.
class ReadLease {
 public:
  ReadLease(ReaderPool& pool, std::unique_ptr<Connection> db)
      : pool_(&pool), db_(std::move(db)), connection_(db_.get()) {}
  // A connection its owner keeps (a BulkLoader's own): nothing to give back.
  explicit ReadLease(Connection& borrowed) : connection_(&borrowed) {}
  ReadLease(ReadLease&&) = default;
  ReadLease& operator=(ReadLease&&) = delete;
  ~ReadLease();
  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_; }

 private:
  ReaderPool* pool_ = nullptr;
  std::unique_ptr<Connection> db_;
  Connection* connection_;
};

// Where the services read: the server's pool of read connections, or a loader's own connection.
class Readers {
 public:
  virtual ~Readers() = default;
  virtual ReadLease acquire() = 0;
  virtual const std::string& path() const = 0;  // the database file
};

// Read connections handed out one per caller at a time, each opened read-only and kept for
// the next caller, unless its server has closed it (a PostgreSQL restart). Thread-safe.
class ReaderPool final : public Readers {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}
  ReadLease acquire() override;
  const std::string& path() const override { return path_; }

 private:
  friend class ReadLease;
  void release(std::unique_ptr<Connection> db);
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// The store's size on disk: a SQLite file with its write-ahead log, or a PostgreSQL database.
std::uint64_t store_bytes(Readers& readers);

}  // namespace careledger::persistence
