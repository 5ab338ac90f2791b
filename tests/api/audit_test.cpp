// API.md 1.1, who read what: every request on a route that returns or addresses a person's
// record is in the access log before its answer is sent, refusals included; GET /v1/audit.
#include <SQLiteCpp/Statement.h>

#include "persistence/database.hpp"
#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class AuditTest : public ApiTest {
 protected:
  boost::json::array audit(const std::string& query = "") {
    auto r = get(admin, "/v1/audit" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("items").as_array();
  }
};

TEST_F(AuditTest, ReadingAPersonIsKeptWithWhoWhenAndWhatAndSoIsARefusal) {
  const auto person = create_person();
  ASSERT_EQ(get(north, "/v1/people/" + person).status, 200);
  ASSERT_EQ(get(south, "/v1/people/" + person).status, 404);  // another team's: refused
  const auto items = audit("?person_id=" + person);
  ASSERT_EQ(items.size(), 3u);  // newest first: the refusal, the read, the registration
  const auto& refused = items[0].as_object();
  EXPECT_EQ(refused.at("user"), "sol");
  EXPECT_EQ(refused.at("role"), "practitioner");
  EXPECT_EQ(refused.at("status"), 404);
  EXPECT_EQ(refused.at("route"), "/v1/people/{}");
  const auto& read = items[1].as_object();
  EXPECT_EQ(read.at("user"), "nia");
  EXPECT_EQ(read.at("method"), "GET");
  EXPECT_EQ(read.at("status"), 200);
  EXPECT_TRUE(read.at("at").as_string().ends_with("Z"));
  EXPECT_EQ(items[2].at("method"), "POST");  // the registration names the person it made
}

TEST_F(AuditTest, AListIsKeptWithItsFiltersAndHowManyPeopleItShowed) {
  const auto a = create_person(), b = create_person();
  request_assessment(a, "2024-03-01");
  request_assessment(a, "2024-04-01");
  request_assessment(b, "2024-05-01");
  ASSERT_EQ(get(north, "/v1/waiting-list?team=north&as_at=2024-06-30").status, 200);
  auto csv = client->send("GET", "/v1/waiting-list",
                          {{"Authorization", "Bearer " + north}, {"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200);
  const auto items = audit("?user=nia");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("people_shown"), 2);  // CSV too: people, not lines
  EXPECT_EQ(items[1].at("route"), "/v1/waiting-list");
  EXPECT_EQ(items[1].at("filters"),
            (boost::json::object{{"team", "north"}, {"as_at", "2024-06-30"}}));
  EXPECT_EQ(items[1].at("people_shown"), 2);  // two people, three requests
}

TEST_F(AuditTest, TheDeferredPaymentsNeedingAttentionCountThePeopleTheyShowed) {
  auto place = [&](const std::string& person, const std::string& started_on) {
    ASSERT_EQ(post(north, "/v1/care-home-placements",
                   R"({"person_id":")" + person + R"(","started_on":")" + started_on +
                       R"(","weekly_cost_pence":80000,"property_disregard":true})")
                  .status,
              201);
  };
  const auto a = create_person(), b = create_person();
  place(a, "2024-01-01");  // disregard ends 25 March 2024: ending within 28 days of 1 March
  place(b, "2023-10-01");  // ended in December 2023, nothing arranged
  place(b, "2023-11-01");  // the same person's second placement
  const auto answer = get(north, "/v1/deferred-payments/attention?as_at=2024-03-01");
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_EQ(answer.json().at("disregard_ending").as_array().size(), 1u);
  ASSERT_EQ(answer.json().at("unarranged").as_array().size(), 2u);
  const auto items = audit("?user=nia");
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("route"), "/v1/deferred-payments/attention");
  EXPECT_EQ(items[0].at("people_shown"), 2);  // people, not placements
}

TEST_F(AuditTest, ARefusedProbeOfAnotherTeamsRecordIsTiedToTheIdItAskedFor) {
  const auto person = create_person("north");
  const auto assessment = request_assessment(person, "2024-03-01");
  ASSERT_EQ(get(south, "/v1/assessments/" + assessment).status, 404);
  const auto items = audit("?user=sol");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("route"), "/v1/assessments/{}");
  EXPECT_EQ(items[0].at("filters"), (boost::json::object{{"id", assessment}}));
}

TEST_F(AuditTest, ACorrectionIsKeptForItAnswersWithThePersonsRecord) {
  const auto person = create_person("north");
  const auto history = get(admin, "/v1/people/" + person + "/history");
  const std::string event(history.json().at("items").as_array()[0].at("event_id").as_string());
  auto r =
      post(north_leader, "/v1/corrections", R"({"event_id":")" + event + R"(","reason":"typo"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto items = audit("?user=nell");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("route"), "/v1/corrections");
}

TEST_F(AuditTest, FiguresAreNotPersonalTheAuditItselfIsAndOnlyAnAdminMayReadIt) {
  ASSERT_EQ(get(analyst, "/v1/measures").status, 200);
  EXPECT_TRUE(audit("?user=ana").empty());
  EXPECT_EQ(get(north_leader, "/v1/audit").status, 403);
  EXPECT_EQ(audit("?user=nell").size(), 1u);   // the refused audit request is kept too
  EXPECT_EQ(audit("?user=admin").size(), 2u);  // and each reading of it
}

TEST_F(AuditTest, TheLogPagesNewestFirstAndIsNeverChanged) {
  const auto person = create_person();
  for (int i = 0; i < 3; ++i) get(north, "/v1/people/" + person);
  auto first = get(admin, "/v1/audit?user=nia&limit=2");
  ASSERT_EQ(first.json().at("items").as_array().size(), 2u);
  const std::string cursor(first.json().at("next_cursor").as_string());
  auto rest = get(admin, "/v1/audit?user=nia&limit=2&cursor=" + cursor);
  EXPECT_EQ(rest.json().at("items").as_array().size(), 1u);
  EXPECT_TRUE(rest.json().at("next_cursor").is_null());
  auto db = persistence::open_writer(db_path);
  EXPECT_THROW(db->exec("UPDATE access_log SET \"user\" = 'someone else'"), std::runtime_error);
  EXPECT_THROW(db->exec("DELETE FROM access_log"), std::runtime_error);
}

TEST_F(AuditTest, WithoutATrustedProxyXForwardedForIsIgnored) {
  const auto person = create_person();
  client->send("GET", "/v1/people/" + person,
               {{"Authorization", "Bearer " + north}, {"X-Forwarded-For", "192.0.2.7"}});
  EXPECT_EQ(audit("?user=nia").at(0).at("client"), "127.0.0.1");
}

// Behind a reverse proxy: the client is the address it appends, for the access log and for the
// limit on requests without a valid token.
class ProxiedTest : public AuditTest {
  api::ApiOptions api_options() const override {
    auto options = ApiTest::api_options();
    options.trusted_proxy = "127.0.0.1";
    options.anonymous_per_second = 0.001;
    options.anonymous_burst = 2;
    return options;
  }
};

TEST_F(ProxiedTest, TheClientIsTheAddressTheProxyForwardedForTheLogAndTheLimit) {
  const auto person = create_person();
  client->send("GET", "/v1/people/" + person,
               {{"Authorization", "Bearer " + north},
                {"X-Forwarded-For", "10.9.9.9, 192.0.2.7"}});  // the first is the client's word
  EXPECT_EQ(audit("?user=nia").at(0).at("client"), "192.0.2.7");
  auto guess = [&](const char* from) {
    return client
        ->send("GET", "/v1/people/x", {{"Authorization", "Bearer nope"}, {"X-Forwarded-For", from}})
        .status;
  };
  EXPECT_EQ(guess("192.0.2.7"), 401);
  EXPECT_EQ(guess("192.0.2.7"), 401);
  EXPECT_EQ(guess("192.0.2.7"), 429);     // that client's burst spent
  EXPECT_EQ(guess("198.51.100.4"), 401);  // another client behind the same proxy is not
}

}  // namespace
}  // namespace careledger::testing
