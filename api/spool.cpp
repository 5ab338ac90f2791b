#include "api/spool.hpp"

#include "api/codecs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <istream>
#include <streambuf>
#include <string>
#include <system_error>
#include <vector>

namespace careledger::api {

namespace {
constexpr std::size_t piece_bytes = 256 * 1024;
constexpr std::size_t read_back_bytes = 64 * 1024;

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

namespace {

// The spool's first `size` bytes through a buffer of its own; it keeps the file open.
class SpoolBuffer : public std::streambuf {
 public:
  SpoolBuffer(std::shared_ptr<const void> keep, int fd, std::uint64_t size)
      : keep_(std::move(keep)), fd_(fd), size_(size), buffer_(read_back_bytes) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    next_ += static_cast<std::uint64_t>(egptr() - eback());  // what the buffer held is read
    setg(buffer_.data(), buffer_.data(), buffer_.data());
    if (next_ >= size_) return traits_type::eof();
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size(), size_ - next_));
    ssize_t got = 0;
    do got = ::pread(fd_, buffer_.data(), want, static_cast<off_t>(next_));
    while (got < 0 && errno == EINTR);
    // The stream sets badbit from a throw here, rather than take a short file for a whole one.
    if (got <= 0) fail("cannot read the spool file");
    setg(buffer_.data(), buffer_.data(), buffer_.data() + got);
    return traits_type::to_int_type(*gptr());
  }

  // tellg() and seekg() to any offset within what was written (the buffer is dropped).
  pos_type seekoff(off_type off, std::ios_base::seekdir dir,
                   std::ios_base::openmode which) override {
    const auto at = static_cast<off_type>(next_ + static_cast<std::uint64_t>(gptr() - eback()));
    if (dir == std::ios_base::cur && off == 0) return pos_type(at);
    const off_type base = dir == std::ios_base::beg   ? 0
                          : dir == std::ios_base::cur ? at
                                                      : static_cast<off_type>(size_);
    return seekpos(pos_type(base + off), which);
  }

  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
    const auto to = static_cast<off_type>(pos);
    if (!(which & std::ios_base::in) || to < 0 || static_cast<std::uint64_t>(to) > size_) {
      return pos_type(off_type(-1));
    }
    next_ = static_cast<std::uint64_t>(to);
    setg(buffer_.data(), buffer_.data(), buffer_.data());
    return pos;
  }

 private:
  std::shared_ptr<const void> keep_;
  int fd_;
  std::uint64_t size_;
  std::uint64_t next_ = 0;  // the file's offset of the buffer's first byte
  std::vector<char> buffer_;
};

class SpoolStream : public std::istream {
 public:
  SpoolStream(std::shared_ptr<const void> keep, int fd, std::uint64_t size)
      : std::istream(nullptr), buffer_(std::move(keep), fd, size) {
    rdbuf(&buffer_);
  }

 private:
  SpoolBuffer buffer_;
};

}  // namespace

std::unique_ptr<std::istream> Spool::open() const {
  return std::make_unique<SpoolStream>(file_, file_->fd, size_);
}

Response json_with_spooled_array(const boost::json::object& head, std::string_view name,
                                 const Spool& spool) {
  std::string before = json_text(head);
  before.pop_back();  // the closing brace: the array follows
  before += (head.empty() ? "\"" : ",\"") + std::string(name) + "\":[";
  Response r = json_response(200, boost::json::object{});
  r.body.clear();
  r.stream = spool.pieces(std::move(before), "]}");
  return r;
}

}  // namespace careledger::api
