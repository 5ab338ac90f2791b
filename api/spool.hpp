#pragma once
// An answer too large to hold in memory (a Client Level Data file): written to a private
// temporary file, then sent a piece at a time from it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/http.hpp"

namespace careledger::api {

// Not shared between threads while written; its pieces may be read on any thread once written.
class Spool {
 public:
  // A file in `directory` (empty: the temporary directory, $TMPDIR), readable by this process
  // only and unlinked at once: it goes when the last answer reading it does, and a crash leaves
  // nothing behind. Throws std::system_error.
  explicit Spool(const std::string& directory = {});
  void write(std::string_view bytes);
  std::uint64_t size() const { return size_; }
  // The pieces of what was written, each call from the beginning (Response::stream), between
  // `before` and `after` (a JSON object's head and tail around its streamed array).
  std::function<NextPiece()> pieces(std::string before = {}, std::string after = {}) const;

 private:
  struct File;
  std::shared_ptr<File> file_;
  std::uint64_t size_ = 0;
};

}  // namespace careledger::api
