#include "api/metrics.hpp"

#include <sstream>

namespace careledger::api {

void Metrics::observe(const std::string& route, int status, std::chrono::duration<double> elapsed) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (elapsed.count() <= bounds[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += elapsed.count();
}

std::string Metrics::render(const Gauges& gauges) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP careledger_http_requests_total HTTP requests by route and status.\n"
         "# TYPE careledger_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "careledger_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << n << "\n";
  }
  out << "# HELP careledger_http_request_duration_seconds Time from request read to response.\n"
         "# TYPE careledger_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    out << "careledger_http_request_duration_seconds_bucket{le=\"" << bounds[i] << "\"} "
        << buckets_[i] << "\n";
  }
  out << "careledger_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count_ << "\n"
      << "careledger_http_request_duration_seconds_sum " << sum_ << "\n"
      << "careledger_http_request_duration_seconds_count " << count_ << "\n"
      << "# HELP careledger_events_appended_total Events appended since the server started.\n"
         "# TYPE careledger_events_appended_total counter\n"
      << "careledger_events_appended_total " << gauges.events_appended << "\n"
      << "# HELP careledger_database_bytes Size of the database file and its write-ahead log.\n"
         "# TYPE careledger_database_bytes gauge\n"
      << "careledger_database_bytes " << gauges.database_bytes << "\n";
  return out.str();
}

}  // namespace careledger::api
