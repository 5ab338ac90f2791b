#pragma once
// Bytes too many to hold in memory, in a private temporary file: an answer (a Client Level Data
// file) written to it, then sent a piece at a time; or an upload's body (a CLD file imported)
// written to it as it arrives, then read back, from the start, as often as asked.

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/http.hpp"

namespace careledger::api {

// Not shared between threads while written; once written, read on any thread, by any number of
// readers at once (each reads with pread at its own offset).
class Spool {
 public:
  // A file in `directory` (empty: the temporary directory, $TMPDIR), readable by this process
  // only and unlinked at once: it goes when the last answer or reader using it does, and a crash
  // leaves nothing behind. Throws std::system_error.
  explicit Spool(const std::string& directory = {});
  void write(std::string_view bytes);
  std::uint64_t size() const { return size_; }
  // The pieces of what was written, each call from the beginning (Response::stream), between
  // `before` and `after` (a JSON object's head and tail around its streamed array).
  std::function<NextPiece()> pieces(std::string before = {}, std::string after = {}) const;
  // What was written so far, as a stream from its start (services::OpenFile), read 64 KiB at a
  // time whatever its size. A failed read sets badbit (a file we wrote cannot fail to read).
  std::unique_ptr<std::istream> open() const;

 private:
  struct File;
  std::shared_ptr<File> file_;
  std::uint64_t size_ = 0;
};

// A JSON object answered 200: `head`'s members, then `name`, an array whose items (JSON, comma
// separated) were written to `spool` as they were found, streamed from it.
Response json_with_spooled_array(const boost::json::object& head, std::string_view name,
                                 const Spool& spool);

}  // namespace careledger::api
