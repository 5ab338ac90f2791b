// A running `careledger serve` on PostgreSQL outlives a restart of PostgreSQL (an immediate
// shutdown, as a crash): while the server is away each request is answered at once with 503
// and Retry-After, never 201; once it is back, reads and writes work again without restarting
// careledger, and a write refused during the outage, sent again with its Idempotency-Key, is
// recorded once.
//
// It stops and starts the test cluster (CARELEDGER_TEST_POSTGRES_DATA, exported by
// scripts/lib.sh's start_test_postgres), so it is its own executable, run alone (RUN_SERIAL,
// tests/CMakeLists.txt): every other PostgreSQL test shares the cluster.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "tests/persistence/pg_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/tools/run_binary.hpp"
#include "tests/tools/serve_process.hpp"

namespace careledger::tools {
namespace {

using namespace std::chrono_literals;
using testing::contents;
using testing::exit_status;
using testing::HttpClient;
using testing::HttpResponse;
using Headers = std::vector<std::pair<std::string, std::string>>;

// pg_ctl on the test cluster, as postgres when run as root (as scripts/lib.sh runs it); whether
// it succeeded.
bool pg_ctl(const std::string& data, const std::string& args) {
  const std::string runas = geteuid() == 0 ? "runuser -u postgres -- " : "";
  const std::string command =
      runas + "/usr/lib/postgresql/15/bin/pg_ctl -D '" + data + "' " + args + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// PostgreSQL stopped for as long as it lives (an immediate shutdown: its processes end at once),
// then started again (recovering from its write-ahead log), even when the test fails part-way.
class Outage {
 public:
  explicit Outage(std::string data) : data_(std::move(data)) {
    stopped_ = pg_ctl(data_, "-m immediate -w stop");
  }
  ~Outage() { end(); }
  Outage(const Outage&) = delete;
  Outage& operator=(const Outage&) = delete;
  bool stopped() const { return stopped_; }
  // Starts it again; returns once it accepts connections (pg_ctl -w).
  bool end() {
    if (!stopped_) return true;
    stopped_ = false;
    return pg_ctl(data_, "-l '" + data_ + "/../server.log' -w start");
  }

 private:
  std::string data_;
  bool stopped_ = false;
};

std::string id_of(const HttpResponse& answer) {
  const auto* id =
      answer.json().is_object() ? answer.json().as_object().if_contains("id") : nullptr;
  return id && id->is_string() ? std::string(id->as_string()) : "";
}

class PgRestart : public testing::PgDatabase {
 protected:
  void SetUp() override {
    const char* data = std::getenv("CARELEDGER_TEST_POSTGRES_DATA");
    if (data == nullptr) {
      GTEST_SKIP() << "CARELEDGER_TEST_POSTGRES_DATA is not set (scripts/lib.sh's "
                      "start_test_postgres exports it): the test restarts the cluster";
    }
    data_ = data;
    PgDatabase::SetUp();
    if (HasFatalFailure()) return;
    have_database_ = true;
    auto run = testing::careledger(
        dir, {"install-store", "--db", url_as(owner_role()), "--app-role", app_role()});
    ASSERT_EQ(run.status, 0) << run.err;
    run = testing::careledger(
        dir, {"users", "add", "--db", url_for_app(), "--name", "root", "--role", "admin"});
    ASSERT_EQ(run.status, 0) << run.err;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) token = line;  // the last line
    server.name = "serve";
    ASSERT_NO_FATAL_FAILURE(testing::start_serving(server, dir, url_for_app()));
    ASSERT_NO_FATAL_FAILURE(testing::await_listening(server));
    const auto team = post("/v1/teams", R"({"name":"north","label":"North"})");
    ASSERT_EQ(team.status, 201) << team.body;
  }

  // Stops the server (SIGTERM), which ends cleanly, and drops the test's database over a new
  // connection (the fixture's own was closed by the restart).
  void TearDown() override {
    const int status = testing::stop_serving(server);
    if (status >= 0) {
      EXPECT_EQ(status, 0) << "standard error:\n" << contents(server.err);
    }
    if (have_database_) {
      try {
        persistence::pg::Connection admin(std::getenv("CARELEDGER_TEST_POSTGRES"));
        const std::string url = url_for_app();
        admin.run("DROP DATABASE IF EXISTS " + url.substr(url.rfind('/') + 1) + " WITH (FORCE)");
        admin.run("DROP ROLE IF EXISTS " + app_role() + "; DROP ROLE IF EXISTS " + owner_role());
      } catch (const std::exception& e) {
        ADD_FAILURE() << "could not drop the test's database: " << e.what();
      }
    }
    PgDatabase::TearDown();
  }

  HttpResponse post(const std::string& path, const std::string& body, Headers headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + token);
    headers.emplace_back("Content-Type", "application/json");
    return server.client->send("POST", path, headers, body);
  }
  HttpResponse get(const std::string& path) {
    return server.client->send("GET", path, {{"Authorization", "Bearer " + token}});
  }
  std::string new_person(int n) {
    const auto made = post("/v1/people", person(n));
    EXPECT_EQ(made.status, 201) << made.body;
    return id_of(made);
  }
  static std::string person(int n) {
    return R"({"given_name":"Ada","family_name":"Lovelace )" + std::to_string(n) +
           R"(","date_of_birth":"1950-05-05","team":"north"})";
  }
  static std::string assessment(const std::string& person_id) {
    return R"({"person_id":")" + person_id +
           R"(","kind":"needs","requested_on":"2024-05-01","priority":"high"})";
  }
  // The server is still the one started in SetUp.
  bool still_running() {
    int status = 0;
    if (server.pid > 0 && waitpid(server.pid, &status, WNOHANG) == server.pid) {
      ADD_FAILURE() << "careledger ended (" << exit_status(status) << "): " << contents(server.err);
      server.pid = -1;
    }
    return server.pid > 0;
  }
  std::int64_t events_in_log() {
    persistence::pg::Connection db(url_for_app());
    return db.query("SELECT count(*) FROM log").integer(0, 0);
  }

  std::string data_;
  bool have_database_ = false;
  testing::TempDir dir;
  std::string token;  // root, an admin
  testing::ServeProcess server;
};

// 503 with Retry-After, as problem+json, answered at once (not after a client's timeout).
void expect_unavailable(const HttpResponse& answer, std::chrono::steady_clock::duration took,
                        const std::string& what) {
  EXPECT_EQ(answer.status, 503) << what << ": " << answer.body;
  EXPECT_EQ(answer.header("content-type"), "application/problem+json") << what;
  EXPECT_EQ(answer.header("retry-after"), "1") << what;
  EXPECT_LT(took, 5s) << what;
}

TEST_F(PgRestart, ARunningServerAnswers503WhilePostgresqlIsAwayAndRecoversWhenItIsBack) {
  const auto person_id = new_person(0);
  ASSERT_FALSE(person_id.empty());
  const auto before = post("/v1/assessments", assessment(person_id));
  ASSERT_EQ(before.status, 201) << before.body;

  // Restarted while the server is idle: its pooled read connection and its writer's connection
  // were closed under it, and are dropped before they are used, so the very first read and
  // write after the restart succeed.
  {
    Outage outage(data_);
    ASSERT_TRUE(outage.stopped());
    ASSERT_TRUE(outage.end());
  }
  EXPECT_EQ(get("/v1/people/" + person_id).status, 200);
  const auto after_idle = post("/v1/assessments", assessment(person_id));
  EXPECT_EQ(after_idle.status, 201) << after_idle.body;

  // Away: reads and writes (one with an Idempotency-Key) are refused at once with 503.
  const auto events_before = events_in_log();
  const Headers key{{"Idempotency-Key", "during-the-outage"}};
  {
    Outage outage(data_);
    ASSERT_TRUE(outage.stopped());
    for (int i = 0; i < 3; ++i) {
      SCOPED_TRACE("request " + std::to_string(i) + " while PostgreSQL is away");
      auto started = std::chrono::steady_clock::now();
      const auto read = get("/v1/people/" + person_id);
      expect_unavailable(read, std::chrono::steady_clock::now() - started, "a read");
      started = std::chrono::steady_clock::now();
      const auto write = post("/v1/assessments", assessment(person_id), key);
      expect_unavailable(write, std::chrono::steady_clock::now() - started, "a write");
      started = std::chrono::steady_clock::now();
      const auto list = get("/v1/waiting-list");
      expect_unavailable(list, std::chrono::steady_clock::now() - started, "a list");
    }
    ASSERT_TRUE(still_running()) << contents(server.err);
    ASSERT_TRUE(outage.end());
  }
  EXPECT_EQ(events_in_log(), events_before) << "a write refused with 503 was recorded";

  // Back: the same server reads and writes again. pg_ctl -w returned once PostgreSQL accepts
  // connections, and the server opens new ones as it needs them, so no retry is needed; the
  // deadline only bounds a failure.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  HttpResponse read;
  for (int attempt = 0;; ++attempt) {
    read = get("/v1/people/" + person_id);
    if (read.status == 200 || std::chrono::steady_clock::now() > deadline) {
      EXPECT_EQ(attempt, 0) << "reads failed after PostgreSQL was back";
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(read.status, 200) << read.body;
  const auto retried = post("/v1/assessments", assessment(person_id), key);
  ASSERT_EQ(retried.status, 201) << retried.body;
  const auto repeated = post("/v1/assessments", assessment(person_id), key);
  ASSERT_EQ(repeated.status, 201) << repeated.body;
  EXPECT_EQ(id_of(repeated), id_of(retried));  // recorded once
  const auto seen = get("/v1/assessments/" + id_of(retried));
  EXPECT_EQ(seen.status, 200) << seen.body;
  const auto list = get("/v1/waiting-list?limit=1000");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(events_in_log(), events_before + 1);  // the retried write, once

  // Every acknowledged write is in the log, and the read models equal a rebuild from it.
  const auto verified = testing::careledger(dir, {"verify", "--db", url_for_app()});
  EXPECT_EQ(verified.status, 0) << verified.out << verified.err;
  EXPECT_TRUE(still_running());
}

// `careledger import` commits its lines without waiting for the disk, and waits for it once at
// the end: when it has said what it recorded, all of it survives PostgreSQL stopping at once.
TEST_F(PgRestart, WhatAnImportSaysItRecordedSurvivesPostgresqlStoppingAtOnce) {
  const std::string file = dir.file("council.ndjson");
  auto run = testing::careledger(
      dir, {"generate", "--scale", "0.01", "--years", "1", "--seed", "5", "--out", file});
  ASSERT_EQ(run.status, 0) << run.err;
  const auto events_before = events_in_log();
  run = testing::careledger(dir, {"import", "--db", url_for_app(), file});
  ASSERT_EQ(run.status, 0) << run.out << run.err;
  std::smatch said;
  ASSERT_TRUE(std::regex_search(run.out, said, std::regex(R"(; (\d+) events\))"))) << run.out;
  const auto events = std::stoll(said[1].str());
  ASSERT_GT(events, 100);
  {
    Outage outage(data_);  // at once: nothing more is flushed
    ASSERT_TRUE(outage.stopped());
    ASSERT_TRUE(outage.end());
  }
  EXPECT_EQ(events_in_log(), events_before + events);
}

}  // namespace
}  // namespace careledger::tools
