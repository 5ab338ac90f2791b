// API.md "Safeguarding", and who may see it.
#include <map>

#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class SafeguardingTest : public ApiTest {
 protected:
  HttpResponse concern(const std::string& token, const std::string& person,
                       const std::string& received_on,
                       const std::string& types = R"(["financial","neglect"])") {
    return post(token, "/v1/safeguarding/concerns",
                R"({"person_id":")" + person + R"(","received_on":")" + received_on +
                    R"(","source":"police","abuse_types":)" + types + R"(,"location":"own_home"})");
  }
  std::string concern_id(const std::string& person, const std::string& received_on) {
    auto r = concern(north, person, received_on);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  HttpResponse decide(const std::string& token, const std::string& concern, const std::string& on,
                      const std::string& outcome) {
    return post(token, "/v1/safeguarding/concerns/" + concern + "/decision",
                R"({"decided_on":")" + on + R"(","outcome":")" + outcome + R"("})");
  }
  std::string enquiry_id(const std::string& concern, const std::string& on,
                         const std::string& outcome = "section_42_enquiry") {
    auto r = decide(north, concern, on, outcome);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(r.json().at("enquiry_id").as_string());
  }
  HttpResponse conclude(const std::string& token, const std::string& enquiry,
                        const std::string& body) {
    return post(token, "/v1/safeguarding/enquiries/" + enquiry + "/conclusion", body);
  }
};

TEST_F(SafeguardingTest, AConcernIs201AwaitingADecision) {
  const auto person = create_person();
  auto r = concern(north, person, "2024-06-01");
  ASSERT_EQ(r.status, 201) << r.body;
  auto body = r.json();
  EXPECT_EQ(body.at("status"), "awaiting_decision");
  EXPECT_EQ(body.at("team"), "north");
  EXPECT_EQ(body.at("source"), "police");
  EXPECT_EQ(body.at("abuse_types").as_array().size(), 2u);
  EXPECT_TRUE(body.at("enquiry_id").is_null());
  const std::string id(body.at("id").as_string());
  EXPECT_EQ(get(north, "/v1/safeguarding/concerns/" + id).body, r.body);
}

TEST_F(SafeguardingTest, BadConcernsAre422NamingEachFieldAndRecordNothing) {
  const auto person = create_person();
  const auto events = event_count();
  auto r = post(north, "/v1/safeguarding/concerns",
                R"({"person_id":")" + person +
                    R"(","received_on":"2024-07-01","source":"neighbour",
                        "abuse_types":["physical","gossip"],"location":"moon"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"source", "abuse_types", "location"}));
  EXPECT_EQ(error_fields(concern(north, person, "2024-06-01", "[]")),
            std::vector<std::string>{"abuse_types"});
  EXPECT_EQ(error_fields(concern(north, person, "2024-06-01", R"("physical")")),
            std::vector<std::string>{"abuse_types"});
  EXPECT_EQ(error_fields(concern(north, person, "2024-07-01")),
            std::vector<std::string>{"received_on"});
  EXPECT_EQ(concern(south, person, "2024-06-01").status, 404);
  EXPECT_EQ(event_count(), events);
}

TEST_F(SafeguardingTest, ADecisionStartsAnEnquiryOnItsDate) {
  const auto id = concern_id(create_person(), "2024-06-01");
  auto r = decide(north, id, "2024-06-03", "section_42_enquiry");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status"), "decided");
  EXPECT_EQ(r.json().at("outcome"), "section_42_enquiry");
  const std::string enquiry(r.json().at("enquiry_id").as_string());
  auto e = get(north, "/v1/safeguarding/enquiries/" + enquiry);
  ASSERT_EQ(e.status, 200);
  EXPECT_EQ(e.json().at("kind"), "section_42");
  EXPECT_EQ(e.json().at("started_on"), "2024-06-03");
  EXPECT_EQ(e.json().at("status"), "open");
  EXPECT_EQ(e.json().at("concern_id").as_string(), id);

  const auto events = event_count();
  EXPECT_EQ(decide(north, id, "2024-06-04", "no_further_action").status, 409);
  EXPECT_EQ(event_count(), events);
}

TEST_F(SafeguardingTest, NoFurtherActionStartsNoEnquiry) {
  const auto id = concern_id(create_person(), "2024-06-01");
  auto r = decide(north, id, "2024-06-01", "no_further_action");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json().at("enquiry_id").is_null());
}

TEST_F(SafeguardingTest, ADecisionBeforeReceiptOrWithAnUnknownOutcomeIs422) {
  const auto id = concern_id(create_person(), "2024-06-01");
  const auto events = event_count();
  EXPECT_EQ(error_fields(decide(north, id, "2024-05-31", "other_enquiry")),
            std::vector<std::string>{"decided_on"});
  EXPECT_EQ(error_fields(decide(north, id, "2024-06-02", "investigate")),
            std::vector<std::string>{"outcome"});
  EXPECT_EQ(decide(south, id, "2024-06-02", "other_enquiry").status, 404);
  EXPECT_EQ(event_count(), events);
}

TEST_F(SafeguardingTest, ConcludingFollowsTheRules) {
  const auto enquiry = enquiry_id(concern_id(create_person(), "2024-05-01"), "2024-05-02");
  const auto events = event_count();
  auto missing = conclude(north, enquiry,
                          R"({"concluded_on":"2024-06-01","risk_identified":"yes",
                              "outcomes_asked":"expressed"})");
  EXPECT_EQ(error_fields(missing), (std::vector<std::string>{"risk_outcome", "outcomes_achieved"}));
  auto extra = conclude(north, enquiry,
                        R"({"concluded_on":"2024-06-01","risk_identified":"no",
                            "risk_outcome":"removed","outcomes_asked":"not_asked",
                            "outcomes_achieved":"fully"})");
  EXPECT_EQ(error_fields(extra), (std::vector<std::string>{"risk_outcome", "outcomes_achieved"}));
  EXPECT_EQ(error_fields(conclude(north, enquiry,
                                  R"({"concluded_on":"2024-05-01","risk_identified":"no",
                                      "outcomes_asked":"not_asked"})")),
            std::vector<std::string>{"concluded_on"});
  EXPECT_EQ(conclude(south, enquiry,
                     R"({"concluded_on":"2024-06-01","risk_identified":"no",
                         "outcomes_asked":"not_asked"})")
                .status,
            404);
  EXPECT_EQ(event_count(), events);

  auto done = conclude(north, enquiry,
                       R"({"concluded_on":"2024-06-01","risk_identified":"inconclusive",
                           "outcomes_asked":"expressed","outcomes_achieved":"not"})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("status"), "concluded");
  EXPECT_EQ(done.json().at("outcomes_achieved"), "not");
  EXPECT_TRUE(done.json().at("risk_outcome").is_null());
  EXPECT_EQ(conclude(north, enquiry,
                     R"({"concluded_on":"2024-06-02","risk_identified":"no",
                         "outcomes_asked":"not_asked"})")
                .status,
            409);
}

TEST_F(SafeguardingTest, AnAnalystSeesCountsAndNeverARecord) {
  const auto person = create_person();
  const auto id = concern_id(person, "2024-06-01");
  const auto enquiry = enquiry_id(id, "2024-06-02");
  EXPECT_EQ(concern(analyst, person, "2024-06-01").status, 403);
  EXPECT_EQ(get(analyst, "/v1/safeguarding/concerns/" + id).status, 403);
  EXPECT_EQ(get(analyst, "/v1/safeguarding/enquiries/" + enquiry).status, 403);
  EXPECT_EQ(get(analyst, "/v1/safeguarding/open").status, 403);
  EXPECT_EQ(get(south, "/v1/safeguarding/concerns/" + id).status, 404);
  EXPECT_EQ(get(south, "/v1/safeguarding/enquiries/" + enquiry).status, 404);

  auto r = get(analyst, "/v1/measures?from=2024-04-01&to=2024-06-30");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(person), std::string::npos);
  const auto body = r.json();
  std::map<std::string, boost::json::value> m;
  for (const auto& x : body.at("measures").as_array()) m[std::string(x.at("id").as_string())] = x;
  EXPECT_EQ(m["safeguarding.concerns_received"].at("value"), 1);
  EXPECT_EQ(m["safeguarding.enquiries_started.section_42"].at("value"), 1);
  EXPECT_EQ(m["safeguarding.conversion_rate"].at("value"), 100);
  EXPECT_EQ(m["safeguarding.conversion_rate"].at("numerator"), 1);
  EXPECT_EQ(m["safeguarding.conversion_rate"].at("denominator"), 1);
  EXPECT_EQ(m["safeguarding.open.enquiries_open"].at("value"), 1);
}

TEST_F(SafeguardingTest, TheOpenListAskedAgainShowsADecisionAtOnce) {
  const auto ada = create_person("north");
  const auto waiting = concern_id(ada, "2024-06-20");
  EXPECT_EQ(get(north, "/v1/safeguarding/open").json().at("concerns_awaiting_decision"), 1);
  EXPECT_EQ(get(north, "/v1/safeguarding/open").json().at("concerns_awaiting_decision"), 1);
  ASSERT_EQ(decide(north, waiting, "2024-06-21", "no_further_action").status, 200);
  const auto now = get(north, "/v1/safeguarding/open").json();
  EXPECT_EQ(now.at("concerns_awaiting_decision"), 0);
  EXPECT_TRUE(now.at("items").as_array().empty());
}

TEST_F(SafeguardingTest, TheOpenListAsAtADate) {
  const auto ada = create_person("north");
  const auto bo = create_person("south");
  const auto waiting = concern_id(ada, "2024-06-20");
  const auto decided = concern_id(ada, "2024-06-01");
  const auto enquiry = enquiry_id(decided, "2024-06-10");
  auto south_concern = concern(admin, bo, "2024-06-25");
  ASSERT_EQ(south_concern.status, 201);

  auto r = get(north_leader, "/v1/safeguarding/open?as_at=2024-06-30");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = r.json();
  EXPECT_EQ(body.at("as_at"), "2024-06-30");
  EXPECT_EQ(body.at("concerns_awaiting_decision"), 1);
  EXPECT_EQ(body.at("enquiries_open"), 1);
  const auto items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("kind"), "enquiry");  // open 20 days: longest first
  EXPECT_EQ(items[0].at("id").as_string(), enquiry);
  EXPECT_EQ(items[0].at("since"), "2024-06-10");
  EXPECT_EQ(items[0].at("days_open"), 20);
  EXPECT_EQ(items[1].at("kind"), "concern");
  EXPECT_EQ(items[1].at("id").as_string(), waiting);
  EXPECT_EQ(items[1].at("days_open"), 10);

  auto before = get(north, "/v1/safeguarding/open?as_at=2024-06-05").json();
  EXPECT_EQ(before.at("concerns_awaiting_decision"), 1);  // the one decided on 10 June
  EXPECT_EQ(before.at("enquiries_open"), 0);
  EXPECT_EQ(get(north, "/v1/safeguarding/open?team=south").status, 403);
  EXPECT_EQ(
      get(admin, "/v1/safeguarding/open?as_at=2024-06-30").json().at("concerns_awaiting_decision"),
      2);
}

}  // namespace
}  // namespace careledger::testing
