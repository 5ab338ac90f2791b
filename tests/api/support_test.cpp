// API.md "Support and reviews", and the review and ASCOF measures through /v1/measures.
#include <map>

#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class SupportTest : public ApiTest {
 protected:
  domain::Configuration configuration() const override {
    domain::Configuration config;
    config.population = {200000, 50000};
    return config;
  }
  std::string start(const std::string& person, const std::string& kind, const std::string& on,
                    const std::string& setting = "community",
                    const std::string& delivery = "direct_payment") {
    auto r =
        post(admin, "/v1/support-episodes",
             R"({"person_id":")" + person + R"(","kind":")" + kind + R"(","setting":")" + setting +
                 R"(","delivery":")" + delivery + R"(","started_on":")" + on + R"("})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  HttpResponse end(const std::string& token, const std::string& episode, const std::string& body) {
    return post(token, "/v1/support-episodes/" + episode + "/end", body);
  }
  HttpResponse review(const std::string& person, const std::string& on) {
    return post(north, "/v1/reviews",
                R"({"person_id":")" + person + R"(","reviewed_on":")" + on +
                    R"(","planned":true,"outcome":"no_change"})");
  }
  std::map<std::string, boost::json::value> figures(const std::string& query) {
    auto r = get(analyst, "/v1/measures?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, boost::json::value> out;
    const auto body = r.json();
    for (const auto& m : body.at("measures").as_array()) {
      out[std::string(m.at("id").as_string())] = m;
    }
    return out;
  }
};

TEST_F(SupportTest, StartingSupportIs201InThePersonsTeam) {
  const auto person = create_person("north");
  auto r = post(north, "/v1/support-episodes",
                R"({"person_id":")" + person +
                    R"(","kind":"long_term","setting":"nursing","delivery":"council_arranged",
                        "started_on":"2024-01-01"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto body = r.json();
  EXPECT_EQ(body.at("team"), "north");
  EXPECT_EQ(body.at("setting"), "nursing");
  EXPECT_TRUE(body.at("ended_on").is_null());
  EXPECT_EQ(r.header("etag"), "\"1\"");
  const std::string id(body.at("id").as_string());
  EXPECT_EQ(get(north, "/v1/support-episodes/" + id).body, r.body);
  EXPECT_EQ(get(south, "/v1/support-episodes/" + id).status, 404);
}

TEST_F(SupportTest, BadCodesDatesAndOtherTeamsPeopleRecordNothing) {
  const auto person = create_person("north");
  const auto events = event_count();
  auto r = post(north, "/v1/support-episodes",
                R"({"person_id":")" + person +
                    R"(","kind":"forever","setting":"garden","delivery":"cash",
                        "started_on":"2024-13-01"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_fields(r),
            (std::vector<std::string>{"kind", "setting", "delivery", "started_on"}));
  EXPECT_EQ(post(north, "/v1/support-episodes",
                 R"({"person_id":")" + person +
                     R"(","kind":"long_term","setting":"community","delivery":"direct_payment",
                         "started_on":"2024-07-01"})")
                .status,
            422);
  EXPECT_EQ(post(south, "/v1/support-episodes",
                 R"({"person_id":")" + person +
                     R"(","kind":"long_term","setting":"community","delivery":"direct_payment",
                         "started_on":"2024-01-01"})")
                .status,
            404);
  EXPECT_EQ(event_count(), events);
}

TEST_F(SupportTest, EndingFollowsTheRulesOfEachKind) {
  const auto person = create_person();
  const auto long_term = start(person, "long_term", "2024-01-01");
  const auto short_term = start(person, "short_term", "2024-02-01");
  const auto events = event_count();
  EXPECT_EQ(error_fields(end(north, short_term, R"({"ended_on":"2024-03-01"})")),
            std::vector<std::string>{"sequel"});
  EXPECT_EQ(error_fields(
                end(north, long_term, R"({"ended_on":"2024-03-01","sequel":"long_term_support"})")),
            std::vector<std::string>{"sequel"});
  EXPECT_EQ(error_fields(end(north, long_term, R"({"ended_on":"2023-12-31"})")),
            std::vector<std::string>{"ended_on"});
  EXPECT_EQ(end(north, short_term, R"({"ended_on":"2024-03-01","sequel":"soon"})").status, 422);
  EXPECT_EQ(end(south, long_term, R"({"ended_on":"2024-03-01"})").status, 404);
  EXPECT_EQ(event_count(), events);

  auto ended = end(north, short_term, R"({"ended_on":"2024-03-01","sequel":"no_ongoing_support"})");
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.json().at("sequel"), "no_ongoing_support");
  EXPECT_EQ(ended.json().at("version"), 2);
  EXPECT_EQ(end(north, short_term, R"({"ended_on":"2024-03-02","sequel":"other"})").status, 409);
}

TEST_F(SupportTest, AReviewNeedsLongTermSupportOnItsDate) {
  const auto person = create_person();
  const auto episode = start(person, "long_term", "2024-01-01");
  ASSERT_EQ(end(north, episode, R"({"ended_on":"2024-05-01"})").status, 200);
  const auto events = event_count();
  EXPECT_EQ(error_fields(review(person, "2023-12-31")), std::vector<std::string>{"reviewed_on"});
  EXPECT_EQ(error_fields(review(person, "2024-05-01")), std::vector<std::string>{"reviewed_on"});
  EXPECT_EQ(event_count(), events);
  auto ok = review(person, "2024-04-30");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json().at("reviewed_on"), "2024-04-30");
  EXPECT_EQ(ok.json().at("planned"), true);
  const std::string id(ok.json().at("id").as_string());
  EXPECT_EQ(get(north, "/v1/reviews/" + id).status, 200);
  EXPECT_EQ(get(south, "/v1/reviews/" + id).status, 404);
}

TEST_F(SupportTest, TheOverdueQueueAsAtADate) {
  const auto reviewed = create_person("north");
  const auto never = create_person("north");
  const auto elsewhere = create_person("south");
  start(reviewed, "long_term", "2020-01-01");
  ASSERT_EQ(review(reviewed, "2023-05-01").status, 201);
  start(never, "long_term", "2021-03-15");
  start(elsewhere, "long_term", "2023-01-01");

  auto r = get(north_leader, "/v1/reviews/overdue?as_at=2024-06-30");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = r.json();
  EXPECT_EQ(body.at("as_at"), "2024-06-30");
  EXPECT_EQ(body.at("total"), 2);
  EXPECT_EQ(body.at("over_three_years"), 1);
  const auto items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("person_id").as_string(), never);  // 15 March 2022 due: most overdue
  EXPECT_TRUE(items[0].at("last_reviewed_on").is_null());
  EXPECT_EQ(items[0].at("due_on"), "2022-03-15");
  EXPECT_EQ(items[0].at("days_overdue"), 838);
  EXPECT_EQ(items[1].at("person_id").as_string(), reviewed);
  EXPECT_EQ(items[1].at("last_reviewed_on"), "2023-05-01");
  EXPECT_EQ(items[1].at("due_on"), "2024-05-01");
  EXPECT_EQ(items[1].at("days_overdue"), 60);

  auto earlier = get(north_leader, "/v1/reviews/overdue?as_at=2024-04-30").json();
  EXPECT_EQ(earlier.at("total"), 1);  // the reviewed one is not yet due
  EXPECT_EQ(get(analyst, "/v1/reviews/overdue").status, 403);
  EXPECT_EQ(get(north, "/v1/reviews/overdue?team=south").status, 403);
  EXPECT_EQ(get(admin, "/v1/reviews/overdue?as_at=2024-06-30").json().at("total"), 3);
}

TEST_F(SupportTest, TheMeasuresOfAYear) {
  // Financial year 2023-24. Two people in community support since 2020; one reviewed.
  const auto a = create_person();
  const auto b = create_person();
  start(a, "long_term", "2020-01-01", "community", "direct_payment");
  start(b, "long_term", "2020-01-01", "community", "council_arranged");
  ASSERT_EQ(review(a, "2023-09-01").status, 201);
  // A new client's short-term support ending with no ongoing support; an admission at 73.
  const auto c = create_person();
  const auto st = start(c, "short_term", "2023-05-01");
  ASSERT_EQ(end(admin, st, R"({"ended_on":"2023-06-01","sequel":"no_ongoing_support"})").status,
            200);
  start(c, "long_term", "2023-07-01", "residential", "council_arranged");

  auto f = figures("from=2023-04-01&to=2024-03-31");
  EXPECT_EQ(f["reviews.long_term_12_months_reviewed"].at("numerator"), 1);
  EXPECT_EQ(f["reviews.long_term_12_months_reviewed"].at("denominator"), 2);
  EXPECT_EQ(f["reviews.long_term_12_months_reviewed"].at("value"), 50);
  EXPECT_EQ(f["reviews.long_term_12_months_reviewed"].at("unit"), "percent");
  EXPECT_EQ(f["reviews.overdue"].at("value"), 1);  // b, never reviewed since 2020
  EXPECT_EQ(f["reviews.overdue.over_three_years"].at("value"), 1);
  EXPECT_EQ(f["ascof.2a"].at("value"), 100);
  EXPECT_EQ(f["ascof.2b"].at("value"), 0);
  EXPECT_EQ(f["ascof.2c"].at("numerator"), 1);
  EXPECT_EQ(f["ascof.2c"].at("denominator"), 50000);
  EXPECT_EQ(f["ascof.2c"].at("value"), 2);  // 1 / 50,000 x 100,000
  EXPECT_EQ(f["ascof.2c"].at("unit"), "per_100000");
  EXPECT_EQ(f["ascof.3d"].at("value"), 2);
  EXPECT_EQ(f["ascof.3d.part_1a"].at("value"), 50);
  EXPECT_EQ(f["ascof.3d.part_2a"].at("value"), 50);

  auto team = figures("from=2023-04-01&to=2024-03-31&team=north");
  EXPECT_TRUE(team["ascof.2c"].at("value").is_null());
  EXPECT_EQ(team["ascof.2c"].at("numerator"), 1);
  EXPECT_TRUE(team["ascof.2c"].at("detail").is_string());
}

TEST_F(ApiTest, WithoutAPopulationTheAdmissionRatesAreNullAndSayWhy) {
  auto r = get(analyst, "/v1/measures?from=2023-04-01&to=2024-03-31");
  ASSERT_EQ(r.status, 200);
  const auto body = r.json();
  int seen = 0;
  for (const auto& m : body.at("measures").as_array()) {
    if (m.at("id") == "ascof.2b" || m.at("id") == "ascof.2c") {
      ++seen;
      EXPECT_TRUE(m.at("value").is_null());
      EXPECT_NE(std::string(m.at("detail").as_string()).find("population"), std::string::npos);
    }
  }
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace careledger::testing
