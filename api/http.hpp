#pragma once
// HTTP as the handlers see it: plain values, no sockets. The server (server.cpp) converts
// from and to Beast's types; everything else in api/ is free of Beast.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace careledger::api {

class Spool;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::string query;   // after '?', undecoded; empty when absent
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string peer;  // the client's address, as the connection shows it
  // An upload's body (ServerOptions::upload_limit), written to disk as it came rather than held
  // in `body`, which is then empty.
  std::shared_ptr<const Spool> upload;

  // The value of a header (names compared case-insensitively), or nullptr.
  const std::string* header(std::string_view name) const;
};

// A body sent a piece at a time (HTTP/1.1 chunked), so a long answer is never joined into one
// string: each call gives the next piece, nullopt after the last. Called on the connection's
// thread (and by the access log, on a worker, to count what a list showed): it must only hand
// out what is already made, and not throw.
using NextPiece = std::function<std::optional<std::string>()>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is streamed instead: each call starts the pieces from the beginning, so
  // a kept answer can be sent again.
  std::function<NextPiece()> stream;
  // How many people a streamed answer shows, when its handler counted them (else the access log
  // counts a person_id column).
  std::optional<std::int64_t> people_shown;
};

}  // namespace careledger::api
