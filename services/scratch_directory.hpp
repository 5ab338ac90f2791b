#pragma once
// A directory of this process's own under the system's temporary directory, for the files it
// spools and stages while it serves or loads a store that has no directory of its own beside it
// (PostgreSQL's). Made with mkdtemp (its user's alone) and removed, with what is in it, when it
// goes. Another process's is never touched while that process lives; one left by a process that
// ended without removing it (killed), which may hold personal data, is removed by the next one
// made.

#include <string>

namespace careledger::services {

class ScratchDirectory {
 public:
  // Under `parent` (empty: the system's temporary directory). Throws std::system_error.
  explicit ScratchDirectory(const std::string& parent = "");
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int held_ = -1;  // the lock that says the directory's process lives
};

}  // namespace careledger::services
