#include "persistence/pg_locks.hpp"

#include "persistence/pg_connection.hpp"

namespace careledger::persistence::pg {

namespace {

// The first half of every careledger session lock's key ("car" as a number).
constexpr const char* careledger_key = "6513010";  // 0x636172

class HeldLock final : public StoreLock {
 public:
  HeldLock(const std::string& url, SessionLock lock)
      : db_(url), lock_(std::to_string(static_cast<int>(lock))) {
    db_.query("SELECT pg_advisory_lock($1::int, $2::int)", {careledger_key, lock_});
  }
  ~HeldLock() override {
    try {
      db_.query("SELECT pg_advisory_unlock($1::int, $2::int)", {careledger_key, lock_});
    } catch (...) {  // the connection closes next, and its session's locks go with it
    }
  }

 private:
  Connection db_;
  std::string lock_;
};

}  // namespace

std::unique_ptr<StoreLock> hold(const std::string& url, SessionLock lock) {
  return std::make_unique<HeldLock>(url, lock);
}

}  // namespace careledger::persistence::pg
