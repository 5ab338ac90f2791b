#pragma once
// Reading the JSON configuration file of `serve --config FILE`.

#include <stdexcept>
#include <string>
#include <string_view>

#include "domain/configuration.hpp"

namespace careledger::services {

// An invalid configuration; what() names the key at fault.
struct ConfigurationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

domain::Configuration parse_configuration(std::string_view json_text);
domain::Configuration load_configuration(const std::string& path);

}  // namespace careledger::services
