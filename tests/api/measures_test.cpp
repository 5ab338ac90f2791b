// MEASURES.md "Assessments" on a small scenario worked out by hand.
#include <map>

#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

using Figures = std::map<std::string, boost::json::value>;

class MeasuresTest : public ApiTest {
 protected:
  // Today is 2024-06-30. Period 2024-04-01..2024-06-30 unless a test says otherwise.
  void SetUp() override {
    ApiTest::SetUp();
    complete(request_assessment(create_person(), "2024-03-01"), "2024-04-10");  // A: 40 days
    complete(request_assessment(create_person(), "2024-04-01"), "2024-04-11");  // B: 10 days
    complete(request_assessment(create_person(), "2024-04-05"), "2024-05-05");  // C: 30 days
    complete(request_assessment(create_person(), "2024-04-10"), "2024-06-29");  // D: 80 days
    const auto e = request_assessment(create_person(), "2024-05-01");           // E: closed
    EXPECT_EQ(post(admin, "/v1/assessments/" + e + "/closure",
                   R"({"closed_on":"2024-05-02","reason":"declined"})")
                  .status,
              200);
    const auto f = create_person();
    request_assessment(f, "2023-06-01", "high");    // F: 395 days, 365+, high
    request_assessment(f, "2024-06-20", "urgent");  // F again: F still counts once, as high
    request_assessment(create_person("south"), "2024-06-10", "low");  // G: 20 days, 0-27
    request_assessment(create_person(), "2024-04-15", "urgent");      // H: 76 days, 28-89
    request_assessment(create_person(), "2024-01-01", "medium");      // I: 181 days, 180-364
    request_assessment(create_person(), "2024-03-15", "low");         // J: 107 days, 90-179
  }
  void complete(const std::string& id, const std::string& on) {
    EXPECT_EQ(post(admin, "/v1/assessments/" + id + "/completion",
                   R"({"completed_on":")" + on + R"(","eligible_needs":true})")
                  .status,
              200);
  }
  Figures figures(const std::string& token, const std::string& query) {
    auto r = get(token, "/v1/measures?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    Figures out;
    const auto body = r.json();
    for (const auto& m : body.at("measures").as_array()) {
      out[std::string(m.at("id").as_string())] = m.at("value");
    }
    return out;
  }
};

TEST_F(MeasuresTest, TheCouncilsFiguresForTheQuarter) {
  auto f = figures(analyst, "from=2024-04-01&to=2024-06-30");
  EXPECT_EQ(f["assessments.waiting_list"], 5);  // F, G, H, I, J
  EXPECT_EQ(f["assessments.waiting_list_by_wait"], 5);
  EXPECT_EQ(f["assessments.waiting_list_by_wait.days_0_27"], 1);      // G
  EXPECT_EQ(f["assessments.waiting_list_by_wait.days_28_89"], 1);     // H
  EXPECT_EQ(f["assessments.waiting_list_by_wait.days_90_179"], 1);    // J
  EXPECT_EQ(f["assessments.waiting_list_by_wait.days_180_364"], 1);   // I
  EXPECT_EQ(f["assessments.waiting_list_by_wait.days_365_plus"], 1);  // F
  EXPECT_EQ(f["assessments.waiting_list_by_wait.urgent"], 1);         // H
  EXPECT_EQ(f["assessments.waiting_list_by_wait.high"], 1);           // F
  EXPECT_EQ(f["assessments.waiting_list_by_wait.medium"], 1);         // I
  EXPECT_EQ(f["assessments.waiting_list_by_wait.low"], 2);            // G, J
  // Completions 10, 30, 40, 80: mean 160/4 = 40; median (30+40)/2 = 35; p90 the 4th = 80.
  EXPECT_EQ(f["assessments.average_days_to_complete"], 40);
  EXPECT_EQ(f["assessments.average_days_to_complete.median"], 35);
  EXPECT_EQ(f["assessments.average_days_to_complete.p90"], 80);
  EXPECT_EQ(f["assessments.completed"], 4);
  EXPECT_EQ(f["assessments.requested"], 7);  // B, C, D, E, F's second, G, H
}

TEST_F(MeasuresTest, OneMonthAsAtItsEnd) {
  auto f = figures(analyst, "from=2024-04-01&to=2024-04-30");
  // Completions A (40) and B (10): mean 25, median 25, p90 the 2nd = 40.
  EXPECT_EQ(f["assessments.average_days_to_complete"], 25);
  EXPECT_EQ(f["assessments.average_days_to_complete.median"], 25);
  EXPECT_EQ(f["assessments.average_days_to_complete.p90"], 40);
  // Waiting at 30 April: C, D, F, H, I, J (E is requested in May, G in June).
  EXPECT_EQ(f["assessments.waiting_list"], 6);
  EXPECT_EQ(f["assessments.requested"], 4);  // B, C, D, H
}

TEST_F(MeasuresTest, ATeamFilterCountsOnlyThatTeamsPeople) {
  auto f = figures(analyst, "from=2024-04-01&to=2024-06-30&team=north");
  EXPECT_EQ(f["assessments.waiting_list"], 4);
  EXPECT_EQ(f["assessments.waiting_list_by_wait.days_0_27"], 0);
  EXPECT_EQ(f["assessments.waiting_list_by_wait.low"], 1);
  EXPECT_EQ(f["assessments.requested"], 6);
}

TEST_F(MeasuresTest, APeriodWithoutCompletionsHasNullAverages) {
  auto r = get(analyst, "/v1/measures?from=2024-06-01&to=2024-06-28");
  ASSERT_EQ(r.status, 200);
  auto body = r.json();
  EXPECT_EQ(body.at("from"), "2024-06-01");
  EXPECT_EQ(body.at("to"), "2024-06-28");
  EXPECT_TRUE(body.at("team").is_null());
  for (const auto& m : body.at("measures").as_array()) {
    EXPECT_TRUE(m.as_object().contains("numerator"));
    EXPECT_TRUE(m.as_object().contains("denominator"));
    if (m.at("id").as_string().starts_with("assessments.average_days_to_complete")) {
      EXPECT_TRUE(m.at("value").is_null()) << m;
      EXPECT_EQ(m.at("unit"), "days");
    }
  }
}

TEST_F(MeasuresTest, WhoMayReadMeasures) {
  EXPECT_EQ(get(north, "/v1/measures").status, 403);
  EXPECT_EQ(get(north_leader, "/v1/measures?team=south").status, 403);
  auto own = figures(north_leader, "from=2024-04-01&to=2024-06-30");
  EXPECT_EQ(own["assessments.waiting_list"], 4);  // their team only
  EXPECT_EQ(get(analyst, "/v1/measures?team=south").status, 200);
  EXPECT_EQ(get(admin, "/v1/measures").status, 200);
}

// Figures are read afresh for every request from the running totals kept with the log: asked
// again after any write or correction, they show it.
TEST_F(MeasuresTest, AFigureAskedAgainFollowsEveryWriteAndCorrection) {
  const std::string q = "from=2024-04-01&to=2024-06-30";
  EXPECT_EQ(figures(analyst, q)["assessments.requested"], 7);
  EXPECT_EQ(figures(analyst, q)["assessments.requested"], 7);
  const auto person = create_person();
  request_assessment(person, "2024-06-01");
  EXPECT_EQ(figures(analyst, q)["assessments.requested"], 8);
  EXPECT_EQ(figures(analyst, q)["assessments.waiting_list"], 6);       // people: F..J and this one
  EXPECT_EQ(figures(north_leader, q)["assessments.waiting_list"], 5);  // north only

  std::string event_id;
  const auto history = get(admin, "/v1/people/" + person + "/history");
  for (const auto& item : history.json().at("items").as_array()) {
    if (item.at("type") == "assessment_requested") event_id = item.at("event_id").as_string();
  }
  ASSERT_EQ(post(admin, "/v1/corrections",
                 R"({"event_id":")" + event_id + R"(","reason":"entered twice"})")
                .status,
            201);
  EXPECT_EQ(figures(analyst, q)["assessments.requested"], 7);
  EXPECT_EQ(figures(analyst, q)["assessments.waiting_list"], 5);
  EXPECT_EQ(figures(north_leader, q)["assessments.waiting_list"], 4);
}

TEST_F(MeasuresTest, ABackwardsPeriodIs400) {
  auto r = get(analyst, "/v1/measures?from=2024-06-01&to=2024-05-01");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"from"});
}

}  // namespace
}  // namespace careledger::testing
