// CLD.md §4: requests for support, received and decided once, perhaps starting an assessment.
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

std::string request_body(const std::string& person, const std::string& on = "2024-03-01",
                         const std::string& route = "discharge_from_hospital") {
  return R"({"person_id":")" + person + R"(","received_on":")" + on + R"(","route_of_access":")" +
         route + R"("})";
}

class RequestsTest : public ApiTest {
 protected:
  std::string receive(const std::string& person) {
    auto r = post(north, "/v1/requests", request_body(person));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }
};

TEST_F(RequestsTest, ARequestIs201OpenInThePersonsTeamWithItsRoute) {
  const auto person = create_person("north");
  auto r = post(north, "/v1/requests", request_body(person));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto body = r.json();
  EXPECT_EQ(body.at("person_id").as_string(), person);
  EXPECT_EQ(body.at("team"), "north");
  EXPECT_EQ(body.at("received_on"), "2024-03-01");
  EXPECT_EQ(body.at("route_of_access"), "discharge_from_hospital");
  EXPECT_EQ(body.at("status"), "open");
  EXPECT_EQ(body.at("version"), 1);
  const auto read = get(north, "/v1/requests/" + std::string(body.at("id").as_string()));
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.json(), body);
}

TEST_F(RequestsTest, ARequestWithoutItsFieldsOrWithAnUnknownRouteIs422AndRecordsNothing) {
  const auto person = create_person("north");
  const auto events = event_count();
  auto r = post(north, "/v1/requests",
                R"({"person_id":")" + person + R"(","route_of_access":"walk_in"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"received_on", "route_of_access"}));
  EXPECT_EQ(post(north, "/v1/requests", request_body(person, "2024-07-01")).status, 422);
  const auto young = create_person("north", "2006-03-02");
  r = post(north, "/v1/requests", request_body(young, "2024-03-01"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"received_on"});
  EXPECT_EQ(event_count(), events + 1);  // the young person's registration only
}

TEST_F(RequestsTest, AnOutcomeOfProgressToAssessmentStartsTheAssessmentOnTheDayDecided) {
  const auto id = receive(create_person("north"));
  auto r = post(north, "/v1/requests/" + id + "/outcome",
                R"({"decided_on":"2024-03-04","outcome":"progress_to_assessment",
                    "assessment":{"kind":"carer","priority":"urgent"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = r.json();
  EXPECT_EQ(body.at("status"), "completed");
  EXPECT_EQ(body.at("decided_on"), "2024-03-04");
  EXPECT_EQ(body.at("outcome"), "progress_to_assessment");
  EXPECT_EQ(body.at("version"), 2);
  const auto assessment =
      get(north, "/v1/assessments/" + std::string(body.at("assessment_id").as_string()));
  ASSERT_EQ(assessment.status, 200);
  EXPECT_EQ(assessment.json().at("requested_on"), "2024-03-04");
  EXPECT_EQ(assessment.json().at("kind"), "carer");
  EXPECT_EQ(assessment.json().at("priority"), "urgent");
  EXPECT_EQ(assessment.json().at("request_id").as_string(), id);
  EXPECT_EQ(get(north, "/v1/waiting-list?team=north").json().at("total"), 1);
}

TEST_F(RequestsTest, AnAssessmentIsGivenExactlyForProgressToAssessmentElse422RecordingNothing) {
  const auto id = receive(create_person("north"));
  const auto events = event_count();
  auto r = post(north, "/v1/requests/" + id + "/outcome",
                R"({"decided_on":"2024-03-04","outcome":"progress_to_assessment"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"assessment"});
  r = post(north, "/v1/requests/" + id + "/outcome",
           R"({"decided_on":"2024-03-04","outcome":"nfa_information_advice",
               "assessment":{"kind":"needs","priority":"low"}})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"assessment"});
  r = post(north, "/v1/requests/" + id + "/outcome",
           R"({"decided_on":"2024-03-04","outcome":"progress_to_assessment",
               "assessment":{"kind":"review","priority":"soon"}})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"assessment.kind", "assessment.priority"}));
  EXPECT_EQ(event_count(), events);
  EXPECT_EQ(get(north, "/v1/waiting-list?team=north").json().at("total"), 0);
}

TEST_F(RequestsTest, AnOutcomeBeforeReceiptOrOfAnotherKindOfEventIs422) {
  const auto id = receive(create_person("north"));
  const auto events = event_count();
  auto r = post(north, "/v1/requests/" + id + "/outcome",
                R"({"decided_on":"2024-02-28","outcome":"service_ended_as_planned"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"decided_on", "outcome"}));
  EXPECT_EQ(event_count(), events);
}

TEST_F(RequestsTest, ASecondOutcomeIs409) {
  const auto id = receive(create_person("north"));
  ASSERT_EQ(post(north, "/v1/requests/" + id + "/outcome",
                 R"({"decided_on":"2024-03-02","outcome":"nfa_other"})")
                .status,
            200);
  const auto events = event_count();
  EXPECT_EQ(post(north, "/v1/requests/" + id + "/outcome",
                 R"({"decided_on":"2024-03-03","outcome":"nfa_self_funded"})")
                .status,
            409);
  EXPECT_EQ(event_count(), events);
}

TEST_F(RequestsTest, AnotherTeamsRequestIsUnknown) {
  const auto id = receive(create_person("north"));
  EXPECT_EQ(get(south, "/v1/requests/" + id).status, 404);
  EXPECT_EQ(post(south, "/v1/requests/" + id + "/outcome",
                 R"({"decided_on":"2024-03-02","outcome":"nfa_other"})")
                .status,
            404);
}

}  // namespace
}  // namespace careledger::testing
