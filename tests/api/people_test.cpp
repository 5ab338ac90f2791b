// API.md "People".
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

TEST_F(ApiTest, RecordingAPersonAnswers201WithTheRecordAndItsVersion) {
  auto r = post(north, "/v1/people",
                R"({"given_name":"Ada","family_name":"Lovelace","date_of_birth":"1950-05-05",
                    "team":"north","nhs_number":"9434765919","client_type":"carer",
                    "primary_support_reason":"mental_health"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("etag"), "\"1\"");
  auto body = r.json().as_object();
  EXPECT_FALSE(body.at("id").as_string().empty());
  EXPECT_EQ(body.at("nhs_number"), "9434765919");
  EXPECT_EQ(body.at("client_type"), "carer");
  EXPECT_EQ(body.at("primary_support_reason"), "mental_health");
  EXPECT_EQ(body.at("version"), 1);

  auto read = get(north, "/v1/people/" + std::string(body.at("id").as_string()));
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body, r.body);
}

TEST_F(ApiTest, EveryMissingFieldIsNamedIn422AndNothingIsRecorded) {
  auto r = post(north, "/v1/people", R"({"given_name":"Ada"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"family_name", "date_of_birth", "team"}));
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, WrongTypesAndUnknownCodesAre422) {
  auto r = post(north, "/v1/people",
                R"({"given_name":7,"family_name":"L","date_of_birth":"05/05/1950","team":"north",
                    "client_type":"patient"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r),
            (std::vector<std::string>{"given_name", "date_of_birth", "client_type"}));
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, AnInvalidNhsNumberIs422) {
  auto r = post(north, "/v1/people",
                R"({"given_name":"A","family_name":"L","date_of_birth":"1950-05-05",
                    "team":"north","nhs_number":"9434765918"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"nhs_number"});
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, ADateOfBirthInTheFutureIs422) {
  auto r =
      post(north, "/v1/people",
           R"({"given_name":"A","family_name":"L","date_of_birth":"2024-07-01","team":"north"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"date_of_birth"});
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, APractitionerCannotRecordForAnotherTeam) {
  auto r =
      post(north, "/v1/people",
           R"({"given_name":"A","family_name":"L","date_of_birth":"1950-05-05","team":"south"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(event_count(), 0);
}

TEST_F(ApiTest, AnAnalystSeesNoPerson) {
  const auto id = create_person();
  EXPECT_EQ(get(analyst, "/v1/people/" + id).status, 403);
  EXPECT_EQ(get(analyst, "/v1/people/" + id + "/history").status, 403);
  auto r =
      post(analyst, "/v1/people",
           R"({"given_name":"A","family_name":"L","date_of_birth":"1950-05-05","team":"north"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(event_count(), 1);
}

TEST_F(ApiTest, AnotherTeamsPersonIsNotFound) {
  const auto id = create_person("north");
  EXPECT_EQ(get(south, "/v1/people/" + id).status, 404);
  EXPECT_EQ(get(south, "/v1/people/" + id + "/history").status, 404);
  EXPECT_EQ(get(north, "/v1/people/" + id).status, 200);
  EXPECT_EQ(get(north_leader, "/v1/people/" + id).status, 200);
  EXPECT_EQ(get(north, "/v1/people/per_unknown").status, 404);
}

TEST_F(ApiTest, HistoryListsThePersonsEventsOldestFirstWithWhoRecordedThem) {
  const auto id = create_person();
  const auto assessment = request_assessment(id, "2024-03-01");
  ASSERT_EQ(post(north, "/v1/assessments/" + assessment + "/completion",
                 R"({"completed_on":"2024-04-01","eligible_needs":true})")
                .status,
            200);
  auto r = get(north, "/v1/people/" + id + "/history");
  ASSERT_EQ(r.status, 200);
  auto items = r.json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("type"), "person_registered");
  EXPECT_EQ(items[0].at("recorded_by"), "admin");
  EXPECT_EQ(items[1].at("type"), "assessment_requested");
  EXPECT_EQ(items[1].at("occurred_on"), "2024-03-01");
  EXPECT_EQ(items[2].at("type"), "assessment_completed");
  EXPECT_EQ(items[2].at("recorded_by"), "nia");
  EXPECT_EQ(items[2].at("data").at("eligible_needs"), true);
  EXPECT_TRUE(r.json().at("next_cursor").is_null());

  auto page1 = get(north, "/v1/people/" + id + "/history?limit=2").json();
  ASSERT_EQ(page1.at("items").as_array().size(), 2u);
  const std::string cursor(page1.at("next_cursor").as_string());
  auto page2 = get(north, "/v1/people/" + id + "/history?limit=2&cursor=" + cursor).json();
  ASSERT_EQ(page2.at("items").as_array().size(), 1u);
  EXPECT_EQ(page2.at("items").as_array()[0].at("type"), "assessment_completed");
}

}  // namespace
}  // namespace careledger::testing
