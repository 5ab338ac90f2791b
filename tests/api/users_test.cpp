// API.md 1.1: users over the API, admins only; a disabled user's token is refused at once.
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class UsersTest : public ApiTest {
 protected:
  boost::json::object user_named(const std::string& name) {
    const auto users = get(admin, "/v1/users?limit=1000");
    for (const auto& user : users.json().at("items").as_array()) {
      if (user.at("name").as_string() == name) return user.as_object();
    }
    ADD_FAILURE() << "no user " << name;
    return {};
  }
  std::string id_of(const std::string& name) {
    return std::string(user_named(name).at("id").as_string());
  }
};

TEST_F(UsersTest, AnAdminListsUsersWithoutTheirTokensAndNoOneElseMay) {
  auto r = get(admin, "/v1/users");
  ASSERT_EQ(r.status, 200);
  const auto& items = r.json().at("items").as_array();
  ASSERT_EQ(items.size(), 5u);
  const auto nia = user_named("nia");
  EXPECT_EQ(nia.at("role"), "practitioner");
  EXPECT_EQ(nia.at("teams"), (boost::json::array{"north"}));
  EXPECT_EQ(nia.at("disabled"), false);
  EXPECT_TRUE(nia.at("id").as_string().starts_with("usr_"));
  EXPECT_EQ(r.body.find(north), std::string::npos);  // no token, in clear or otherwise
  EXPECT_EQ(r.body.find("token"), std::string::npos);
  for (const auto& token : {north, north_leader, analyst}) {
    EXPECT_EQ(get(token, "/v1/users").status, 403);
  }
}

TEST_F(UsersTest, ANewUsersTokenIsShownOnceAndWorksAndARepeatedKeyIssuesNothing) {
  const std::vector<std::pair<std::string, std::string>> key{{"Idempotency-Key", "new-ola"}};
  auto made =
      post(admin, "/v1/users", R"({"name":"ola","role":"practitioner","teams":["south"]})", key);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string token(made.json().at("token").as_string());
  EXPECT_EQ(get(token, "/v1/waiting-list").status, 200);
  auto again =
      post(admin, "/v1/users", R"({"name":"ola","role":"practitioner","teams":["south"]})", key);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body.find("token\":"), std::string::npos);
  EXPECT_EQ(error_fields(post(admin, "/v1/users", R"({"name":"pip","role":"practitioner"})")),
            std::vector<std::string>{"teams"});
  EXPECT_EQ(error_fields(post(admin, "/v1/users",
                              R"({"name":"pip","role":"practitioner","teams":["nroth"]})")),
            std::vector<std::string>{"team"});
  EXPECT_EQ(post(admin, "/v1/users", R"({"name":"nia","role":"analyst"})").status, 409);
}

TEST_F(UsersTest, ADisabledUsersTokenIsRefusedAtOnceAndWorksAgainWhenEnabled) {
  const auto nia = id_of("nia");
  ASSERT_EQ(get(north, "/v1/waiting-list").status, 200);
  auto disabled = post(admin, "/v1/users/" + nia + "/disable", "{}");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json().at("disabled"), true);
  EXPECT_EQ(get(north, "/v1/waiting-list").status, 401);
  EXPECT_EQ(post(admin, "/v1/users/" + nia + "/enable", "{}").status, 200);
  EXPECT_EQ(get(north, "/v1/waiting-list").status, 200);
}

TEST_F(UsersTest, RoleTeamsAndANewTokenChangeWhatTheUserMayDoAtOnce) {
  const auto nia = id_of("nia");
  EXPECT_EQ(get(north, "/v1/waiting-list?team=south").status, 403);
  auto teams = post(admin, "/v1/users/" + nia + "/teams", R"({"teams":["north","south"]})");
  ASSERT_EQ(teams.status, 200) << teams.body;
  EXPECT_EQ(teams.json().at("teams"), (boost::json::array{"north", "south"}));
  EXPECT_EQ(get(north, "/v1/waiting-list?team=south").status, 200);
  EXPECT_EQ(get(north, "/v1/measures").status, 403);
  EXPECT_EQ(post(admin, "/v1/users/" + nia + "/role", R"({"role":"team_leader"})").status, 200);
  EXPECT_EQ(get(north, "/v1/measures").status, 200);
  auto renewed = post(admin, "/v1/users/" + nia + "/token", "{}");
  ASSERT_EQ(renewed.status, 200);
  EXPECT_EQ(get(north, "/v1/measures").status, 401);  // the old token stops at once
  EXPECT_EQ(get(std::string(renewed.json().at("token").as_string()), "/v1/measures").status, 200);
  EXPECT_EQ(post(admin, "/v1/users/usr_nobody/role", R"({"role":"analyst"})").status, 404);
}

TEST_F(UsersTest, TheLastEnabledAdminCannotBeDisabledOrLoseTheRole) {
  const auto id = id_of("admin");
  EXPECT_EQ(post(admin, "/v1/users/" + id + "/disable", "{}").status, 409);
  EXPECT_EQ(post(admin, "/v1/users/" + id + "/role", R"({"role":"analyst"})").status, 409);
  // With a second admin, the first may go.
  auto second = post(admin, "/v1/users", R"({"name":"root2","role":"admin"})");
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(post(admin, "/v1/users/" + id + "/role", R"({"role":"analyst"})").status, 200);
  const std::string root2(second.json().at("token").as_string());
  EXPECT_EQ(
      post(root2, "/v1/users/" + std::string(second.json().at("id").as_string()) + "/disable", "{}")
          .status,
      409);
  EXPECT_EQ(get(admin, "/v1/users").status, 403);  // no longer an admin
}

TEST_F(UsersTest, AUserIsSeenWhenTheyUseTheirToken) {
  EXPECT_TRUE(user_named("ana").at("last_seen_at").is_null());
  ASSERT_EQ(get(analyst, "/v1/measures").status, 200);
  EXPECT_TRUE(user_named("ana").at("last_seen_at").as_string().ends_with("Z"));
}

}  // namespace
}  // namespace careledger::testing
