// The server itself: restarts, keep-alive, malformed HTTP.
#include "tests/api/api_fixture.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "persistence/database.hpp"
#include "persistence/projections.hpp"

namespace careledger::testing {
namespace {

TEST_F(ApiTest, EverythingRecordedIsThereAfterARestart) {
  const auto person = create_person();
  const auto assessment = request_assessment(person, "2024-03-01", "urgent");
  stop();
  start();
  EXPECT_EQ(get(north, "/v1/people/" + person).status, 200);
  auto list = get(north, "/v1/waiting-list").json();
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.at("items").as_array()[0].at("assessment_id").as_string(), assessment);
}

TEST_F(ApiTest, OneConnectionServesManyRequests) {
  for (int i = 0; i < 50; ++i) ASSERT_EQ(client->send("GET", "/healthz").status, 200);
}

TEST_F(ApiTest, MalformedHttpIs400) {
  auto r = client->send_raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(r.status, 400);
}

TEST_F(ApiTest, OversizedHeadersAreRefused) {
  auto r = client->send("GET", "/healthz", {{"X-Padding", std::string(20000, 'x')}});
  EXPECT_EQ(r.status, 431);
}

}  // namespace
}  // namespace careledger::testing

namespace careledger::testing {
namespace {

TEST_F(ApiTest, RebuildingAfterAMixedScenarioGivesTheLiveReadModels) {
  const auto ada = create_person("north");
  const auto bo = create_person("south");
  const auto a1 = request_assessment(ada, "2024-03-01", "urgent");
  const auto a2 = request_assessment(ada, "2024-04-01", "low");
  const auto b1 = request_assessment(bo, "2024-02-01", "high");
  ASSERT_EQ(post(admin, "/v1/assessments/" + a1 + "/allocation",
                 R"({"practitioner":"Sam","allocated_on":"2024-03-02"})")
                .status,
            200);
  ASSERT_EQ(post(admin, "/v1/assessments/" + a1 + "/completion",
                 R"({"completed_on":"2024-05-01","eligible_needs":true})")
                .status,
            200);
  ASSERT_EQ(post(admin, "/v1/assessments/" + b1 + "/closure",
                 R"({"closed_on":"2024-02-10","reason":"duplicate"})")
                .status,
            200);
  ASSERT_EQ(post(admin, "/v1/assessments/" + a2 + "/completion",
                 R"({"completed_on":"2024-03-01","eligible_needs":true})")
                .status,
            422);  // refused: leaves nothing to rebuild
  auto episode = post(admin, "/v1/support-episodes",
                      R"({"person_id":")" + ada +
                          R"(","kind":"short_term","setting":"community",
                              "delivery":"council_arranged","started_on":"2024-01-01"})");
  ASSERT_EQ(episode.status, 201);
  ASSERT_EQ(
      post(admin,
           "/v1/support-episodes/" + std::string(episode.json().at("id").as_string()) + "/end",
           R"({"ended_on":"2024-02-01","sequel":"long_term_support"})")
          .status,
      200);
  ASSERT_EQ(post(admin, "/v1/support-episodes",
                 R"({"person_id":")" + ada +
                     R"(","kind":"long_term","setting":"community",
                         "delivery":"direct_payment","started_on":"2024-02-01"})")
                .status,
            201);
  ASSERT_EQ(post(admin, "/v1/reviews",
                 R"({"person_id":")" + ada +
                     R"(","reviewed_on":"2024-06-01","planned":false,"outcome":"support_changed"})")
                .status,
            201);
  auto concern = post(admin, "/v1/safeguarding/concerns",
                      R"({"person_id":")" + ada +
                          R"(","received_on":"2024-05-01","source":"family",
                              "abuse_types":["psychological"],"location":"own_home"})");
  ASSERT_EQ(concern.status, 201);
  const std::string concern_id(concern.json().at("id").as_string());
  auto decided = post(admin, "/v1/safeguarding/concerns/" + concern_id + "/decision",
                      R"({"decided_on":"2024-05-02","outcome":"section_42_enquiry"})");
  ASSERT_EQ(decided.status, 200);
  ASSERT_EQ(post(admin,
                 "/v1/safeguarding/enquiries/" +
                     std::string(decided.json().at("enquiry_id").as_string()) + "/conclusion",
                 R"({"concluded_on":"2024-06-01","risk_identified":"yes","risk_outcome":"reduced",
                     "outcomes_asked":"expressed","outcomes_achieved":"partially"})")
                .status,
            200);
  auto placement = post(admin, "/v1/care-home-placements",
                        R"({"person_id":")" + ada +
                            R"(","started_on":"2024-01-01","weekly_cost_pence":70000,
                                "property_disregard":true})");
  ASSERT_EQ(placement.status, 201);
  auto offered = post(admin, "/v1/deferred-payments",
                      R"({"placement_id":")" + std::string(placement.json().at("id").as_string()) +
                          R"(","offered_on":"2024-01-02"})");
  ASSERT_EQ(offered.status, 201);
  const std::string dpa(offered.json().at("id").as_string());
  ASSERT_EQ(post(admin, "/v1/deferred-payments/" + dpa + "/signature",
                 R"({"signed_on":"2024-01-03","property_value_pence":30000000,
                     "weekly_deferred_pence":40000,"interest_rate_basis_points":300})")
                .status,
            200);
  ASSERT_EQ(post(admin, "/v1/deferred-payments/" + dpa + "/charges",
                 R"({"charged_on":"2024-01-03","amount_pence":20000,"description":"set-up"})")
                .status,
            200);
  stop();

  auto db = persistence::open_writer(db_path);
  const std::string live = persistence::dump_read_models(*db);
  ASSERT_NE(live.find(a2), std::string::npos);
  ASSERT_NE(live.find("rm_reviews|rev_"), std::string::npos);
  ASSERT_NE(live.find("long_term_support"), std::string::npos);
  ASSERT_NE(live.find("rm_enquiries|sgc_"), std::string::npos);            // the concern's enquiry
  ASSERT_NE(live.find("rm_agreement_movements|plc_"), std::string::npos);  // the placement's
  ASSERT_NE(live.find("|dpa_"), std::string::npos);
  {
    careledger::persistence::Transaction tx(*db, careledger::persistence::Transaction::Mode::write);
    persistence::rebuild_read_models(*db);
    tx.commit();
  }
  EXPECT_EQ(persistence::dump_read_models(*db), live);
}

}  // namespace
}  // namespace careledger::testing

namespace careledger::testing {
namespace {

TEST_F(ApiTest, MetricsAreForAdminsAndCountRoutesByPatternNotId) {
  const auto person = create_person();
  ASSERT_EQ(get(north, "/v1/people/" + person).status, 200);
  EXPECT_EQ(get(north, "/metrics").status, 403);
  EXPECT_EQ(get(analyst, "/metrics").status, 403);
  auto r = get(admin, "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.header("content-type").starts_with("text/plain"));
  EXPECT_NE(r.body.find(R"(careledger_http_requests_total{route="/v1/people/{}",status="200"} 1)"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"(careledger_http_requests_total{route="/v1/people",status="201"} 1)"),
            std::string::npos);
  EXPECT_NE(r.body.find("careledger_events_appended_total 1\n"), std::string::npos);
  EXPECT_NE(r.body.find("careledger_http_request_duration_seconds_count"), std::string::npos);
  EXPECT_EQ(r.body.find(person), std::string::npos);  // no ids in labels
  EXPECT_EQ(r.body.find("careledger_database_bytes 0\n"), std::string::npos);
}

TEST_F(ApiTest, AListAskedAgainIsCountedAndRefusedLikeTheFirstTime) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get(north, "/v1/waiting-list").status, 200);
  EXPECT_EQ(get(analyst, "/v1/waiting-list").status, 403);  // same path, not theirs to see
  EXPECT_EQ(get("not-a-token", "/v1/waiting-list").status, 401);
  auto r = get(admin, "/metrics");
  EXPECT_NE(
      r.body.find(R"(careledger_http_requests_total{route="/v1/waiting-list",status="200"} 3)"),
      std::string::npos)
      << r.body;
}

}  // namespace
}  // namespace careledger::testing
