// Corrections (voiding a mistaken event) and measures "as known at" a moment.
#include <map>

#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class CorrectionsTest : public ApiTest {
 protected:
  std::vector<boost::json::value> history(const std::string& person) {
    auto r = get(admin, "/v1/people/" + person + "/history");
    EXPECT_EQ(r.status, 200);
    const auto body = r.json();
    return {body.at("items").as_array().begin(), body.at("items").as_array().end()};
  }
  std::string event_of(const std::string& person, const std::string& type) {
    for (const auto& item : history(person)) {
      if (item.at("type").as_string() == type) return std::string(item.at("event_id").as_string());
    }
    return {};
  }
  HttpResponse correct(const std::string& token, const std::string& event_id,
                       const std::string& reason = "recorded against the wrong person") {
    return post(token, "/v1/corrections",
                R"({"event_id":")" + event_id + R"(","reason":")" + reason + R"("})");
  }
  boost::json::value figure(const std::string& id, const std::string& query) {
    auto r = get(analyst, "/v1/measures?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    for (const auto& m : body.at("measures").as_array()) {
      if (m.at("id").as_string() == id) return m.at("value");
    }
    return nullptr;
  }
};

TEST_F(CorrectionsTest, VoidingACompletionPutsTheAssessmentBackOnTheList) {
  const auto person = create_person();
  const auto assessment = request_assessment(person, "2024-03-01");
  ASSERT_EQ(post(north, "/v1/assessments/" + assessment + "/completion",
                 R"({"completed_on":"2024-04-01","eligible_needs":true})")
                .status,
            200);
  EXPECT_EQ(get(north, "/v1/waiting-list").json().at("total"), 0);

  auto r = correct(north_leader, event_of(person, "assessment_completed"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("recorded_by"), "nell");
  EXPECT_EQ(r.json().at("voided").at("type"), "assessment_completed");

  auto now = get(north, "/v1/assessments/" + assessment).json();
  EXPECT_EQ(now.at("status"), "waiting");
  EXPECT_TRUE(now.at("completed_on").is_null());
  EXPECT_EQ(now.at("version"), 3);  // the stream's version: request, completion, correction
  EXPECT_EQ(get(north, "/v1/waiting-list").json().at("total"), 1);
  EXPECT_EQ(figure("assessments.completed", "from=2024-04-01&to=2024-06-30"), 0);

  // The history keeps both, with who and why.
  const auto items = history(person);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[2].at("type"), "assessment_completed");
  EXPECT_EQ(items[3].at("type"), "event_voided");
  EXPECT_EQ(items[3].at("data").at("reason"), "recorded against the wrong person");
  EXPECT_EQ(items[3].at("recorded_by"), "nell");

  // It can be completed again, properly.
  EXPECT_EQ(post(north, "/v1/assessments/" + assessment + "/completion",
                 R"({"completed_on":"2024-04-02","eligible_needs":false})")
                .status,
            200);
}

TEST_F(CorrectionsTest, VoidingARequestWhoseCompletionStandsIs409) {
  const auto person = create_person();
  const auto assessment = request_assessment(person, "2024-03-01");
  ASSERT_EQ(post(north, "/v1/assessments/" + assessment + "/completion",
                 R"({"completed_on":"2024-04-01","eligible_needs":true})")
                .status,
            200);
  const auto events = event_count();
  EXPECT_EQ(correct(admin, event_of(person, "assessment_requested")).status, 409);
  EXPECT_EQ(correct(admin, event_of(person, "person_registered")).status, 409);
  EXPECT_EQ(event_count(), events);
}

TEST_F(CorrectionsTest, VoidingTheRequestItselfTakesTheAssessmentAway) {
  const auto person = create_person();
  const auto assessment = request_assessment(person, "2024-03-01");
  ASSERT_EQ(correct(admin, event_of(person, "assessment_requested")).status, 201);
  EXPECT_EQ(get(north, "/v1/assessments/" + assessment).status, 404);
  EXPECT_EQ(get(north, "/v1/waiting-list").json().at("total"), 0);
}

// A request's outcome and the assessment it started are recorded together; they are voided
// assessment first, so the request is never open beside an assessment it started.
TEST_F(CorrectionsTest, ARequestsOutcomeIsVoidedOnlyOnceTheAssessmentItStartedIs) {
  const auto person = create_person();
  auto r = post(north, "/v1/requests",
                R"({"person_id":")" + person +
                    R"(","received_on":"2024-03-01","route_of_access":"community_other"})");
  ASSERT_EQ(r.status, 201);
  const std::string request(r.json().at("id").as_string());
  ASSERT_EQ(post(north, "/v1/requests/" + request + "/outcome",
                 R"({"decided_on":"2024-03-02","outcome":"progress_to_assessment",
                     "assessment":{"kind":"needs","priority":"high"}})")
                .status,
            200);
  const auto events = event_count();
  EXPECT_EQ(correct(admin, event_of(person, "support_request_decided")).status, 409);
  EXPECT_EQ(event_count(), events);
  ASSERT_EQ(correct(admin, event_of(person, "assessment_requested")).status, 201);
  EXPECT_EQ(get(north, "/v1/waiting-list").json().at("total"), 0);
  ASSERT_EQ(correct(admin, event_of(person, "support_request_decided")).status, 201);
  r = get(north, "/v1/requests/" + request);
  EXPECT_EQ(r.json().at("status"), "open");
  EXPECT_TRUE(r.json().at("assessment_id").is_null());
}

TEST_F(CorrectionsTest, WhoMayCorrectAndWhatCannotBeCorrected) {
  const auto person = create_person("north");
  request_assessment(person, "2024-03-01");
  const auto requested = event_of(person, "assessment_requested");
  const auto events = event_count();
  EXPECT_EQ(correct(north, requested).status, 403);  // practitioners may not
  EXPECT_EQ(correct(analyst, requested).status, 403);
  EXPECT_EQ(correct(admin, "no-such-event").status, 404);
  auto empty = post(admin, "/v1/corrections", R"({"event_id":")" + requested + R"("})");
  EXPECT_EQ(error_fields(empty), std::vector<std::string>{"reason"});
  EXPECT_EQ(event_count(), events);

  auto voided = correct(north_leader, requested);
  ASSERT_EQ(voided.status, 201);
  EXPECT_EQ(correct(north_leader, requested).status, 409);  // already voided
  EXPECT_EQ(correct(admin, std::string(voided.json().at("id").as_string())).status, 409);
}

TEST_F(CorrectionsTest, ATeamLeaderCorrectsOnlyTheirTeam) {
  const auto person = create_person("south");
  request_assessment(person, "2024-03-01");
  EXPECT_EQ(correct(north_leader, event_of(person, "assessment_requested")).status, 404);
}

TEST_F(CorrectionsTest, APublishedFigureCanBeReproducedAsKnownAtItsTime) {
  if (postgres) {
    GTEST_SKIP() << "the test's recording clock stamps recorded_at on SQLite only; on PostgreSQL "
                    "the database's clock does, in commit order";
  }
  // Published at 10:05 on 30 June 2024: two completions in the quarter.
  recording_minute = 1;
  const auto a = request_assessment(create_person(), "2024-04-01");
  const auto b = request_assessment(create_person(), "2024-04-02");
  for (const auto& id : {a, b}) {
    ASSERT_EQ(post(admin, "/v1/assessments/" + id + "/completion",
                   R"({"completed_on":"2024-05-01","eligible_needs":true})")
                  .status,
              200);
  }
  const std::string quarter = "from=2024-04-01&to=2024-06-30";
  EXPECT_EQ(figure("assessments.completed", quarter), 2);
  EXPECT_EQ(figure("assessments.requested", quarter), 2);

  // Later: a late entry for the same quarter, and one completion corrected away.
  recording_minute = 20;
  request_assessment(create_person(), "2024-05-15");
  const auto person_a = get(admin, "/v1/assessments/" + a).json().at("person_id");
  const auto history = get(admin, "/v1/people/" + std::string(person_a.as_string()) + "/history");
  std::string completion;
  for (const auto& item : history.json().at("items").as_array()) {
    if (item.at("type") == "assessment_completed") completion = item.at("event_id").as_string();
  }
  ASSERT_EQ(post(admin, "/v1/corrections",
                 R"({"event_id":")" + completion + R"(","reason":"entered in error"})")
                .status,
            201);
  EXPECT_EQ(figure("assessments.completed", quarter), 1);
  EXPECT_EQ(figure("assessments.requested", quarter), 3);

  // As known at 10:05, the published figures come back exactly.
  const std::string then = quarter + "&known_at=2024-06-30T10:05:00Z";
  EXPECT_EQ(figure("assessments.completed", then), 2);
  EXPECT_EQ(figure("assessments.requested", then), 2);
  EXPECT_EQ(figure("assessments.waiting_list", then), 0);
  // The same moment written with an offset.
  EXPECT_EQ(figure("assessments.completed", quarter + "&known_at=2024-06-30T11:05:00%2B01:00"), 2);
  // Before anything was recorded.
  EXPECT_EQ(figure("assessments.requested", quarter + "&known_at=2024-06-30T09:00:00Z"), 0);

  auto report =
      get(analyst, "/v1/reports/monthly?financial_year=2024-25&known_at=2024-06-30T10:05:00Z");
  ASSERT_EQ(report.status, 200);
  const auto rows = report.json().at("rows").as_array();
  for (const auto& m : rows[1].at("measures").as_array()) {  // May 2024
    if (m.at("id") == "assessments.completed") {
      EXPECT_EQ(m.at("value"), 2);
    }
  }
  EXPECT_EQ(get(analyst, "/v1/measures?known_at=yesterday").status, 400);
  // RFC 3339 exactly: two-digit fields, a zone with hours and minutes, at most nine decimals.
  for (const char* bad : {"2024-6-30T10:05:00Z", "2024-06-30T10:05:00", "2024-06-30T10:05:00+01",
                          "2024-06-30T10:05:00.1234567890Z", "2024-06-30%2010:05:00Z",
                          "2024-06-31T10:05:00Z", "2024-06-30T24:05:00Z"}) {
    EXPECT_EQ(get(analyst, std::string("/v1/measures?known_at=") + bad).status, 400) << bad;
  }
  EXPECT_EQ(get(analyst, "/v1/measures?known_at=2024-06-30t10:05:00.123456z").status, 200);
}

}  // namespace
}  // namespace careledger::testing
