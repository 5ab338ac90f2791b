#include "services/scratch_directory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace careledger::services {

namespace {

namespace fs = std::filesystem;

// A directory is made under a name of its own, its lock taken, and only then given the name
// others look for: one found by that name always has a lock, held while its process lives.
constexpr std::string_view making_prefix = "careledger-making-";
constexpr std::string_view prefix = "careledger-scratch-";
constexpr const char* lock_name = "process.lock";

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Removes the scratch directories under `parent` whose processes have ended: their lock is free.
void remove_orphans(const fs::path& parent) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const auto name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    const auto lock = (entry.path() / lock_name).string();
    const int fd = ::open(lock.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;  // not one of ours to judge
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) fs::remove_all(entry.path(), ec);
    ::close(fd);  // and with it the lock, if it was taken
  }
}

}  // namespace

ScratchDirectory::ScratchDirectory(const std::string& parent) {
  const fs::path under = parent.empty() ? fs::temp_directory_path() : fs::path(parent);
  remove_orphans(under);
  std::string making = (under / (std::string(making_prefix) + "XXXXXX")).string();
  if (::mkdtemp(making.data()) == nullptr) fail("cannot make a scratch directory in " + parent);
  const auto lock = making + "/" + lock_name;
  held_ = ::open(lock.c_str(), O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (held_ < 0 || ::flock(held_, LOCK_EX) != 0) {
    const int error = errno;
    if (held_ >= 0) ::close(held_);
    std::error_code ignored;
    fs::remove_all(making, ignored);
    errno = error;
    fail("cannot lock the scratch directory " + making);
  }
  path_ = (under / (std::string(prefix) +
                    fs::path(making).filename().string().substr(making_prefix.size())))
              .string();
  if (::rename(making.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    ::close(held_);
    std::error_code ignored;
    fs::remove_all(making, ignored);
    errno = error;
    fail("cannot name the scratch directory " + path_);
  }
}

ScratchDirectory::~ScratchDirectory() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
  ::close(held_);
}

}  // namespace careledger::services
