#pragma once
// Session-level advisory locks on PostgreSQL, for store_locks.hpp.

#include <memory>
#include <string>

#include "persistence/store_locks.hpp"

namespace careledger::persistence::pg {

// The locks careledger holds for a session. Each is keyed by two int4 (pg_advisory_lock(int,
// int)), a key space apart from the bigint keys of the writer's person locks and the install's.
enum class SessionLock : int { cld_imports = 1 };

// Connects to `url` and waits for the lock there; it is released when the result goes (or when
// its connection ends). Throws Error.
std::unique_ptr<StoreLock> hold(const std::string& url, SessionLock lock);

}  // namespace careledger::persistence::pg
