#pragma once
// The HTTP/1.1 server: owns sockets, limits and shutdown; hands each request to a handler on
// a pool of worker threads, so that a handler may block on a durable commit while the
// connection threads go on serving others. Speaks HTTPS instead when given a certificate, for a
// council that exposes it with no TLS-terminating proxy in front.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "services/failure.hpp"

namespace careledger::api {

// PEM files: the certificate chain (the server's own certificate first) and its private key,
// unencrypted.
struct TlsFiles {
  std::string certificate_chain;
  std::string private_key;
};

struct ServerOptions {
  std::string bind = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  int io_threads = 2;
  int worker_threads = 64;
  std::size_t body_limit = 64 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};
  std::size_t max_connections = 0;  // 0: from the process's limit of open files
  // Uploads read at once (each may put its whole limit on disk); one more is refused 429.
  std::size_t max_uploads = 2;
  bool stop_on_signals = false;  // SIGINT/SIGTERM stop the server cleanly
  std::optional<TlsFiles> tls;   // HTTPS only (TLS 1.2 or later) on the port, not HTTP
  // Answers a request the server refuses before the handler sees it (too large, badly
  // framed), from what it read of it: the method, target and headers as far as it got. Called
  // on a connection's thread; must not throw. Without it, problem_response() answers.
  std::function<Response(const Request& partial, const services::Failure& why)> refusal;
  // Uploads (a CLD file to import): a request whose header this answers with a limit has a body
  // of up to that many bytes, exempt from body_limit, read a piece at a time into a Spool in
  // spool_directory (Request::upload) rather than into memory. Called on a connection's thread
  // with the header alone (Request::body empty); must not throw and must not block.
  std::function<std::optional<std::size_t>(const Request& header)> upload_limit;
  // Whether an upload may be read at all: nullopt admits it; an answer refuses it before any of
  // its body is read or a 100 Continue sent (the connection is closed after it), so that a
  // client that may not upload never has its body written to disk. Called on a worker thread
  // (it may read the store); must not throw. Without it every upload is admitted.
  std::function<std::optional<Response>(const Request& header)> admit_upload;
  std::string spool_directory;  // where uploads are written; empty: the temporary directory
};

// Answers a request, on one of the worker threads.
using Handler = std::function<Response(const Request&)>;

// Thread-safe: stop() may be called from any thread.
class Server {
 public:
  // Loads the TLS files, binds and listens; throws if it cannot. A TLS file missing, unreadable
  // or not matching throws std::runtime_error naming the file (binding throws system_error).
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  unsigned short port() const;
  const std::string& address() const;

  // Serves until stop(): then accepts nothing new, lets requests in flight finish and be
  // answered, closes idle connections, and returns.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::api
