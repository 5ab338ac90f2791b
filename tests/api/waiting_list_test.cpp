// API.md GET /v1/waiting-list, with MEASURES.md readings 8 and 21.
#include <algorithm>
#include <sstream>

#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

std::vector<std::string> item_ids(const boost::json::value& body) {
  std::vector<std::string> ids;
  for (const auto& item : body.at("items").as_array()) {
    ids.emplace_back(item.at("assessment_id").as_string());
  }
  return ids;
}

class WaitingListTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ada = create_person("north");
    bo = create_person("north");
    cy = create_person("south");
    ada_low = request_assessment(ada, "2024-01-10", "low");
    ada_urgent = request_assessment(ada, "2024-06-01", "urgent");
    bo_urgent = request_assessment(bo, "2024-05-01", "urgent");
    cy_high = request_assessment(cy, "2024-02-01", "high");
  }
  std::string ada, bo, cy, ada_low, ada_urgent, bo_urgent, cy_high;
};

TEST_F(WaitingListTest, ItemsAreByPriorityThenLongestWaitAndTotalCountsPeople) {
  auto r = get(admin, "/v1/waiting-list");
  ASSERT_EQ(r.status, 200);
  auto body = r.json();
  EXPECT_EQ(body.at("as_at"), "2024-06-30");
  EXPECT_EQ(item_ids(body), (std::vector<std::string>{bo_urgent, ada_urgent, cy_high, ada_low}));
  EXPECT_EQ(body.at("total"), 3);
  const auto& first = body.at("items").as_array()[0];
  EXPECT_EQ(first.at("days_waiting"), 60);  // 1 May to 30 June
  EXPECT_EQ(first.at("person_id").as_string(), bo);
  EXPECT_EQ(first.at("team"), "north");
  EXPECT_TRUE(first.at("allocated_to").is_null());
}

TEST_F(WaitingListTest, APractitionerSeesOnlyTheirTeamAndCannotAskForAnother) {
  auto r = get(north, "/v1/waiting-list");
  EXPECT_EQ(item_ids(r.json()), (std::vector<std::string>{bo_urgent, ada_urgent, ada_low}));
  EXPECT_EQ(r.json().at("total"), 2);
  EXPECT_EQ(get(north, "/v1/waiting-list?team=south").status, 403);
  EXPECT_EQ(get(north_leader, "/v1/waiting-list?team=north").status, 200);
  EXPECT_EQ(get(analyst, "/v1/waiting-list").status, 403);
  EXPECT_EQ(item_ids(get(admin, "/v1/waiting-list?team=south").json()),
            std::vector<std::string>{cy_high});
}

TEST_F(WaitingListTest, TheListAskedAgainShowsEveryChangeSinceAtOnce) {
  EXPECT_EQ(get(north, "/v1/waiting-list").json().at("total"), 2);
  EXPECT_EQ(get(north, "/v1/waiting-list").json().at("total"), 2);
  ASSERT_EQ(post(north, "/v1/assessments/" + ada_low + "/completion",
                 R"({"completed_on":"2024-06-29","eligible_needs":true})")
                .status,
            200);
  EXPECT_EQ(item_ids(get(north, "/v1/waiting-list").json()),
            (std::vector<std::string>{bo_urgent, ada_urgent}));
  const auto dee = create_person("north");
  const auto dee_low = request_assessment(dee, "2024-06-15", "low");
  auto now = get(north, "/v1/waiting-list").json();
  EXPECT_EQ(item_ids(now), (std::vector<std::string>{bo_urgent, ada_urgent, dee_low}));
  EXPECT_EQ(now.at("total"), 3);
}

TEST_F(WaitingListTest, APastDateShowsTheListAsItWasThen) {
  ASSERT_EQ(post(north, "/v1/assessments/" + bo_urgent + "/allocation",
                 R"({"practitioner":"Sam","allocated_on":"2024-05-20"})")
                .status,
            200);
  ASSERT_EQ(post(north, "/v1/assessments/" + bo_urgent + "/completion",
                 R"({"completed_on":"2024-06-10","eligible_needs":true})")
                .status,
            200);
  auto now = get(north, "/v1/waiting-list").json();
  EXPECT_EQ(item_ids(now), (std::vector<std::string>{ada_urgent, ada_low}));

  auto then = get(north, "/v1/waiting-list?as_at=2024-05-31").json();
  EXPECT_EQ(then.at("as_at"), "2024-05-31");
  EXPECT_EQ(item_ids(then), (std::vector<std::string>{bo_urgent, ada_low}));
  EXPECT_EQ(then.at("items").as_array()[0].at("allocated_to"), "Sam");
  EXPECT_EQ(then.at("items").as_array()[0].at("days_waiting"), 30);

  auto earlier = get(north, "/v1/waiting-list?as_at=2024-05-10").json();
  EXPECT_TRUE(earlier.at("items").as_array()[0].at("allocated_to").is_null());
}

TEST_F(WaitingListTest, APriorityFilterFiltersItemsAndTotalCountsPeopleAmongThem) {
  auto r = get(admin, "/v1/waiting-list?priority=urgent").json();
  EXPECT_EQ(item_ids(r), (std::vector<std::string>{bo_urgent, ada_urgent}));
  EXPECT_EQ(r.at("total"), 2);
}

TEST_F(WaitingListTest, PagesFollowTheCursorToTheEnd) {
  auto page1 = get(admin, "/v1/waiting-list?limit=3").json();
  EXPECT_EQ(item_ids(page1), (std::vector<std::string>{bo_urgent, ada_urgent, cy_high}));
  EXPECT_EQ(page1.at("total"), 3);
  ASSERT_TRUE(page1.at("next_cursor").is_string());
  auto page2 = get(admin, "/v1/waiting-list?limit=3&cursor=" +
                              std::string(page1.at("next_cursor").as_string()))
                   .json();
  EXPECT_EQ(item_ids(page2), std::vector<std::string>{ada_low});
  EXPECT_TRUE(page2.at("next_cursor").is_null());
}

// One request gives a team leader's screen: each row says whose it is.
TEST_F(WaitingListTest, EachRowNamesThePersonAndTheirAge) {
  auto grace = post(admin, "/v1/people",
                    R"({"given_name":"Grace","family_name":"Hopper","date_of_birth":"1936-07-01",
                        "team":"north"})");
  ASSERT_EQ(grace.status, 201);
  const std::string grace_id(grace.json().at("id").as_string());
  request_assessment(grace_id, "2024-01-01", "low");
  auto row_of = [](const boost::json::value& body, const std::string& person) {
    for (const auto& item : body.at("items").as_array()) {
      if (item.at("person_id") == person.c_str()) return item;
    }
    return boost::json::value(nullptr);
  };
  const auto now = get(admin, "/v1/waiting-list").json();
  EXPECT_EQ(row_of(now, grace_id).at("name"), "Grace Hopper");
  EXPECT_EQ(row_of(now, grace_id).at("age"), 87);  // 88 on 1 July 2024
  EXPECT_EQ(row_of(now, bo).at("name"), "Ada Lovelace");
  EXPECT_EQ(row_of(now, bo).at("age"), 74);  // born 5 May 1950, as at 30 June 2024
  const auto then = get(admin, "/v1/waiting-list?as_at=2024-05-04").json();
  EXPECT_EQ(row_of(then, ada).at("age"), 73);  // the day before their birthday
  EXPECT_EQ(get(admin, "/v1/waiting-list?sort=-age").json().at("items").at(0).at("name"),
            "Grace Hopper");
}

TEST_F(WaitingListTest, ListsSortOnAnyOfTheirColumns) {
  EXPECT_EQ(item_ids(get(admin, "/v1/waiting-list?sort=requested_on").json()),
            (std::vector<std::string>{ada_low, cy_high, bo_urgent, ada_urgent}));
  EXPECT_EQ(item_ids(get(admin, "/v1/waiting-list?sort=-days_waiting&limit=2").json()),
            (std::vector<std::string>{ada_low, cy_high}));
  auto bad = get(admin, "/v1/waiting-list?sort=shoe_size");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_fields(bad), std::vector<std::string>{"sort"});
  EXPECT_EQ(get(admin, "/v1/reviews/overdue?sort=-days_overdue").status, 200);
  EXPECT_EQ(get(admin, "/v1/safeguarding/open?sort=days_open").status, 200);
}

TEST_F(WaitingListTest, AsCsvTheWholeListIsStreamedWithAHeader) {
  auto r = client->send("GET", "/v1/waiting-list?limit=1",
                        {{"Authorization", "Bearer " + admin}, {"Accept", "text/csv"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");  // streamed, not held whole
  std::vector<std::string> lines;
  std::istringstream in(r.body);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 5u);  // the header and all four, whatever the limit
  EXPECT_EQ(
      lines[0],
      "assessment_id,person_id,team,priority,requested_on,days_waiting,allocated_to,name,age");
  EXPECT_EQ(lines[1], bo_urgent + "," + bo + ",north,urgent,2024-05-01,60,,Ada Lovelace,74");
}

TEST_F(WaitingListTest, InCsvANameIsQuotedWhereItMustBeAndNeverTakenForAFormula) {
  auto person = [&](const std::string& given, const std::string& family) {
    boost::json::object body{{"given_name", given},
                             {"family_name", family},
                             {"date_of_birth", "1950-05-05"},
                             {"team", "east"}};
    auto r = post(admin, "/v1/people", boost::json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  };
  const auto formula = person("=HYPERLINK(\"http://x\")", "Smith");
  const auto comma = person("Jo", "Smith, \"Jr\"");
  const auto plus = person("+44", "Jones");
  request_assessment(formula, "2024-03-01", "urgent");
  request_assessment(comma, "2024-03-02", "urgent");
  request_assessment(plus, "2024-03-03", "urgent");
  auto r = client->send("GET", "/v1/waiting-list?team=east",
                        {{"Authorization", "Bearer " + admin}, {"Accept", "text/csv"}});
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> names;
  std::istringstream in(r.body);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) names.push_back(line.substr(line.find(",,") + 2));
  EXPECT_EQ(names, (std::vector<std::string>{R"("'=HYPERLINK(""http://x"") Smith",74)",
                                             R"("Jo Smith, ""Jr""",74)", "'+44 Jones,74"}));
}

TEST_F(WaitingListTest, AnHttp10ClientGetsTheCsvWholeWithItsLength) {
  auto r = client->send_raw("GET /v1/waiting-list HTTP/1.0\r\nAuthorization: Bearer " + admin +
                            "\r\nAccept: text/csv\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("transfer-encoding"), "");
  EXPECT_EQ(r.header("content-length"), std::to_string(r.body.size()));
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 5);  // header and four rows
}

}  // namespace
}  // namespace careledger::testing
