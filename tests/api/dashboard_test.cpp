// API.md: the dashboard and signing in to it. A session cookie reads as its user does, writes
// nothing, and ends when signed out, expired, or its user is disabled or given a new token.

#include "api/api.hpp"
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

class DashboardTest : public ApiTest {
 protected:
  const std::string cookie_name = "__Host-careledger_session";
  // Signs in with the token; the cookie's value.
  std::string sign_in(const std::string& token) {
    auto r = post(token, "/v1/session", "{}");
    EXPECT_EQ(r.status, 201) << r.body;
    return cookie_value(r);
  }
  std::string cookie_value(const HttpResponse& r) {
    const auto set = r.header("set-cookie");
    EXPECT_TRUE(set.starts_with(cookie_name + "=")) << set;
    return set.substr(cookie_name.size() + 1, set.find(';') - cookie_name.size() - 1);
  }
  Headers cookie(const std::string& session) { return {{"Cookie", cookie_name + "=" + session}}; }
  HttpResponse get_with_cookie(const std::string& session, const std::string& path) {
    return client->send("GET", path, {{"Cookie", "theme=dark; " + cookie_name + "=" + session}});
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
  const std::string session = cookie_value(r);
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
  auto db = persistence::open_reader(db_path);
  EXPECT_EQ(db->execAndGet("SELECT COUNT(*) FROM sessions").getInt(), 1);
  EXPECT_EQ(
      db->execAndGet("SELECT COUNT(*) FROM sessions WHERE id_hash = '" + session + "'").getInt(),
      0);
}

TEST_F(DashboardTest, TheCookieWritesNothing) {
  const auto session = sign_in(north);
  const auto before = event_count();
  auto with_type = cookie(session);
  with_type.emplace_back("Content-Type", "application/json");
  auto r = client->send("POST", "/v1/people", with_type,
                        R"({"given_name":"Ada","family_name":"Lovelace",)"
                        R"("date_of_birth":"1950-05-05","team":"north"})");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("GET and HEAD only"), std::string::npos) << r.body;
  EXPECT_EQ(event_count(), before);
  // Nor does it sign in again: a new session needs the token itself.
  EXPECT_EQ(client->send("POST", "/v1/session", with_type, "{}").status, 401);
  EXPECT_EQ(post("not-a-token", "/v1/session", "{}").status, 401);
}

TEST_F(DashboardTest, SigningOutDisablingOrANewTokenEndsSessionsAtOnce) {
  const auto first = sign_in(north), second = sign_in(north);
  auto out = client->send("DELETE", "/v1/session", cookie(first));
  EXPECT_EQ(out.status, 204);
  EXPECT_TRUE(out.header("set-cookie").starts_with(cookie_name + "=; Path=/; Max-Age=0"));
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
  // Signing out of an ended session still clears the cookie.
  auto again = client->send("DELETE", "/v1/session", cookie(third));
  EXPECT_EQ(again.status, 204);
  EXPECT_TRUE(again.header("set-cookie").starts_with(cookie_name + "=; Path=/; Max-Age=0"));
}

TEST_F(DashboardTest, SigningInAgainReplacesTheSessionAndAUserKeepsTheirLatestTwenty) {
  const auto first = sign_in(north);
  auto with_type = cookie(first);
  with_type.emplace_back("Authorization", "Bearer " + north);
  with_type.emplace_back("Content-Type", "application/json");
  auto again = client->send("POST", "/v1/session", with_type, "{}");
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(get_with_cookie(first, "/v1/waiting-list").status, 401);
  const auto second = cookie_value(again);
  EXPECT_EQ(get_with_cookie(second, "/v1/waiting-list").status, 200);
  for (int i = 0; i < 19; ++i) sign_in(north);  // from other browsers: 20 in all
  EXPECT_EQ(get_with_cookie(second, "/v1/waiting-list").status, 200);
  sign_in(north);
  EXPECT_EQ(get_with_cookie(second, "/v1/waiting-list").status, 401);
}

TEST_F(DashboardTest, TwoSessionCookiesAuthenticateNeither) {
  // A host of the same domain may set a cookie of the same name; neither is then trusted.
  const auto mine = sign_in(north), theirs = sign_in(north_leader);
  EXPECT_EQ(client
                ->send("GET", "/v1/waiting-list",
                       {{"Cookie", cookie_name + "=" + theirs + "; " + cookie_name + "=" + mine}})
                .status,
            401);
  EXPECT_EQ(client
                ->send("GET", "/v1/waiting-list",
                       {{"Cookie", cookie_name + "=" + mine}, {"Cookie", cookie_name + "=x"}})
                .status,
            401);
  // Without the __Host- prefix it is not the session cookie at all.
  EXPECT_EQ(
      client->send("GET", "/v1/waiting-list", {{"Cookie", "careledger_session=" + mine}}).status,
      401);
}

TEST_F(DashboardTest, ASessionEndsWhenItExpires) {
  const auto session = sign_in(north);
  ASSERT_EQ(get_with_cookie(session, "/v1/waiting-list").status, 200);
  {
    // As the store's owner on PostgreSQL: careledger's own role never changes a session.
    auto db = postgres ? persistence::open_reader(postgres->url_as(postgres->owner_role()))
                       : persistence::open_writer(db_path);
    db->exec("UPDATE sessions SET expires_at = '2024-06-30T09:00:00.000Z'");
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
  auto head = client->send("HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("content-security-policy"), api::dashboard_policy);

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
  const auto set = r.header("set-cookie");
  EXPECT_TRUE(set.starts_with("careledger_session=")) << set;
  EXPECT_EQ(set.find("Secure"), std::string::npos);
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  const auto session = set.substr(19, 64);
  EXPECT_EQ(
      client->send("GET", "/v1/waiting-list", {{"Cookie", "careledger_session=" + session}}).status,
      200);
}

}  // namespace
}  // namespace careledger::testing
