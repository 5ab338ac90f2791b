#pragma once
// The whole server wired together: one writer, a pool of readers, the API and the HTTP server.
// `main` and the API tests build it the same way.

#include <memory>
#include <string>

#include "api/api.hpp"
#include "api/server.hpp"
#include "persistence/database.hpp"
#include "persistence/event_writer.hpp"
#include "services/clock.hpp"

namespace careledger::api {

struct ApplicationOptions {
  std::string db_path;
  ServerOptions server;
  ApiOptions api;
  services::Today today = services::london_today;
  domain::Configuration config;
  persistence::UtcNow now = persistence::utc_now_rfc3339;  // stamps recorded_at
  std::size_t writers = 1;  // on PostgreSQL (persistence::open_appender)
};

// run() blocks until stop() (from any thread) or a signal when server.stop_on_signals.
class Application {
 public:
  explicit Application(ApplicationOptions options);
  unsigned short port() const { return server_.port(); }
  const std::string& address() const { return server_.address(); }
  void run() { server_.run(); }
  void stop() { server_.stop(); }
  const Api& api() const { return api_; }

 private:
  // The server's own refusals are answered, counted and logged by the API, which also says which
  // requests are uploads and admits them; uploads are spooled where the API spools.
  static ApiOptions with_spool(ApiOptions options, const std::string& db_path);
  ServerOptions with_refusals(ServerOptions options, const std::string& spool_directory);
  std::unique_ptr<persistence::Appender> writer_;
  persistence::ReaderPool readers_;
  services::Context store_;
  Api api_;
  Server server_;
};

}  // namespace careledger::api
