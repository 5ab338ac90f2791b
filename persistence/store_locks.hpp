#pragma once
// Locks held across every process that serves one store, for work that must not run twice at
// once whichever instance starts it. The function is engine-neutral; what it takes on each engine
// is beside that engine (pg_locks.cpp).

#include <memory>
#include <string>

namespace careledger::persistence {

// Held while it lives; given up when it goes (and, should the process die, with it).
class StoreLock {
 public:
  virtual ~StoreLock() = default;
};

// The right to import a CLD file into the store at `url`, waited for while another process
// holds it: a file's check against those imported before (cld_imports.file_sha256) and what
// it then records are one step for every instance. On PostgreSQL a session-level advisory lock
// on a connection of its own. On SQLite nothing is taken: its one writer per file serialises.
std::unique_ptr<StoreLock> lock_cld_imports(const std::string& url);

}  // namespace careledger::persistence
