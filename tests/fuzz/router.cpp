// libFuzzer target: the router with its query strings, through the whole API as the server
// calls it (Api::handle on a small council). The first byte picks who asks (a role, or no
// token); the rest is "METHOD target" (GET when there is no space), where a {} in the path
// stands for the record of that kind. Every answer must be a
// status the contract knows, never a 5xx; a streamed answer is read to its end.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_store.hpp"

using namespace careledger;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto& store = fuzzing::FuzzStore::get();
  static const char* const askers[] = {"admin", "team_leader", "practitioner", "analyst", ""};
  const std::string asker = askers[data[0] % 5];
  std::string_view line(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string method = "GET";
  if (const auto space = line.find(' '); space != std::string_view::npos) {
    method = std::string(line.substr(0, space));
    line.remove_prefix(space + 1);
  }
  // A {} in the path stands for the council's record of that kind.
  const auto target = store.target_of(line);
  const auto answer = store.call(method, target, "", asker.empty() ? "" : store.token(asker));
  if (answer.status >= 500 || answer.status < 200) fuzzing::defect(method + " " + target, answer);
  if (answer.stream) {
    auto next = answer.stream();
    while (next()) {
    }
  }
  return 0;
}
