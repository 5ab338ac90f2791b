#include "tests/api/api_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "persistence/database.hpp"
#include "persistence/pg_schema.hpp"
#include "services/teams.hpp"
#include "services/users_admin.hpp"

namespace careledger::testing {

void ApiTest::SetUp() {
  const char* engine = std::getenv("CARELEDGER_TEST_STORE");
  if (engine != nullptr && std::string_view(engine) == "postgresql") {
    postgres = std::make_unique<ThrowawayDatabase>();
    persistence::pg::Connection owner(postgres->url_as(postgres->owner_role()));
    persistence::pg::install_store(owner, postgres->app_role());
    db_path = postgres->url_as(postgres->app_role());
  }
  auto db = persistence::open_writer(db_path);
  for (const char* team : {"north", "south", "east", "west"}) {
    services::add_team(*db, team, team, "test");
  }
  auto add = [&](const char* name, domain::Role role, std::vector<domain::Team> teams) {
    return services::add_user(*db, persistence::User{name, role, std::move(teams)});
  };
  admin = add("admin", domain::Role::admin, {});
  north = add("nia", domain::Role::practitioner, {domain::Team{"north"}});
  south = add("sol", domain::Role::practitioner, {domain::Team{"south"}});
  north_leader = add("nell", domain::Role::team_leader, {domain::Team{"north"}});
  analyst = add("ana", domain::Role::analyst, {});
  db.reset();
  start();
}

void ApiTest::TearDown() {
  stop();
}

void ApiTest::start() {
  api::ApplicationOptions options;
  options.db_path = db_path;
  options.server.port = 0;
  options.server.worker_threads = 8;
  options.api = api_options();
  options.api.log_request = [this](const std::string& line) {
    std::lock_guard lock(log_mutex_);
    log_.push_back(line);
  };
  options.server.max_connections = max_connections();
  options.config = configuration();
  options.today = [] { return domain::parse_date(today).value(); };
  options.now = [this] {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "2024-06-30T10:%02d:00.000Z", recording_minute.load());
    return std::string(stamp);
  };
  app = std::make_unique<api::Application>(options);
  serving = std::thread([this] { app->run(); });
  client = std::make_unique<HttpClient>(app->port());
}

std::vector<std::string> ApiTest::logged() const {
  std::lock_guard lock(log_mutex_);
  return log_;
}

void ApiTest::stop() {
  client.reset();
  if (app) app->stop();
  if (serving.joinable()) serving.join();
  app.reset();
}

HttpResponse ApiTest::post(const std::string& token, const std::string& path,
                           const std::string& body,
                           std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Authorization", "Bearer " + token);
  headers.emplace_back("Content-Type", "application/json");
  return client->send("POST", path, headers, body);
}

HttpResponse ApiTest::get(const std::string& token, const std::string& path) {
  return client->send("GET", path, {{"Authorization", "Bearer " + token}});
}

std::string ApiTest::access_entry(const HttpResponse& answer) const {
  auto db = persistence::open_reader(db_path);
  persistence::Prepared find(*db,
                             "SELECT route || ' ' || status || ' ' || COALESCE(\"user\", 'nobody') "
                             "FROM access_log WHERE request_id = ?");
  find->bind(1, answer.header("x-request-id"));
  return find->executeStep() ? find->getColumn(0).getString() : "none";
}

std::int64_t ApiTest::event_count() const {
  auto db = persistence::open_reader(db_path);
  return db->execAndGet("SELECT COUNT(*) FROM events").getInt64();
}

std::string ApiTest::create_person(const std::string& team, const std::string& date_of_birth) {
  auto r = post(admin, "/v1/people",
                R"({"given_name":"Ada","family_name":"Lovelace","date_of_birth":")" +
                    date_of_birth + R"(","team":")" + team + R"("})");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(r.json().at("id").as_string());
}

std::string ApiTest::request_assessment(const std::string& person_id,
                                        const std::string& requested_on,
                                        const std::string& priority) {
  auto r = post(admin, "/v1/assessments",
                R"({"person_id":")" + person_id + R"(","kind":"needs","requested_on":")" +
                    requested_on + R"(","priority":")" + priority + R"("})");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(r.json().at("id").as_string());
}

std::vector<std::string> error_fields(const HttpResponse& response) {
  std::vector<std::string> fields;
  auto body = response.json();
  for (const auto& e : body.at("errors").as_array()) {
    fields.emplace_back(e.at("field").as_string());
  }
  return fields;
}

}  // namespace careledger::testing
