// The access matrix (API.md: roles; 1.1: who read what), walked from the server's own route
// table: every route, asked by every role about a record or list of its own team and of another
// team, answers the status its row below says, and a refusal records nothing; on a route that
// carries person data every one of those requests, refusals included, is in the access log
// (with its route, status and user) by the time its answer arrives, and on no other route.
// A route without a row fails the test: a new route needs its row here.
#include <functional>
#include <map>
#include <set>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "persistence/database.hpp"
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

// One request: GET when body is empty.
struct Ask {
  std::string target;
  std::string body;
};
Ask read(std::string target) {
  return {std::move(target), ""};
}

// The statuses for a record or list of the asker's own team ("north") and of another ("south").
struct Pair {
  int own;
  int other;
};
struct Cells {
  Pair admin, leader, practitioner, analyst, anonymous;
};

// What each kind of route answers, by the contract's roles: admin everything; team leader and
// practitioner the casework of their teams (another team's record is unknown to them: 404; a
// list or a new person of another team is not allowed: 403); a team leader and an analyst the
// measures (the leader only of their teams); the register of teams to everyone with a token.
constexpr Cells read_record{{200, 200}, {200, 404}, {200, 404}, {403, 403}, {401, 401}};
constexpr Cells change_record{{200, 200}, {200, 404}, {200, 404}, {403, 403}, {401, 401}};
constexpr Cells create_for_person{{201, 201}, {201, 404}, {201, 404}, {403, 403}, {401, 401}};
constexpr Cells register_person{{201, 201}, {201, 403}, {201, 403}, {403, 403}, {401, 401}};
constexpr Cells team_list{{200, 200}, {200, 403}, {200, 403}, {403, 403}, {401, 401}};
constexpr Cells figures{{200, 200}, {200, 403}, {403, 403}, {200, 200}, {401, 401}};
constexpr Cells correction{{201, 201}, {201, 404}, {403, 403}, {403, 403}, {401, 401}};
constexpr Cells admin_read{{200, 200}, {403, 403}, {403, 403}, {403, 403}, {401, 401}};
constexpr Cells admin_change{{200, 200}, {403, 403}, {403, 403}, {403, 403}, {401, 401}};
constexpr Cells admin_create{{201, 201}, {403, 403}, {403, 403}, {403, 403}, {401, 401}};
constexpr Cells data_quality{{200, 200}, {403, 403}, {403, 403}, {200, 200}, {401, 401}};
// An admin's route asked with JSON where it takes a CSV file (the CLD import: 415), or about an
// id that is not there (404).
constexpr Cells admin_upload{{415, 415}, {403, 403}, {403, 403}, {403, 403}, {401, 401}};
constexpr Cells admin_unknown{{404, 404}, {403, 403}, {403, 403}, {403, 403}, {401, 401}};
constexpr Cells any_user{{200, 200}, {200, 200}, {200, 200}, {200, 200}, {401, 401}};
constexpr Cells any_user_create{{201, 201}, {201, 201}, {201, 201}, {201, 201}, {401, 401}};
constexpr Cells any_user_delete{{204, 204}, {204, 204}, {204, 204}, {204, 204}, {401, 401}};
constexpr Cells anyone{{200, 200}, {200, 200}, {200, 200}, {200, 200}, {200, 200}};

class AccessMatrixTest : public ApiTest {
 protected:
  // Every request here is one of the matrix: none is slowed.
  api::ApiOptions api_options() const override { return api::ApiOptions::unlimited(); }
  domain::Configuration configuration() const override {
    domain::Configuration config;
    config.la_code = "999";
    return config;
  }

  // Records made afresh by the admin for each request (a write may change what it touches),
  // in `team`; each returns the new record's id.
  std::string id_of(const HttpResponse& r, const char* field = "id") {
    EXPECT_LT(r.status, 300) << r.body;
    return r.status < 300 ? std::string(r.json().at(field).as_string()) : "missing";
  }
  std::string person(const std::string& team) { return create_person(team); }
  std::string assessment(const std::string& team) {
    return request_assessment(person(team), "2024-06-01");
  }
  std::string support_request(const std::string& team) {
    return id_of(post(admin, "/v1/requests",
                      R"({"person_id":")" + person(team) +
                          R"(","received_on":"2024-06-01","route_of_access":"community_other"})"));
  }
  std::string allocated_assessment(const std::string& team) {
    const auto id = assessment(team);
    EXPECT_EQ(post(admin, "/v1/assessments/" + id + "/allocation",
                   R"({"practitioner":"Sam","allocated_on":"2024-06-02"})")
                  .status,
              200);
    return id;
  }
  std::string supported_person(const std::string& team) {
    const auto who = person(team);
    episode_for(who);
    return who;
  }
  std::string episode_for(const std::string& who) {
    return id_of(post(admin, "/v1/support-episodes",
                      R"({"person_id":")" + who +
                          R"(","kind":"long_term","setting":"community",
                          "delivery":"council_arranged","started_on":"2024-01-01"})"));
  }
  std::string episode(const std::string& team) { return episode_for(person(team)); }
  std::string review(const std::string& team) {
    return id_of(post(admin, "/v1/reviews", review_body(supported_person(team))));
  }
  static std::string review_body(const std::string& who) {
    return R"({"person_id":")" + who +
           R"(","reviewed_on":"2024-06-05","planned":true,"outcome":"no_change"})";
  }
  std::string concern(const std::string& team) {
    return id_of(post(admin, "/v1/safeguarding/concerns", concern_body(person(team))));
  }
  static std::string concern_body(const std::string& who) {
    return R"({"person_id":")" + who +
           R"(","received_on":"2024-06-01","source":"family","abuse_types":["neglect"],
               "location":"own_home"})";
  }
  std::string enquiry(const std::string& team) {
    return id_of(post(admin, "/v1/safeguarding/concerns/" + concern(team) + "/decision",
                      R"({"decided_on":"2024-06-02","outcome":"section_42_enquiry"})"),
                 "enquiry_id");
  }
  std::string placement(const std::string& team) {
    return id_of(post(admin, "/v1/care-home-placements", placement_body(person(team))));
  }
  static std::string placement_body(const std::string& who) {
    return R"({"person_id":")" + who +
           R"(","started_on":"2024-05-01","weekly_cost_pence":80000,"property_disregard":true})";
  }
  std::string agreement(const std::string& team) {
    return id_of(post(admin, "/v1/deferred-payments", agreement_body(placement(team))));
  }
  static std::string agreement_body(const std::string& placement_id) {
    return R"({"placement_id":")" + placement_id + R"(","offered_on":"2024-05-02"})";
  }
  std::string signed_agreement(const std::string& team) {
    const auto id = agreement(team);
    EXPECT_EQ(post(admin, "/v1/deferred-payments/" + id + "/signature",
                   R"({"signed_on":"2024-05-20","property_value_pence":20000000,
                       "prior_charges_pence":100000,"weekly_deferred_pence":50000,
                       "interest_rate_basis_points":200})")
                  .status,
              200);
    return id;
  }
  // The registration event of a new person of the team.
  std::string event(const std::string& team) {
    const auto history = get(admin, "/v1/people/" + person(team) + "/history");
    EXPECT_EQ(history.status, 200) << history.body;
    return std::string(history.json().at("items").at(0).at("event_id").as_string());
  }
  std::string user(const std::string& team) {
    static int made = 0;
    return id_of(post(admin, "/v1/users",
                      R"({"name":"matrix)" + std::to_string(++made) +
                          R"(","role":"practitioner","teams":[")" + team + R"("]})"));
  }

  struct Row {
    bool personal;  // carries person data: each request is in the access log
    Cells expected;
    std::function<Ask(const std::string& team)> ask;
  };

  // Every route of the table, by "METHOD pattern".
  std::map<std::string, Row> rows() {
    auto on = [](std::string path) { return [path](const std::string&) { return read(path); }; };
    return {
        {"GET /healthz", {false, anyone, on("/healthz")}},
        {"GET /", {false, anyone, on("/")}},
        {"GET /dashboard/{}", {false, anyone, on("/dashboard/index.html")}},
        {"POST /v1/session",
         {false, any_user_create,
          [](const std::string&) {
            return Ask{"/v1/session", "{}"};
          }}},
        {"GET /v1/session", {false, any_user, on("/v1/session")}},
        {"DELETE /v1/session", {false, any_user_delete, on("/v1/session")}},
        {"GET /metrics", {false, admin_read, on("/metrics")}},
        {"GET /v1/teams", {false, any_user, on("/v1/teams")}},
        {"POST /v1/teams",
         {false, admin_create,
          [](const std::string&) {
            static int made = 0;
            const auto name = "t" + std::to_string(++made);
            return Ask{"/v1/teams", R"({"name":")" + name + R"(","label":"Matrix"})"};
          }}},
        {"GET /v1/users", {false, admin_read, on("/v1/users")}},
        {"POST /v1/users",
         {false, admin_create,
          [](const std::string& team) {
            static int made = 0;
            return Ask{"/v1/users", R"({"name":"new)" + std::to_string(++made) +
                                        R"(","role":"analyst","teams":[")" + team + R"("]})"};
          }}},
        {"POST /v1/users/{}/role",
         {false, admin_change,
          [this](const std::string& t) {
            return Ask{"/v1/users/" + user(t) + "/role", R"({"role":"team_leader"})"};
          }}},
        {"POST /v1/users/{}/teams",
         {false, admin_change,
          [this](const std::string& t) {
            return Ask{"/v1/users/" + user(t) + "/teams", R"({"teams":["east"]})"};
          }}},
        {"POST /v1/users/{}/disable",
         {false, admin_change,
          [this](const std::string& t) {
            return Ask{"/v1/users/" + user(t) + "/disable", "{}"};
          }}},
        {"POST /v1/users/{}/enable",
         {false, admin_change,
          [this](const std::string& t) {
            return Ask{"/v1/users/" + user(t) + "/enable", "{}"};
          }}},
        {"POST /v1/users/{}/token",
         {false, admin_change,
          [this](const std::string& t) {
            return Ask{"/v1/users/" + user(t) + "/token", "{}"};
          }}},
        {"GET /v1/audit", {true, admin_read, on("/v1/audit?limit=1")}},
        // Every person's NHS number is in the file: who took it is logged.
        {"GET /v1/exports/cld", {true, admin_read, on("/v1/exports/cld?quarter=2023-24-Q4")}},
        // A CLD file imported, and its report, name the people in it.
        {"POST /v1/imports/cld",
         {true, admin_upload,
          [](const std::string&) {
            return Ask{"/v1/imports/cld", "{}"};
          }}},
        {"GET /v1/imports/cld/{}", {true, admin_unknown, on("/v1/imports/cld/unknown")}},
        {"GET /v1/exports/cld/data-quality",
         {false, data_quality, on("/v1/exports/cld/data-quality?quarter=2023-24-Q4")}},

        {"POST /v1/people",
         {true, register_person,
          [](const std::string& team) {
            return Ask{"/v1/people", R"({"given_name":"Grace","family_name":"Hopper",
                                        "date_of_birth":"1940-12-09","team":")" +
                                         team + R"("})"};
          }}},
        {"GET /v1/people/{}",
         {true, read_record,
          [this](const std::string& t) { return read("/v1/people/" + person(t)); }}},
        {"GET /v1/people/{}/history",
         {true, read_record,
          [this](const std::string& t) { return read("/v1/people/" + person(t) + "/history"); }}},
        {"POST /v1/people/{}/details",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/people/" + person(t) + "/details",
                       R"({"effective_on":"2024-06-01","gender":"female"})"};
          }}},
        {"POST /v1/people/{}/death",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/people/" + person(t) + "/death", R"({"died_on":"2024-06-01"})"};
          }}},

        {"POST /v1/requests",
         {true, create_for_person,
          [this](const std::string& t) {
            return Ask{"/v1/requests", R"({"person_id":")" + person(t) +
                                           R"(","received_on":"2024-06-01",
                                           "route_of_access":"discharge_from_hospital"})"};
          }}},
        {"GET /v1/requests/{}",
         {true, read_record,
          [this](const std::string& t) { return read("/v1/requests/" + support_request(t)); }}},
        {"POST /v1/requests/{}/outcome",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/requests/" + support_request(t) + "/outcome",
                       R"({"decided_on":"2024-06-02","outcome":"progress_to_assessment",
                           "assessment":{"kind":"needs","priority":"high"}})"};
          }}},

        {"POST /v1/assessments",
         {true, create_for_person,
          [this](const std::string& t) {
            return Ask{"/v1/assessments", R"({"person_id":")" + person(t) +
                                              R"(","kind":"needs","requested_on":"2024-06-01",
                                              "priority":"high"})"};
          }}},
        {"GET /v1/assessments/{}",
         {true, read_record,
          [this](const std::string& t) { return read("/v1/assessments/" + assessment(t)); }}},
        {"POST /v1/assessments/{}/allocation",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/assessments/" + assessment(t) + "/allocation",
                       R"({"practitioner":"Sam","allocated_on":"2024-06-02"})"};
          }}},
        {"POST /v1/assessments/{}/completion",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/assessments/" + allocated_assessment(t) + "/completion",
                       R"({"completed_on":"2024-06-03","eligible_needs":true})"};
          }}},
        {"POST /v1/assessments/{}/closure",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/assessments/" + assessment(t) + "/closure",
                       R"({"closed_on":"2024-06-03","reason":"withdrawn"})"};
          }}},
        {"GET /v1/waiting-list",
         {true, team_list,
          [](const std::string& t) { return read("/v1/waiting-list?team=" + t); }}},

        {"POST /v1/support-episodes",
         {true, create_for_person,
          [this](const std::string& t) {
            return Ask{"/v1/support-episodes", R"({"person_id":")" + person(t) +
                                                   R"(","kind":"short_term","setting":"community",
                           "delivery":"council_arranged","started_on":"2024-06-01"})"};
          }}},
        {"GET /v1/support-episodes/{}",
         {true, read_record,
          [this](const std::string& t) { return read("/v1/support-episodes/" + episode(t)); }}},
        {"POST /v1/support-episodes/{}/end",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/support-episodes/" + episode(t) + "/end",
                       R"({"ended_on":"2024-06-10"})"};
          }}},
        {"POST /v1/reviews",
         {true, create_for_person,
          [this](const std::string& t) {
            return Ask{"/v1/reviews", review_body(supported_person(t))};
          }}},
        {"GET /v1/reviews/{}",
         {true, read_record,
          [this](const std::string& t) { return read("/v1/reviews/" + review(t)); }}},
        {"GET /v1/reviews/overdue",
         {true, team_list,
          [](const std::string& t) { return read("/v1/reviews/overdue?team=" + t); }}},

        {"POST /v1/safeguarding/concerns",
         {true, create_for_person,
          [this](const std::string& t) {
            return Ask{"/v1/safeguarding/concerns", concern_body(person(t))};
          }}},
        {"GET /v1/safeguarding/concerns/{}",
         {true, read_record,
          [this](const std::string& t) {
            return read("/v1/safeguarding/concerns/" + concern(t));
          }}},
        {"POST /v1/safeguarding/concerns/{}/decision",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/safeguarding/concerns/" + concern(t) + "/decision",
                       R"({"decided_on":"2024-06-02","outcome":"section_42_enquiry"})"};
          }}},
        {"GET /v1/safeguarding/enquiries/{}",
         {true, read_record,
          [this](const std::string& t) {
            return read("/v1/safeguarding/enquiries/" + enquiry(t));
          }}},
        {"POST /v1/safeguarding/enquiries/{}/conclusion",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/safeguarding/enquiries/" + enquiry(t) + "/conclusion",
                       R"({"concluded_on":"2024-06-10","risk_identified":"no",
                           "outcomes_asked":"not_asked"})"};
          }}},
        {"GET /v1/safeguarding/open",
         {true, team_list,
          [](const std::string& t) { return read("/v1/safeguarding/open?team=" + t); }}},

        {"POST /v1/care-home-placements",
         {true, create_for_person,
          [this](const std::string& t) {
            return Ask{"/v1/care-home-placements", placement_body(person(t))};
          }}},
        {"GET /v1/care-home-placements/{}",
         {true, read_record,
          [this](const std::string& t) {
            return read("/v1/care-home-placements/" + placement(t));
          }}},
        {"POST /v1/care-home-placements/{}/self-funding",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/care-home-placements/" + placement(t) + "/self-funding",
                       R"({"arranged_on":"2024-05-10"})"};
          }}},
        {"POST /v1/deferred-payments",
         {true, create_for_person,
          [this](const std::string& t) {
            return Ask{"/v1/deferred-payments", agreement_body(placement(t))};
          }}},
        {"GET /v1/deferred-payments/attention",
         {true, team_list,
          [](const std::string& t) { return read("/v1/deferred-payments/attention?team=" + t); }}},
        {"GET /v1/deferred-payments/{}",
         {true, read_record,
          [this](const std::string& t) { return read("/v1/deferred-payments/" + agreement(t)); }}},
        {"POST /v1/deferred-payments/{}/signature",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/deferred-payments/" + agreement(t) + "/signature",
                       R"({"signed_on":"2024-05-20","property_value_pence":20000000,
                           "weekly_deferred_pence":50000,"interest_rate_basis_points":200})"};
          }}},
        {"POST /v1/deferred-payments/{}/decline",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/deferred-payments/" + agreement(t) + "/decline",
                       R"({"declined_on":"2024-05-05"})"};
          }}},
        {"POST /v1/deferred-payments/{}/termination",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/deferred-payments/" + signed_agreement(t) + "/termination",
                       R"({"terminated_on":"2024-06-01","reason":"property_sold"})"};
          }}},
        {"POST /v1/deferred-payments/{}/charges",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/deferred-payments/" + signed_agreement(t) + "/charges",
                       R"({"charged_on":"2024-06-01","amount_pence":100,"description":"fee"})"};
          }}},
        {"POST /v1/deferred-payments/{}/repayments",
         {true, change_record,
          [this](const std::string& t) {
            return Ask{"/v1/deferred-payments/" + signed_agreement(t) + "/repayments",
                       R"({"repaid_on":"2024-06-01","amount_pence":50})"};
          }}},

        {"POST /v1/corrections",
         {true, correction,
          [this](const std::string& t) {
            return Ask{"/v1/corrections", R"({"event_id":")" + event(t) + R"(","reason":"typo"})"};
          }}},

        {"GET /v1/measures",
         {false, figures, [](const std::string& t) { return read("/v1/measures?team=" + t); }}},
        {"GET /v1/reports/monthly",
         {false, figures,
          [](const std::string& t) {
            return read("/v1/reports/monthly?financial_year=2023-24&team=" + t);
          }}},
        {"GET /v1/reports/performance",
         {false, figures,
          [](const std::string& t) {
            return read("/v1/reports/performance?financial_year=2023-24&team=" + t);
          }}},
    };
  }

  // What a write could have changed: events, users' changes, teams, sessions.
  std::int64_t records() const {
    auto db = persistence::open_reader(db_path);
    return db
        ->execAndGet(
            "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM "
            "user_changes) + (SELECT COUNT(*) FROM teams) + (SELECT COUNT(*) FROM sessions)")
        .getInt64();
  }
};

TEST_F(AccessMatrixTest, EveryRouteAnswersEachRoleAsItsRowSaysAndLogsWhatCarriesPeople) {
  const auto table = rows();
  struct Asker {
    const char* role;
    std::string token;
    Pair Cells::*cell;
    const char* user;  // as the access log names them
  };
  const std::vector<Asker> askers{{"admin", admin, &Cells::admin, "admin"},
                                  {"team leader", north_leader, &Cells::leader, "nell"},
                                  {"practitioner", north, &Cells::practitioner, "nia"},
                                  {"analyst", analyst, &Cells::analyst, "ana"},
                                  {"no token", "", &Cells::anonymous, "nobody"}};
  std::set<std::string> walked;
  for (const auto& route : app->api().routes()) {
    const std::string name = route.method + " " + route.pattern;
    walked.insert(name);
    const auto row = table.find(name);
    if (row == table.end()) {
      ADD_FAILURE() << name << " has no row in the access matrix";
      continue;
    }
    EXPECT_EQ(route.personal, row->second.personal)
        << name << ": the route table and the matrix disagree on whether it carries person data";
    for (const auto& asker : askers) {
      for (const bool own : {true, false}) {
        const auto ask = row->second.ask(own ? "north" : "south");
        const std::vector<std::pair<std::string, std::string>> headers =
            asker.token.empty() ? std::vector<std::pair<std::string, std::string>>{}
                                : std::vector<std::pair<std::string, std::string>>{
                                      {"Authorization", "Bearer " + asker.token}};
        auto with_type = headers;
        with_type.emplace_back("Content-Type", "application/json");
        const auto before = records();
        const auto answer = route.method == "POST"
                                ? client->send("POST", ask.target, with_type, ask.body)
                                : client->send(route.method, ask.target, headers);
        const Pair expected = row->second.expected.*asker.cell;
        EXPECT_EQ(answer.status, own ? expected.own : expected.other)
            << name << " asked by " << asker.role << " about "
            << (own ? "their own team" : "another team") << ": " << answer.body;
        const std::string who = std::string(name) + " asked by " + asker.role + " (" +
                                std::to_string(answer.status) + ")";
        if (answer.status >= 400) {
          EXPECT_EQ(records(), before) << who << " recorded something";
        }
        EXPECT_EQ(access_entry(answer),
                  row->second.personal
                      ? route.pattern + " " + std::to_string(answer.status) + " " + asker.user
                      : "none")
            << who << ": its access-log entry";
      }
    }
  }
  for (const auto& [name, row] : table) {
    EXPECT_TRUE(walked.contains(name)) << name << " has a row but no route";
  }
}

}  // namespace
}  // namespace careledger::testing
