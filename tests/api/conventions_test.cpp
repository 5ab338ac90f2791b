// API.md "Conventions": tokens, methods, media types, limits, idempotency, problem+json.
#include "careledger/version.hpp"
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

const std::string person_body =
    R"({"given_name":"Ada","family_name":"Lovelace","date_of_birth":"1950-05-05","team":"north"})";

TEST_F(ApiTest, HealthzAnswersWithoutAToken) {
  auto r = client->send("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("status"), "ok");
  EXPECT_EQ(r.json().at("version"), careledger_version);  // as `careledger --version` says
}

TEST_F(ApiTest, NoTokenIs401AndRecordsNothing) {
  auto r = client->send("POST", "/v1/people", {{"Content-Type", "application/json"}}, person_body);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.json().at("status"), 401);
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, AnUnknownTokenIs401) {
  EXPECT_EQ(post("not-a-token", "/v1/people", person_body).status, 401);
  EXPECT_EQ(get("not-a-token", "/v1/waiting-list").status, 401);
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, AWrongMethodIs405NamingTheAllowedOnes) {
  auto r = client->send("DELETE", "/v1/people/per_x", {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, HEAD");  // HEAD is answered wherever GET is
}

TEST_F(ApiTest, AnUnknownPathIs404) {
  EXPECT_EQ(get(admin, "/v1/nothing-here").status, 404);
}

TEST_F(ApiTest, ABodyThatIsNotJsonMediaIs415AndRecordsNothing) {
  auto r = client->send("POST", "/v1/people",
                        {{"Authorization", "Bearer " + admin}, {"Content-Type", "text/plain"}},
                        person_body);
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, JsonWithACharsetParameterIsAccepted) {
  auto r = client->send(
      "POST", "/v1/people",
      {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/json; charset=utf-8"}},
      person_body);
  EXPECT_EQ(r.status, 201);
}

TEST_F(ApiTest, MalformedJsonIs400AndRecordsNothing) {
  auto r = post(admin, "/v1/people", R"({"given_name": "Ada",)");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(post(admin, "/v1/people", "[1,2]").status, 400);
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, ABodyOver64KiBIs413AndRecordsNothing) {
  std::string huge = R"({"given_name":")" + std::string(70 * 1024, 'a') +
                     R"(","family_name":"L","date_of_birth":"1950-05-05","team":"north"})";
  auto r = post(admin, "/v1/people", huge);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(boost::json::parse(r.body).at("detail"), "request body larger than 64 KiB");
  EXPECT_EQ(event_count(), 0);
  EXPECT_EQ(post(admin, "/v1/people", person_body).status, 201);  // the server carries on
}

TEST_F(ApiTest, AMalformedQueryValueIs400NamingTheParameter) {
  auto r = get(admin, "/v1/waiting-list?as_at=2024-02-30");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"as_at"});
  EXPECT_EQ(error_fields(get(admin, "/v1/waiting-list?limit=0")),
            std::vector<std::string>{"limit"});
  EXPECT_EQ(error_fields(get(admin, "/v1/waiting-list?limit=1001")),
            std::vector<std::string>{"limit"});
  EXPECT_EQ(error_fields(get(admin, "/v1/waiting-list?cursor=xyz")),
            std::vector<std::string>{"cursor"});
  EXPECT_EQ(get(admin, "/v1/waiting-list?priority=soon").status, 400);
}

TEST_F(ApiTest, ARepeatedIdempotencyKeyReturnsTheFirstResponseAndRecordsNothingNew) {
  auto first = post(admin, "/v1/people", person_body, {{"Idempotency-Key", "abc-1"}});
  ASSERT_EQ(first.status, 201);
  const auto events = event_count();
  auto again = post(admin, "/v1/people", person_body, {{"Idempotency-Key", "abc-1"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("etag"), first.header("etag"));
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, TheSameIdempotencyKeyWithAnotherBodyIs422) {
  ASSERT_EQ(post(admin, "/v1/people", person_body, {{"Idempotency-Key", "abc-2"}}).status, 201);
  const auto events = event_count();
  std::string other = person_body;
  other.replace(other.find("Ada"), 3, "Bob");
  auto r = post(admin, "/v1/people", other, {{"Idempotency-Key", "abc-2"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"Idempotency-Key"});
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, AnIdempotencyKeyIsPerUser) {
  ASSERT_EQ(post(admin, "/v1/people", person_body, {{"Idempotency-Key", "shared"}}).status, 201);
  EXPECT_EQ(post(north, "/v1/people", person_body, {{"Idempotency-Key", "shared"}}).status, 201);
  EXPECT_EQ(event_count(), 2);
}

TEST_F(ApiTest, AnOverlongIdempotencyKeyIs400) {
  auto r = post(admin, "/v1/people", person_body, {{"Idempotency-Key", std::string(129, 'k')}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"Idempotency-Key"});
  EXPECT_EQ(event_count(), 0);
}

class RateLimitedApiTest : public ApiTest {
 protected:
  api::ApiOptions api_options() const override {  // 2 now, then ~none
    api::ApiOptions options;
    options.rate_per_second = 0.001;
    options.burst = 2;
    return options;
  }
};

TEST_F(RateLimitedApiTest, TooManyRequestsFromOneUserIs429WithRetryAfter) {
  EXPECT_EQ(get(admin, "/v1/waiting-list").status, 200);
  EXPECT_EQ(get(admin, "/v1/waiting-list").status, 200);
  EXPECT_EQ(get(admin, "/v1/waiting-list").status, 429);  // a kept answer is limited too
  auto r = post(admin, "/v1/people", person_body);
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
  EXPECT_EQ(event_count(), 0);
  EXPECT_EQ(get(north, "/v1/waiting-list").status, 200);  // another user has their own budget
}

}  // namespace
}  // namespace careledger::testing
