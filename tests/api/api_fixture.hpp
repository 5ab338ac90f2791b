#pragma once
// Starts the real server (port 0, its own store, a fixed "today") and speaks HTTP to it. The
// store is a SQLite file of its own; with CARELEDGER_TEST_STORE=postgresql (ctest's pg. run of
// the API tests) a PostgreSQL database of its own on the throwaway cluster instead, installed as
// `careledger install-store` installs it.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "api/application.hpp"
#include "tests/persistence/pg_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace careledger::testing {

class ApiTest : public ::testing::Test {
 protected:
  static constexpr const char* today = "2024-06-30";

  void SetUp() override;
  void TearDown() override;
  virtual api::ApiOptions api_options() const {  // no rate limit per user
    api::ApiOptions options;
    options.rate_per_second = 0;
    return options;
  }
  virtual domain::Configuration configuration() const { return {}; }
  virtual std::size_t max_connections() const { return 0; }  // the server's default

  // The request log's lines so far.
  std::vector<std::string> logged() const;

  void start();
  void stop();

  HttpResponse post(const std::string& token, const std::string& path, const std::string& body,
                    std::vector<std::pair<std::string, std::string>> headers = {});
  HttpResponse get(const std::string& token, const std::string& path);
  std::int64_t event_count() const;
  // The access log's entry for the request the answer names, as "route status user", or "none".
  std::string access_entry(const HttpResponse& answer) const;

  // Controls: valid records, returning their ids.
  std::string create_person(const std::string& team = "north",
                            const std::string& date_of_birth = "1950-05-05");
  std::string request_assessment(const std::string& person_id, const std::string& requested_on,
                                 const std::string& priority = "medium");

  // The recording clock: every event recorded is stamped 2024-06-30T10:MM:00.000Z with MM this.
  std::atomic<int> recording_minute{0};

  TempDir dir;
  std::unique_ptr<ThrowawayDatabase> postgres;             // with CARELEDGER_TEST_STORE=postgresql
  std::string db_path = dir.file("api.db");                // the store's URL
  std::string admin, north, south, north_leader, analyst;  // tokens
  std::unique_ptr<api::Application> app;
  std::thread serving;
  std::unique_ptr<HttpClient> client;

 private:
  mutable std::mutex log_mutex_;
  std::vector<std::string> log_;
};

// The body's problem+json field names, in order.
std::vector<std::string> error_fields(const HttpResponse& response);

}  // namespace careledger::testing
