// API.md 1.1: the team register, and a team named anywhere must be registered.
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

std::vector<std::string> team_names(const boost::json::value& body) {
  std::vector<std::string> names;
  for (const auto& team : body.at("items").as_array()) {
    names.emplace_back(team.at("name").as_string());
  }
  return names;
}

TEST_F(ApiTest, EveryUserReadsTheRegisterAndOnlyAnAdminAddsToIt) {
  auto list = get(analyst, "/v1/teams");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(team_names(list.json()), (std::vector<std::string>{"east", "north", "south", "west"}));
  EXPECT_EQ(list.json().at("items").as_array()[1].at("label"), "north");
  EXPECT_TRUE(list.json().at("next_cursor").is_null());
  EXPECT_EQ(get(north, "/v1/teams").status, 200);

  EXPECT_EQ(post(north_leader, "/v1/teams", R"({"name":"coast","label":"Coast"})").status, 403);
  auto added = post(admin, "/v1/teams", R"({"name":"coast","label":"Coast and Dales"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json().at("name"), "coast");
  EXPECT_EQ(added.json().at("label"), "Coast and Dales");
  EXPECT_EQ(post(admin, "/v1/teams", R"({"name":"coast","label":"Again"})").status, 409);
  // Paged like every list.
  auto first = get(admin, "/v1/teams?limit=2");
  EXPECT_EQ(team_names(first.json()), (std::vector<std::string>{"coast", "east"}));
  auto cursor = std::string(first.json().at("next_cursor").as_string());
  EXPECT_EQ(team_names(get(admin, "/v1/teams?limit=2&cursor=" + cursor).json()),
            (std::vector<std::string>{"north", "south"}));
}

TEST_F(ApiTest, ATeamNameIsLowerCaseLettersDigitsAndDashesAndRecordsNothingOtherwise) {
  for (const char* bad : {R"({"name":"North","label":"x"})", R"({"name":"a b","label":"x"})",
                          R"({"name":"","label":"x"})",
                          R"({"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","label":"x"})"}) {
    auto r = post(admin, "/v1/teams", bad);
    EXPECT_EQ(r.status, 422) << bad;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"name"}) << bad;
  }
  EXPECT_EQ(error_fields(post(admin, "/v1/teams", R"({"name":"ok-1_b"})")),
            std::vector<std::string>{"label"});
  EXPECT_EQ(team_names(get(admin, "/v1/teams").json()).size(), 4u);
}

TEST_F(ApiTest, ARepeatedKeyAnswersTheFirstRegistration) {
  const std::vector<std::pair<std::string, std::string>> key{{"Idempotency-Key", "team-1"}};
  auto first = post(admin, "/v1/teams", R"({"name":"coast","label":"Coast"})", key);
  auto again = post(admin, "/v1/teams", R"({"name":"coast","label":"Coast"})", key);
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  auto other = post(admin, "/v1/teams", R"({"name":"dales","label":"Dales"})", key);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(error_fields(other), std::vector<std::string>{"Idempotency-Key"});
}

TEST_F(ApiTest, AnUnregisteredTeamIs422NamingTeamWhereverItIsNamed) {
  const auto before = event_count();
  auto person = post(admin, "/v1/people",
                     R"({"given_name":"Ada","family_name":"Lovelace","date_of_birth":"1950-05-05",)"
                     R"("team":"nroth"})");
  EXPECT_EQ(person.status, 422);
  EXPECT_EQ(error_fields(person), std::vector<std::string>{"team"});
  // Named with the other fields at fault, at once.
  auto both = post(admin, "/v1/people",
                   R"({"given_name":"Ada","family_name":"Lovelace","date_of_birth":"2999-01-01",)"
                   R"("team":"nroth"})");
  EXPECT_EQ(error_fields(both), (std::vector<std::string>{"date_of_birth", "team"}));
  EXPECT_EQ(event_count(), before);
  for (const char* path : {"/v1/measures?team=nroth", "/v1/waiting-list?team=nroth",
                           "/v1/reports/monthly?team=nroth", "/v1/reviews/overdue?team=nroth"}) {
    auto r = get(admin, path);
    EXPECT_EQ(r.status, 422) << path;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"team"}) << path;
  }
  // A team registered now may be named at once.
  ASSERT_EQ(post(admin, "/v1/teams", R"({"name":"nroth","label":"Typo"})").status, 201);
  EXPECT_EQ(get(admin, "/v1/waiting-list?team=nroth").status, 200);
}

}  // namespace
}  // namespace careledger::testing
