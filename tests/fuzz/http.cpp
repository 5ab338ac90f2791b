// libFuzzer target: the HTTP request parser as the server runs it (api/request_reading.hpp):
// Beast's parser under small limits, the framing check, the refusal and the request the
// handlers see. Any bytes give a request, a 4xx refusal or "incomplete"; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/problem.hpp"
#include "api/request_reading.hpp"

using namespace careledger;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Small limits, so that inputs of a few hundred bytes reach them.
  const api::RequestLimits limits{256, 512};
  const auto read = api::read_request(bytes, limits);
  if (read.used > bytes.size()) std::abort();
  switch (read.outcome) {
    case api::ReadRequest::Outcome::request:
      if (read.request.body.size() > limits.body) std::abort();
      if (read.request.path.find('?') != std::string::npos) std::abort();
      for (const auto& [name, value] : read.request.headers) {
        for (const char c : name) {
          if (c >= 'A' && c <= 'Z') std::abort();  // names are given in lower case
        }
      }
      break;
    case api::ReadRequest::Outcome::refused: {
      const auto answer = api::problem_response(*read.refusal);
      if (answer.status < 400 || answer.status >= 500) std::abort();
      break;
    }
    case api::ReadRequest::Outcome::incomplete:
      break;
  }
  return 0;
}
