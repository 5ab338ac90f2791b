#include "api/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace careledger::api {

namespace {
constexpr std::size_t piece_bytes = 256 * 1024;

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}
}  // namespace

struct Spool::File {
  int fd = -1;
  ~File() {
    if (fd >= 0) ::close(fd);
  }
};

Spool::Spool(const std::string& directory) : file_(std::make_shared<File>()) {
  const std::string dir =
      directory.empty() ? std::filesystem::temp_directory_path().string() : directory;
  file_->fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (file_->fd < 0) {  // a file system without O_TMPFILE: make one, then unlink it
    std::string path = dir + "/careledger-spool-XXXXXX";
    file_->fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (file_->fd < 0) fail("cannot make a spool file");
    ::unlink(path.c_str());
  }
}

void Spool::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto written = ::pwrite(file_->fd, bytes.data(), bytes.size(), static_cast<off_t>(size_));
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("cannot write the spool file");
    }
    size_ += static_cast<std::uint64_t>(written);
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::function<NextPiece()> Spool::pieces(std::string before, std::string after) const {
  return [file = file_, size = size_, before, after]() -> NextPiece {
    return [file, size, before, after, at = std::uint64_t{0},
            stage = 0]() mutable -> std::optional<std::string> {
      if (stage == 0) {
        stage = 1;
        if (!before.empty()) return before;
      }
      if (at >= size) {
        if (stage == 2) return std::nullopt;
        stage = 2;
        if (after.empty()) return std::nullopt;
        return after;
      }
      std::string piece(static_cast<std::size_t>(std::min<std::uint64_t>(piece_bytes, size - at)),
                        '\0');
      const auto got = ::pread(file->fd, piece.data(), piece.size(), static_cast<off_t>(at));
      // Cannot happen to a file we wrote; thrown, so that the answer is cut off, never short.
      if (got <= 0) fail("cannot read the spool file");
      piece.resize(static_cast<std::size_t>(got));
      at += static_cast<std::uint64_t>(got);
      return piece;
    };
  };
}

}  // namespace careledger::api
