// API.md: the dashboard and signing in to it. A session cookie reads as its user does, writes
// nothing, and ends when signed out, expired, or its user is disabled or given a new token.
#include <SQLiteCpp/Database.h>

#include "api/api.hpp"
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

class DashboardTest : public ApiTest {
 protected:
  // Signs in with the token; the cookie's value.
  std::string sign_in(const std::string& token) {
    auto r = post(token, "/v1/session", "{}");
    EXPECT_EQ(r.status, 201) << r.body;
    const auto set = r.header("set-cookie");
    const std::string name = "careledger_session=";
    EXPECT_TRUE(set.starts_with(name)) << set;
    return set.substr(name.size(), set.find(';') - name.size());
  }
  HttpResponse get_with_cookie(const std::string& session, const std::string& path) {
    return client->send("GET", path, {{"Cookie", "theme=dark; careledger_session=" + session}});
  }
  std::string id_of(const std::string& name) {
    const auto users = get(admin, "/v1/users?limit=1000");
    for (const auto& user : users.json().at("items").as_array()) {
      if (user.at("name").as_string() == name) return std::string(user.at("id").as_string());
    }
    ADD_FAILURE() << "no user " << name;
    return {};
  }
};

TEST_F(DashboardTest, SigningInGivesAStrictCookieThatReadsAsTheUser) {
  auto r = post(north_leader, "/v1/session", "{}");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("user"), "nell");
  EXPECT_EQ(r.json().at("role"), "team_leader");
  EXPECT_EQ(r.json().at("teams"), (boost::json::array{"north"}));
  const std::string expires(r.json().at("expires_at").as_string());
  const auto set = r.header("set-cookie");
  for (const char* attribute :
       {"; Path=/", "; Max-Age=28800", "; HttpOnly", "; Secure", "; SameSite=Strict"}) {
    EXPECT_NE(set.find(attribute), std::string::npos) << attribute << " in " << set;
  }
  const std::string session = set.substr(19, set.find(';') - 19);
  ASSERT_EQ(session.size(), 64u);

  auto me = get_with_cookie(session, "/v1/session");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("user"), "nell");
  EXPECT_EQ(me.json().at("expires_at").as_string(), expires);
  const auto person = create_person("north");
  request_assessment(person, "2024-06-01");
  auto list = get_with_cookie(session, "/v1/waiting-list");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("total"), 1);
  EXPECT_EQ(access_entry(list), "/v1/waiting-list 200 nell");  // attributed like a token's read
  EXPECT_EQ(get_with_cookie(session, "/v1/waiting-list?team=south").status, 403);
  EXPECT_EQ(get_with_cookie("0123" + session.substr(4), "/v1/waiting-list").status, 401);

  // Only a hash of the session's id is kept.
  SQLite::Database db(db_path);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sessions").getInt(), 1);
  EXPECT_EQ(
      db.execAndGet("SELECT COUNT(*) FROM sessions WHERE id_hash = '" + session + "'").getInt(), 0);
}

TEST_F(DashboardTest, TheCookieWritesNothing) {
  const auto session = sign_in(north);
  const auto before = event_count();
  auto r = client->send(
      "POST", "/v1/people",
      {{"Cookie", "careledger_session=" + session}, {"Content-Type", "application/json"}},
      R"({"given_name":"Ada","family_name":"Lovelace",)"
      R"("date_of_birth":"1950-05-05","team":"north"})");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("GET and HEAD only"), std::string::npos) << r.body;
  EXPECT_EQ(event_count(), before);
  // Nor does it sign in again: a new session needs the token itself.
  EXPECT_EQ(client
                ->send("POST", "/v1/session",
                       {{"Cookie", "careledger_session=" + session},
                        {"Content-Type", "application/json"}},
                       "{}")
                .status,
            401);
  EXPECT_EQ(post("not-a-token", "/v1/session", "{}").status, 401);
}

TEST_F(DashboardTest, SigningOutDisablingOrANewTokenEndsSessionsAtOnce) {
  const auto first = sign_in(north), second = sign_in(north);
  auto out = client->send("DELETE", "/v1/session", {{"Cookie", "careledger_session=" + first}});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("careledger_session=; Path=/; Max-Age=0"),
            std::string::npos);
  EXPECT_EQ(get_with_cookie(first, "/v1/waiting-list").status, 401);
  EXPECT_EQ(get_with_cookie(second, "/v1/waiting-list").status, 200);  // only the one signed out

  const auto nia = id_of("nia");
  // The role and teams are read afresh on every request.
  EXPECT_EQ(get_with_cookie(second, "/v1/measures").status, 403);
  ASSERT_EQ(post(admin, "/v1/users/" + nia + "/role", R"({"role":"team_leader"})").status, 200);
  EXPECT_EQ(get_with_cookie(second, "/v1/measures").status, 200);

  auto renewed = post(admin, "/v1/users/" + nia + "/token", "{}");
  ASSERT_EQ(renewed.status, 200);
  EXPECT_EQ(get_with_cookie(second, "/v1/waiting-list").status, 401);
  const auto third = sign_in(std::string(renewed.json().at("token").as_string()));
  EXPECT_EQ(get_with_cookie(third, "/v1/waiting-list").status, 200);
  ASSERT_EQ(post(admin, "/v1/users/" + nia + "/disable", "{}").status, 200);
  EXPECT_EQ(get_with_cookie(third, "/v1/waiting-list").status, 401);
  ASSERT_EQ(post(admin, "/v1/users/" + nia + "/enable", "{}").status, 200);
  EXPECT_EQ(get_with_cookie(third, "/v1/waiting-list").status, 401);  // ended, not paused
}

TEST_F(DashboardTest, ASessionEndsWhenItExpires) {
  const auto session = sign_in(north);
  ASSERT_EQ(get_with_cookie(session, "/v1/waiting-list").status, 200);
  {
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE sessions SET expires_at = '2024-06-30T09:00:00.000Z'");
  }
  EXPECT_EQ(get_with_cookie(session, "/v1/waiting-list").status, 401);
}

TEST_F(DashboardTest, TheDashboardIsServedUnderAStrictPolicyAndTheApiUnderAStricterOne) {
  auto page = client->send("GET", "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.header("content-security-policy"), api::dashboard_policy);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  EXPECT_EQ(client->send("GET", "/dashboard/index.html").body, page.body);
  EXPECT_EQ(client->send("GET", "/dashboard/missing.js").status, 404);
  EXPECT_EQ(client->send("GET", "/dashboard/..%2Fapi.hpp").status, 404);

  auto api = get(north, "/v1/waiting-list");
  EXPECT_EQ(api.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(api.header("x-content-type-options"), "nosniff");
}

class InsecureCookieTest : public DashboardTest {
 protected:
  api::ApiOptions api_options() const override {
    auto options = DashboardTest::api_options();
    options.secure_cookie = false;
    return options;
  }
};

TEST_F(InsecureCookieTest, DevelopmentCookiesGoOverPlainHttp) {
  auto r = post(north, "/v1/session", "{}");
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.header("set-cookie").find("Secure"), std::string::npos);
  EXPECT_NE(r.header("set-cookie").find("HttpOnly"), std::string::npos);
}

}  // namespace
}  // namespace careledger::testing
