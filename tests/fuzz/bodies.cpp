// libFuzzer target: the JSON body → command decoder of every POST route, with the service
// behind it. The input's first line names the route by its pattern ("/v1/assessments/{}/
// allocation"; a line that names none picks one), the rest is the body. The route's {} is the
// small council's record of that kind, and the admin sends it in-process (Api::submit: the
// route's decoder, rules and service call, without the token check and the access log, whose
// commit would cost each run about a millisecond), so that every body reaches its decoder.
// What is not a JSON object is refused before any route sees it. Every answer must be a status
// the contract knows, never a 5xx.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

#include "tests/fuzz/fuzz_store.hpp"

using namespace careledger;

namespace {

// The POST routes, by pattern.
const std::vector<std::string>& post_routes() {
  static const auto routes = [] {
    std::vector<std::string> out;
    for (const auto& route : fuzzing::FuzzStore::get().api().routes()) {
      if (route.method == "POST") out.push_back(route.pattern);
    }
    return out;
  }();
  return routes;
}

// The route a first line names; a line that names none still picks one (by its hash), so that
// every input reaches a decoder.
const std::string& route_named(std::string_view line) {
  const auto& routes = post_routes();
  for (const auto& pattern : routes) {
    if (pattern == line) return pattern;
  }
  return routes[std::hash<std::string_view>{}(line) % routes.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const auto line = input.substr(0, newline);
  input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
  const auto& pattern = route_named(line);
  auto& store = fuzzing::FuzzStore::get();
  // What is not a JSON object is refused (400) before any route sees it.
  boost::system::error_code ec;
  auto body = boost::json::parse(input, ec);
  if (ec || !body.is_object()) return 0;
  const auto target = store.target_of(pattern);
  const auto answer = store.submit(target, std::move(body.as_object()));
  if (answer.status >= 500 || answer.status < 200) fuzzing::defect(target, answer);
  return 0;
}
