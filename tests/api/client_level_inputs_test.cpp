// CLD.md §3: the inputs Client Level Data needs, on the existing endpoints, every one optional.
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

TEST_F(ApiTest, APersonsGenderEthnicityAndUnpaidCarerAreRecordedAndShown) {
  auto r = post(north, "/v1/people",
                R"({"given_name":"Ada","family_name":"Lovelace","date_of_birth":"1950-01-01",
                    "team":"north","gender":"female","ethnicity":"white_irish",
                    "has_unpaid_carer":"yes","primary_support_reason":"sensory_dual"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("gender"), "female");
  EXPECT_EQ(r.json().at("ethnicity"), "white_irish");
  EXPECT_EQ(r.json().at("has_unpaid_carer"), "yes");
  EXPECT_EQ(r.json().at("primary_support_reason"), "sensory_dual");
  EXPECT_TRUE(r.json().at("date_of_death").is_null());
}

TEST_F(ApiTest, AnUnknownCodeForANewFieldIs422NamingItAndRecordsNothing) {
  const auto events = event_count();
  auto r = post(north, "/v1/people",
                R"({"given_name":"Ada","family_name":"Lovelace","date_of_birth":"1950-01-01",
                    "team":"north","gender":"f","ethnicity":"irish","has_unpaid_carer":"maybe"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"gender", "ethnicity", "has_unpaid_carer"}));
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, ChangedDetailsTakeEffectByTheirDayWhateverTheOrderRecorded) {
  const auto person = create_person("north");
  auto r = post(north, "/v1/people/" + person + "/details",
                R"({"effective_on":"2024-05-01","gender":"male","has_unpaid_carer":"no"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("gender"), "male");
  // Recorded later, but in force from an earlier day: the later day's values stand.
  r = post(north, "/v1/people/" + person + "/details",
           R"({"effective_on":"2024-04-01","gender":"other","ethnicity":"arab"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("gender"), "male");
  EXPECT_EQ(r.json().at("ethnicity"), "arab");
  EXPECT_EQ(r.json().at("has_unpaid_carer"), "no");
  EXPECT_EQ(r.json().at("version"), 3);
}

TEST_F(ApiTest, AChangeOfDetailsNamingNoneOrInTheFutureIs422) {
  const auto person = create_person("north");
  const auto events = event_count();
  auto r = post(north, "/v1/people/" + person + "/details", R"({"effective_on":"2024-05-01"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"gender", "ethnicity", "has_unpaid_carer",
                                                       "primary_support_reason"}));
  r = post(north, "/v1/people/" + person + "/details",
           R"({"effective_on":"2024-07-01","gender":"male"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"effective_on"});
  EXPECT_EQ(event_count(), events);
}

TEST_F(ApiTest, ADeathIsRecordedOnceAndNotBeforeBirthOrAfterToday) {
  const auto person = create_person("north", "1950-01-01");
  const auto events = event_count();
  EXPECT_EQ(post(north, "/v1/people/" + person + "/death", R"({"died_on":"1949-12-31"})").status,
            422);
  EXPECT_EQ(post(north, "/v1/people/" + person + "/death", R"({"died_on":"2024-07-01"})").status,
            422);
  EXPECT_EQ(event_count(), events);
  auto r = post(north, "/v1/people/" + person + "/death", R"({"died_on":"2024-06-01"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("date_of_death"), "2024-06-01");
  EXPECT_EQ(post(north, "/v1/people/" + person + "/death", R"({"died_on":"2024-06-02"})").status,
            409);
  EXPECT_EQ(get(south, "/v1/people/" + person).status, 404);
}

TEST_F(ApiTest, AnEpisodesShortTermTypeComponentAndEndReasonAreRecorded) {
  const auto person = create_person("north");
  auto r = post(north, "/v1/support-episodes",
                R"({"person_id":")" + person +
                    R"(","kind":"short_term","setting":"community","delivery":"council_arranged",
                    "started_on":"2024-03-01","short_term_type":"ongoing_low_level",
                    "service_component":"equipment"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("short_term_type"), "ongoing_low_level");
  EXPECT_EQ(r.json().at("service_component"), "equipment");
  const std::string id(r.json().at("id").as_string());
  r = post(north, "/v1/support-episodes/" + id + "/end",
           R"({"ended_on":"2024-04-01","sequel":"other","end_reason":"admitted_to_hospital"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("end_reason"), "admitted_to_hospital");
}

TEST_F(ApiTest, AShortTermTypeOnLongTermSupportOrAnEndReasonOfAnotherEventIs422) {
  const auto person = create_person("north");
  const auto events = event_count();
  auto r = post(north, "/v1/support-episodes",
                R"({"person_id":")" + person +
                    R"(","kind":"long_term","setting":"community","delivery":"council_arranged",
                    "started_on":"2024-03-01","short_term_type":"st_max"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"short_term_type"});
  EXPECT_EQ(event_count(), events);
  r = post(north, "/v1/support-episodes",
           R"({"person_id":")" + person +
               R"(","kind":"long_term","setting":"community","delivery":"council_arranged",
               "started_on":"2024-03-01"})");
  ASSERT_EQ(r.status, 201);
  const std::string id(r.json().at("id").as_string());
  const auto before_end = event_count();
  r = post(north, "/v1/support-episodes/" + id + "/end",
           R"({"ended_on":"2024-04-01","end_reason":"progress_to_assessment"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"end_reason"});
  EXPECT_EQ(event_count(), before_end);
}

TEST_F(ApiTest, AReviewsReasonIsForUnplannedReviewsAndOutcomesAchievedAreRecorded) {
  const auto person = create_person("north");
  ASSERT_EQ(post(north, "/v1/support-episodes",
                 R"({"person_id":")" + person +
                     R"(","kind":"long_term","setting":"community","delivery":"council_arranged",
                     "started_on":"2024-01-01"})")
                .status,
            201);
  const auto events = event_count();
  auto r = post(north, "/v1/reviews",
                R"({"person_id":")" + person +
                    R"(","reviewed_on":"2024-03-01","planned":true,"outcome":"no_change",
                    "review_reason":"unplanned_carer"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"review_reason"});
  EXPECT_EQ(event_count(), events);
  r = post(north, "/v1/reviews",
           R"({"person_id":")" + person +
               R"(","reviewed_on":"2024-03-01","planned":false,"outcome":"support_changed",
               "review_reason":"unplanned_carer","outcomes_achieved":"partially_met"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("review_reason"), "unplanned_carer");
  EXPECT_EQ(r.json().at("outcomes_achieved"), "partially_met");
}

TEST_F(ApiTest, AnAssessmentsOutcomeIsOneAnAssessmentMayHave) {
  const auto id = request_assessment(create_person("north"), "2024-03-01");
  const auto events = event_count();
  auto r = post(north, "/v1/assessments/" + id + "/completion",
                R"({"completed_on":"2024-03-05","eligible_needs":false,
                    "outcome":"progress_to_assessment"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"outcome"});
  EXPECT_EQ(event_count(), events);
  r = post(north, "/v1/assessments/" + id + "/completion",
           R"({"completed_on":"2024-03-05","eligible_needs":false,
               "outcome":"nfa_information_advice"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("outcome"), "nfa_information_advice");
}

}  // namespace
}  // namespace careledger::testing
