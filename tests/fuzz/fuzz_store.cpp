#include "tests/fuzz/fuzz_store.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include <boost/json.hpp>

#include "persistence/database.hpp"
#include "persistence/event_writer.hpp"
#include "services/teams.hpp"
#include "services/users_admin.hpp"

namespace careledger::fuzzing {

namespace fs = std::filesystem;

struct FuzzStore::Parts {
  fs::path dir;
  std::unique_ptr<persistence::EventWriter> writer;
  std::unique_ptr<persistence::ReaderPool> readers;
  std::unique_ptr<services::Context> context;
  std::unique_ptr<api::Api> api;
};

FuzzStore& FuzzStore::get() {
  static FuzzStore store;
  return store;
}

FuzzStore::FuzzStore() : parts_(std::make_unique<Parts>()) {
  const fs::path base =
      fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  std::string pattern = (base / "careledger-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("no temporary directory");
  parts_->dir = pattern;
  const std::string db_path = (parts_->dir / "fuzz.db").string();
  {
    auto db = persistence::open_writer(db_path);
    for (const char* team : {"north", "south"}) services::add_team(*db, team, team, "fuzz");
    auto add = [&](const char* name, domain::Role role, std::vector<domain::Team> teams) {
      tokens_[std::string(domain::code_name(role))] =
          services::add_user(*db, persistence::User{name, role, std::move(teams)});
    };
    add("admin", domain::Role::admin, {});
    add("lee", domain::Role::team_leader, {domain::Team{"north"}});
    add("pat", domain::Role::practitioner, {domain::Team{"north"}});
    add("ana", domain::Role::analyst, {});
  }
  // The server's own writer and readers, as the API meets them.
  parts_->writer = std::make_unique<persistence::EventWriter>(db_path);
  parts_->readers = std::make_unique<persistence::ReaderPool>(db_path);
  parts_->context = std::make_unique<services::Context>(
      services::Context{*parts_->writer, *parts_->readers, services::london_today, {}});
  parts_->api = std::make_unique<api::Api>(*parts_->context, api::ApiOptions::unlimited());

  const auto person = made("/v1/people", R"({"given_name":"Ada","family_name":"Lovelace",
      "date_of_birth":"1950-05-05","team":"north"})");
  ids_["/v1/people/"] = person;
  const auto about = [&](const std::string& rest) {
    return R"({"person_id":")" + person + "\"," + rest + "}";
  };
  ids_["/v1/assessments/"] = made(
      "/v1/assessments", about(R"("kind":"needs","requested_on":"2024-06-01","priority":"high")"));
  ids_["/v1/support-episodes/"] =
      made("/v1/support-episodes", about(R"("kind":"long_term","setting":"community",
          "delivery":"council_arranged","started_on":"2024-01-01")"));
  ids_["/v1/reviews/"] = made(
      "/v1/reviews", about(R"("reviewed_on":"2024-06-05","planned":true,"outcome":"no_change")"));
  // One concern decided (its enquiry open), one awaiting a decision.
  const auto decided =
      made("/v1/safeguarding/concerns", about(R"("received_on":"2024-06-01","source":"family",
          "abuse_types":["neglect"],"location":"own_home")"));
  ids_["/v1/safeguarding/enquiries/"] =
      made("/v1/safeguarding/concerns/" + decided + "/decision",
           R"({"decided_on":"2024-06-02","outcome":"section_42_enquiry"})", "enquiry_id");
  ids_["/v1/safeguarding/concerns/"] =
      made("/v1/safeguarding/concerns", about(R"("received_on":"2024-06-03","source":"family",
          "abuse_types":["physical"],"location":"own_home")"));
  const auto placement = made(
      "/v1/care-home-placements",
      about(R"("started_on":"2024-05-01","weekly_cost_pence":80000,"property_disregard":true)"));
  ids_["/v1/care-home-placements/"] = placement;
  ids_["/v1/deferred-payments/"] =
      made("/v1/deferred-payments",
           R"({"placement_id":")" + placement + R"(","offered_on":"2024-05-02"})");
  ids_["/v1/users/"] =
      made("/v1/users", R"({"name":"una","role":"practitioner","teams":["south"]})");
}

FuzzStore::~FuzzStore() {
  parts_->api.reset();
  parts_->context.reset();
  parts_->readers.reset();
  parts_->writer.reset();
  std::error_code ec;
  fs::remove_all(parts_->dir, ec);
}

std::string FuzzStore::made(const std::string& target, const std::string& body, const char* field) {
  auto response = call("POST", target, body, token("admin"));
  if (response.status >= 300) {
    throw std::runtime_error("the fuzz council could not be made: " + target + " answered " +
                             std::to_string(response.status) + " " + response.body);
  }
  return std::string(boost::json::parse(response.body).at(field).as_string());
}

api::Response FuzzStore::call(std::string method, std::string_view target, std::string body,
                              const std::string& token) {
  api::Request request;
  request.method = std::move(method);
  const auto q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
  if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
  if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
  request.body = std::move(body);
  request.peer = "192.0.2.1";
  return parts_->api->handle(request);
}

api::Response FuzzStore::submit(std::string_view target, boost::json::object body) {
  api::Submission submission;
  submission.path = std::string(target);
  submission.body = std::move(body);
  return parts_->api->submit(services::Actor{"admin", domain::Role::admin, {}},
                             std::move(submission));
}

const std::string& FuzzStore::token(std::string_view role) const {
  const auto found = tokens_.find(role);
  if (found == tokens_.end()) throw std::logic_error("no such role");
  return found->second;
}

std::string FuzzStore::target_of(std::string_view pattern) const {
  const auto hole = pattern.find("{}");
  if (hole == std::string_view::npos) return std::string(pattern);
  const auto prefix = pattern.substr(0, hole);
  const auto found = ids_.find(prefix);
  const std::string id = found == ids_.end() ? "unknown" : found->second;
  return std::string(prefix) + id + std::string(pattern.substr(hole + 2));
}

const api::Api& FuzzStore::api() const {
  return *parts_->api;
}

void defect(std::string_view why, const api::Response& response) {
  std::cerr << "defect: " << why << " (status " << response.status << "): " << response.body
            << "\n";
  std::abort();
}

}  // namespace careledger::fuzzing
