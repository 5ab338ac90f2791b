#include "api/application.hpp"

#include <filesystem>

#include "persistence/projections.hpp"

namespace careledger::api {

Application::Application(ApplicationOptions options)
    : writer_(
          persistence::open_appender(options.db_path, persistence::default_projector, options.now)),
      readers_(options.db_path),
      store_{*writer_, readers_, options.today, options.config},
      api_(store_, with_spool(options.api, options.db_path)),
      server_(
          with_refusals(options.server, with_spool(options.api, options.db_path).spool_directory),
          [this](const Request& request) { return api_.handle(request); }) {}

ApiOptions Application::with_spool(ApiOptions options, const std::string& db_path) {
  if (options.spool_directory.empty()) {
    // Beside a SQLite file; for a PostgreSQL store, the system's temporary directory.
    options.spool_directory =
        persistence::is_postgresql(db_path)
            ? std::filesystem::temp_directory_path().string()
            : std::filesystem::absolute(persistence::sqlite_path(db_path)).parent_path().string();
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
