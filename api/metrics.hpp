#pragma once
// Counters for GET /metrics (Prometheus text format). Thread-safe.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "services/operations.hpp"

namespace careledger::api {

class Metrics {
 public:
  // `route` is the matched pattern ("/v1/people/{}"), never the raw path, so ids stay out.
  void observe(const std::string& route, int status, std::chrono::duration<double> elapsed);

  using Gauges = services::Gauges;
  std::string render(const Gauges& gauges) const;

 private:
  static constexpr std::array<double, 12> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::array<std::uint64_t, bounds.size()> buckets_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace careledger::api
