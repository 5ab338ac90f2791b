// API.md "Assessments".
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

std::string request_body(const std::string& person, const std::string& on = "2024-03-01") {
  return R"({"person_id":")" + person + R"(","kind":"needs","requested_on":")" + on +
         R"(","priority":"high"})";
}

TEST_F(ApiTest, ARequestIs201WaitingInThePersonsTeam) {
  const auto person = create_person("north");
  auto r = post(north, "/v1/assessments", request_body(person));
  ASSERT_EQ(r.status, 201) << r.body;
  auto body = r.json();
  EXPECT_EQ(body.at("status"), "waiting");
  EXPECT_EQ(body.at("team"), "north");
  EXPECT_EQ(body.at("person_id").as_string(), person);
  EXPECT_EQ(body.at("kind"), "needs");
  EXPECT_EQ(body.at("priority"), "high");
  EXPECT_EQ(body.at("requested_on"), "2024-03-01");
  EXPECT_EQ(body.at("version"), 1);
  EXPECT_EQ(r.header("etag"), "\"1\"");
}

TEST_F(ApiTest, ARequestForAnotherTeamsPersonIs404NamingPersonId) {
  const auto person = create_person("north");
  const auto events = event_count();
  auto r = post(south, "/v1/assessments", request_body(person));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"person_id"});
  EXPECT_EQ(post(south, "/v1/assessments", request_body("per_unknown")).status, 404);
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, ARequestWithMissingOrUnknownFieldsIs422) {
  const auto person = create_person();
  const auto events = event_count();
  auto r = post(north, "/v1/assessments",
                R"({"person_id":")" + person + R"(","kind":"urgent","priority":"asap"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"kind", "requested_on", "priority"}));
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, ARequestInTheFutureIs422) {
  const auto person = create_person();
  const auto events = event_count();
  auto r = post(north, "/v1/assessments", request_body(person, "2024-07-01"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"requested_on"});
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, ARequestForSomeoneUnder18Is422) {
  const auto person = create_person("north", "2006-03-02");
  const auto events = event_count();
  EXPECT_EQ(post(north, "/v1/assessments", request_body(person, "2024-03-01")).status, 422);
  EXPECT_EQ(event_count(), events);
  EXPECT_EQ(post(north, "/v1/assessments", request_body(person, "2024-03-02")).status, 201);
}

TEST_F(ApiTest, AllocationCompletionAndTheirVersions) {
  const auto id = request_assessment(create_person(), "2024-03-01");
  auto allocated = post(north, "/v1/assessments/" + id + "/allocation",
                        R"({"practitioner":"Sam Okafor","allocated_on":"2024-03-04"})");
  ASSERT_EQ(allocated.status, 200) << allocated.body;
  EXPECT_EQ(allocated.json().at("allocated_to"), "Sam Okafor");
  EXPECT_EQ(allocated.json().at("status"), "waiting");
  EXPECT_EQ(allocated.header("etag"), "\"2\"");

  auto completed = post(north, "/v1/assessments/" + id + "/completion",
                        R"({"completed_on":"2024-04-01","eligible_needs":false})");
  ASSERT_EQ(completed.status, 200);
  EXPECT_EQ(completed.json().at("status"), "completed");
  EXPECT_EQ(completed.json().at("eligible_needs"), false);
  EXPECT_EQ(completed.json().at("version"), 3);

  auto read = get(north, "/v1/assessments/" + id);
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body, completed.body);
}

TEST_F(ApiTest, CompletingACompletedAssessmentIs409AndRecordsNothing) {
  const auto id = request_assessment(create_person(), "2024-03-01");
  ASSERT_EQ(post(north, "/v1/assessments/" + id + "/completion",
                 R"({"completed_on":"2024-04-01","eligible_needs":true})")
                .status,
            200);
  const auto events = event_count();
  EXPECT_EQ(post(north, "/v1/assessments/" + id + "/completion",
                 R"({"completed_on":"2024-04-02","eligible_needs":true})")
                .status,
            409);
  EXPECT_EQ(post(north, "/v1/assessments/" + id + "/closure",
                 R"({"closed_on":"2024-04-02","reason":"withdrawn"})")
                .status,
            409);
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, ClosureLeavesTheListAndCannotBeCompletedAfterwards) {
  const auto id = request_assessment(create_person(), "2024-03-01");
  auto closed = post(north, "/v1/assessments/" + id + "/closure",
                     R"({"closed_on":"2024-03-10","reason":"moved_away"})");
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.json().at("status"), "closed");
  EXPECT_EQ(closed.json().at("closure_reason"), "moved_away");
  EXPECT_EQ(post(north, "/v1/assessments/" + id + "/completion",
                 R"({"completed_on":"2024-04-02","eligible_needs":true})")
                .status,
            409);
  EXPECT_EQ(get(north, "/v1/waiting-list").json().at("total"), 0);
}

TEST_F(ApiTest, CompletionBeforeTheRequestOrInTheFutureIs422) {
  const auto id = request_assessment(create_person(), "2024-03-01");
  const auto events = event_count();
  auto early = post(north, "/v1/assessments/" + id + "/completion",
                    R"({"completed_on":"2024-02-28","eligible_needs":true})");
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(error_fields(early), std::vector<std::string>{"completed_on"});
  EXPECT_EQ(post(north, "/v1/assessments/" + id + "/completion",
                 R"({"completed_on":"2024-07-01","eligible_needs":true})")
                .status,
            422);
  EXPECT_EQ(post(north, "/v1/assessments/" + id + "/completion", R"({"completed_on":"2024-04-01"})")
                .status,
            422);
  EXPECT_EQ(post(north, "/v1/assessments/" + id + "/closure",
                 R"({"closed_on":"2024-04-01","reason":"bored"})")
                .status,
            422);
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, AStaleIfMatchIs412AndTheCurrentOneSucceeds) {
  const auto id = request_assessment(create_person(), "2024-03-01");
  ASSERT_EQ(post(north, "/v1/assessments/" + id + "/allocation",
                 R"({"practitioner":"Sam","allocated_on":"2024-03-02"})", {{"If-Match", "\"1\""}})
                .status,
            200);
  const auto events = event_count();
  auto stale =
      post(north, "/v1/assessments/" + id + "/completion",
           R"({"completed_on":"2024-04-01","eligible_needs":true})", {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(event_count(), events);
  EXPECT_EQ(post(north, "/v1/assessments/" + id + "/completion",
                 R"({"completed_on":"2024-04-01","eligible_needs":true})", {{"If-Match", "\"2\""}})
                .status,
            200);
}

TEST_F(ApiTest, AnotherTeamsAssessmentIsNotFoundForReadingOrRecording) {
  const auto id = request_assessment(create_person("north"), "2024-03-01");
  const auto events = event_count();
  EXPECT_EQ(get(south, "/v1/assessments/" + id).status, 404);
  EXPECT_EQ(post(south, "/v1/assessments/" + id + "/completion",
                 R"({"completed_on":"2024-04-01","eligible_needs":true})")
                .status,
            404);
  EXPECT_EQ(get(north, "/v1/assessments/asm_unknown").status, 404);
  EXPECT_EQ(post(north, "/v1/assessments/asm_unknown/closure",
                 R"({"closed_on":"2024-04-01","reason":"withdrawn"})")
                .status,
            404);
  EXPECT_EQ(event_count(), events);
}

}  // namespace
}  // namespace careledger::testing
