#include "api/application.hpp"

#include "persistence/projections.hpp"

namespace careledger::api {

Application::Application(ApplicationOptions options)
    : writer_(options.db_path, persistence::default_projector, options.now),
      readers_(options.db_path),
      store_{writer_, readers_, options.today, options.config},
      api_(store_, options.api),
      server_(with_refusals(options.server),
              [this](const Request& request) { return api_.handle(request); }) {}

ServerOptions Application::with_refusals(ServerOptions options) {
  options.refusal = [this](const Request& partial, const services::Failure& why) {
    return api_.refuse(partial, why);
  };
  return options;
}

}  // namespace careledger::api
