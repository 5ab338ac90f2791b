#include "api/application.hpp"

#include <filesystem>

#include "persistence/projections.hpp"

namespace careledger::api {

Application::Application(ApplicationOptions options)
    : writer_(persistence::open_appender(options.db_path, persistence::default_projector,
                                         options.now, options.writers)),
      readers_(options.db_path),
      store_{*writer_, readers_, options.today, options.config},
      api_(store_, with_spool(options.api, options.db_path)),
      server_(with_refusals(options.server, api_.spool_directory()),
              [this](const Request& request) { return api_.handle(request); }) {}

ApiOptions Application::with_spool(ApiOptions options, const std::string& db_path) {
  // Beside a SQLite file; for a PostgreSQL store, which several processes serve, left empty:
  // the Api then makes a directory of this process's own under the temporary directory.
  if (options.spool_directory.empty() && !persistence::is_postgresql(db_path)) {
    options.spool_directory =
        std::filesystem::absolute(persistence::sqlite_path(db_path)).parent_path().string();
  }
  return options;
}

ServerOptions Application::with_refusals(ServerOptions options,
                                         const std::string& spool_directory) {
  options.refusal = [this](const Request& partial, const services::Failure& why) {
    return api_.refuse(partial, why);
  };
  options.upload_limit = [this](const Request& header) { return api_.upload_limit(header); };
  options.admit_upload = [this](const Request& header) { return api_.admit_upload(header); };
  options.spool_directory = spool_directory;
  return options;
}

}  // namespace careledger::api
