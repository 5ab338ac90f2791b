#include "services/configuration.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "domain/placement.hpp"

namespace careledger::services {

namespace json = boost::json;

namespace {

[[noreturn]] void bad(const std::string& key, const std::string& message) {
  throw ConfigurationError("configuration key " + key + ": " + message);
}

const json::object& object_at(const json::value& value, const std::string& key) {
  if (!value.is_object()) bad(key, "must be an object");
  return value.get_object();
}

long long whole_number(const json::value& value, const std::string& key) {
  if (!value.is_int64() && !value.is_uint64()) bad(key, "must be a whole number");
  const long long n =
      value.is_int64() ? value.get_int64() : static_cast<long long>(value.get_uint64());
  if (n < 0) bad(key, "must not be negative");
  return n;
}

void refuse_unknown_keys(const json::object& object, const std::string& where,
                         std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      bad(where + std::string(key), "is not a configuration key");
    }
  }
}

}  // namespace

domain::Configuration parse_configuration(std::string_view text) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) bad("(file)", "is not valid JSON");
  const auto& top = object_at(root, "(file)");
  refuse_unknown_keys(top, "", {"population", "deferred_payments", "cld"});
  domain::Configuration config;

  if (const auto* population = top.if_contains("population")) {
    const auto& bands = object_at(*population, "population");
    refuse_unknown_keys(bands, "population.", {"18-64", "65+"});
    if (const auto* v = bands.if_contains("18-64")) {
      config.population.age_18_64 = whole_number(*v, "population.18-64");
    }
    if (const auto* v = bands.if_contains("65+")) {
      config.population.age_65_plus = whole_number(*v, "population.65+");
    }
  }

  if (const auto* cld = top.if_contains("cld")) {
    const auto& section = object_at(*cld, "cld");
    refuse_unknown_keys(section, "cld.", {"la_code"});
    if (const auto* v = section.if_contains("la_code")) {
      const bool digits = v->is_string() && !v->get_string().empty() &&
                          v->get_string().size() <= 10 &&
                          std::all_of(v->get_string().begin(), v->get_string().end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
      if (!digits) bad("cld.la_code", "must be the council's code, 1-10 digits, as a string");
      config.la_code = std::string(v->get_string());
    }
  }

  if (const auto* deferred = top.if_contains("deferred_payments")) {
    const auto& dp = object_at(*deferred, "deferred_payments");
    refuse_unknown_keys(dp, "deferred_payments.",
                        {"lower_capital_limit_pence", "maximum_interest_rates"});
    if (const auto* v = dp.if_contains("lower_capital_limit_pence")) {
      config.lower_capital_limit_pence =
          whole_number(*v, "deferred_payments.lower_capital_limit_pence");
    }
    if (const auto* v = dp.if_contains("maximum_interest_rates")) {
      const std::string key = "deferred_payments.maximum_interest_rates";
      if (!v->is_array()) bad(key, "must be an array");
      for (std::size_t i = 0; i < v->get_array().size(); ++i) {
        const std::string entry_key = key + "[" + std::to_string(i) + "]";
        const auto& entry = object_at(v->get_array()[i], entry_key);
        refuse_unknown_keys(entry, entry_key + ".", {"from", "basis_points"});
        const auto* from = entry.if_contains("from");
        if (from == nullptr || !from->is_string()) bad(entry_key + ".from", "is required, a date");
        const auto day = domain::parse_date(from->get_string());
        if (!day) bad(entry_key + ".from", "must be a date YYYY-MM-DD");
        if (!domain::is_compounding_day(*day)) {
          bad(entry_key + ".from", "must be a 1 January or a 1 July");
        }
        if (!config.maximum_interest_rates.empty() &&
            config.maximum_interest_rates.back().from >= *day) {
          bad(entry_key + ".from", "entries must be in date order");
        }
        const auto* bp = entry.if_contains("basis_points");
        if (bp == nullptr) bad(entry_key + ".basis_points", "is required");
        config.maximum_interest_rates.push_back(
            {*day, static_cast<int>(whole_number(*bp, entry_key + ".basis_points"))});
      }
    }
  }
  return config;
}

domain::Configuration load_configuration(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw ConfigurationError("cannot read the configuration file " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return parse_configuration(text.str());
}

}  // namespace careledger::services
