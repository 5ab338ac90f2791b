// MEASURES.md "Reports": the monthly report and the performance table, worked by hand.
#include <map>
#include <regex>
#include <sstream>

#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class ReportsTest : public ApiTest {
 protected:
  // Financial year 2023-24 (today is 30 June 2024).
  void SetUp() override {
    ApiTest::SetUp();
    complete(request_assessment(create_person(), "2023-04-10"), "2023-05-20");  // A: 40 days
    request_assessment(create_person(), "2023-05-01");                          // B: waits on
    complete(request_assessment(create_person(), "2024-01-15"), "2024-02-14");  // C: 30 days
    const auto person = create_person();
    for (const char* received : {"2023-04-03", "2023-04-18"}) {
      auto r = post(admin, "/v1/safeguarding/concerns",
                    R"({"person_id":")" + person + R"(","received_on":")" + received +
                        R"(","source":"family","abuse_types":["neglect"],"location":"own_home"})");
      EXPECT_EQ(r.status, 201);
      concerns.emplace_back(r.json().at("id").as_string());
    }
    EXPECT_EQ(post(admin, "/v1/safeguarding/concerns/" + concerns[0] + "/decision",
                   R"({"decided_on":"2023-04-20","outcome":"section_42_enquiry"})")
                  .status,
              200);
  }
  void complete(const std::string& id, const std::string& on) {
    EXPECT_EQ(post(admin, "/v1/assessments/" + id + "/completion",
                   R"({"completed_on":")" + on + R"(","eligible_needs":true})")
                  .status,
              200);
  }
  // label -> measure id -> value
  std::map<std::string, std::map<std::string, boost::json::value>> monthly(
      const std::string& query) {
    auto r = get(analyst, "/v1/reports/monthly?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, std::map<std::string, boost::json::value>> out;
    const auto body = r.json();
    for (const auto& row : body.at("rows").as_array()) {
      auto& cells = out[std::string(row.at("label").as_string())];
      for (const auto& m : row.at("measures").as_array()) {
        cells[std::string(m.at("id").as_string())] = m.at("value");
      }
    }
    return out;
  }
  std::vector<std::string> concerns;
};

TEST_F(ReportsTest, MonthlyRowsCountTheirOwnDatesAndRatesYearToDate) {
  auto r = get(analyst, "/v1/reports/monthly?financial_year=2023-24");
  ASSERT_EQ(r.status, 200);
  const auto body = r.json();
  EXPECT_EQ(body.at("financial_year"), "2023-24");
  std::vector<std::string> labels;
  for (const auto& row : body.at("rows").as_array())
    labels.emplace_back(row.at("label").as_string());
  EXPECT_EQ(labels,
            (std::vector<std::string>{"2023-04", "2023-05", "2023-06", "2023-07", "2023-08",
                                      "2023-09", "2023-10", "2023-11", "2023-12", "2024-01",
                                      "2024-02", "2024-03", "Q1", "Q2", "Q3", "Q4", "2023-24"}));
  EXPECT_EQ(body.at("rows").as_array()[1].at("from"), "2023-05-01");
  EXPECT_EQ(body.at("rows").as_array()[1].at("to"), "2023-05-31");

  auto rows = monthly("financial_year=2023-24");
  EXPECT_EQ(rows["2023-04"]["assessments.requested"], 1);
  EXPECT_EQ(rows["2023-04"]["assessments.completed"], 0);
  EXPECT_TRUE(rows["2023-04"]["assessments.average_days_to_complete"].is_null());
  EXPECT_EQ(rows["2023-04"]["assessments.waiting_list"], 1);  // A at 30 April
  EXPECT_EQ(rows["2023-05"]["assessments.average_days_to_complete"], 40);
  EXPECT_EQ(rows["2023-05"]["assessments.waiting_list"], 1);  // B at 31 May
  EXPECT_EQ(rows["Q1"]["assessments.requested"], 2);
  EXPECT_EQ(rows["Q4"]["assessments.average_days_to_complete"], 30);
  EXPECT_EQ(rows["2023-24"]["assessments.completed"], 2);
  EXPECT_EQ(rows["2023-24"]["assessments.average_days_to_complete"], 35);
  // Concerns: two in April, one enquiry. May counts none, but its rate is year to date.
  EXPECT_EQ(rows["2023-04"]["safeguarding.concerns_received"], 2);
  EXPECT_EQ(rows["2023-05"]["safeguarding.concerns_received"], 0);
  EXPECT_EQ(rows["2023-05"]["safeguarding.conversion_rate"], 50);
  EXPECT_EQ(rows["2024-03"]["safeguarding.open"], 2);  // one concern waiting, one enquiry open
  // The monthly report's own counts.
  EXPECT_EQ(rows["2023-04"]["safeguarding.enquiries_concluded"], 0);
  EXPECT_EQ(rows["2023-24"]["deferred_payments.placements_started"], 0);
}

TEST_F(ReportsTest, MonthlyCsvHasAHeaderAndOneLinePerRowWithEmptyNulls) {
  auto r = client->send("GET", "/v1/reports/monthly?financial_year=2023-24",
                        {{"Authorization", "Bearer " + analyst}, {"Accept", "text/csv"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.header("content-type").starts_with("text/csv"));
  std::istringstream lines(r.body);
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  ASSERT_EQ(all.size(), 18u);  // header + 12 months + 4 quarters + the year
  EXPECT_TRUE(all[0].starts_with("label,from,to,assessments.waiting_list,"));
  const auto columns = std::count(all[0].begin(), all[0].end(), ',');
  for (const auto& line : all) EXPECT_EQ(std::count(line.begin(), line.end(), ','), columns);
  EXPECT_TRUE(all[1].starts_with("2023-04,2023-04-01,2023-04-30,1,1,"));
  // April's average wait is null: an empty field.
  const auto header = all[0];
  std::vector<std::string> names, april;
  std::stringstream h(header), a(all[1]);
  for (std::string cell; std::getline(h, cell, ',');) names.push_back(cell);
  for (std::string cell; std::getline(a, cell, ',');) april.push_back(cell);
  april.resize(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "assessments.average_days_to_complete") {
      EXPECT_EQ(april[i], "");
    }
    if (names[i] == "safeguarding.conversion_rate") {
      EXPECT_EQ(april[i], "50");
    }
  }
  EXPECT_EQ(all[17].substr(0, 8), "2023-24,");
}

TEST_F(ReportsTest, ThePerformanceTable) {
  auto r = get(analyst, "/v1/reports/performance?financial_year=2023-24");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = r.json();
  std::map<std::string, boost::json::object> rows;
  std::vector<std::string> order;
  for (const auto& row : body.at("rows").as_array()) {
    order.emplace_back(row.at("id").as_string());
    rows[order.back()] = row.as_object();
  }
  // Same entries, same order, as /v1/measures.
  std::vector<std::string> measure_ids;
  const auto measures = get(analyst, "/v1/measures?from=2023-04-01&to=2024-03-31").json();
  for (const auto& m : measures.at("measures").as_array()) {
    measure_ids.emplace_back(m.at("id").as_string());
  }
  EXPECT_EQ(order, measure_ids);

  const auto& completed = rows["assessments.completed"];
  EXPECT_EQ(completed.at("quarters"), (boost::json::array{1, 1, 1, 2}));  // year to date
  EXPECT_EQ(completed.at("final"), 2);
  EXPECT_TRUE(completed.at("better").is_null());
  EXPECT_TRUE(completed.at("direction").is_null());
  EXPECT_EQ(completed.at("previous").as_array()[0].at("financial_year"), "2021-22");
  EXPECT_EQ(completed.at("previous").as_array()[1].at("financial_year"), "2022-23");
  EXPECT_EQ(completed.at("previous").as_array()[1].at("value"), 0);

  const auto& average = rows["assessments.average_days_to_complete"];
  EXPECT_EQ(average.at("quarters"), (boost::json::array{40, nullptr, nullptr, 30}));  // own
  EXPECT_EQ(average.at("final"), 35);
  EXPECT_EQ(average.at("better"), "lower");
  EXPECT_TRUE(average.at("direction").is_null());  // no value the year before

  const auto& waiting = rows["assessments.waiting_list"];
  EXPECT_EQ(waiting.at("quarters"), (boost::json::array{1, 1, 1, 1}));
  EXPECT_EQ(waiting.at("final"), 1);
  EXPECT_EQ(waiting.at("direction"), "↓");  // 0 the year before; lower is better
  EXPECT_EQ(rows["ascof.2a"].at("better"), "higher");
  EXPECT_EQ(rows["assessments.waiting_list_by_wait.urgent"].at("better"), "lower");
  EXPECT_FALSE(rows["assessments.waiting_list"].at("label").as_string().empty());
}

// API.md 1.1 "Periods that have not ended": today is 30 June 2024.
TEST_F(ReportsTest, AMonthOrQuarterNotYetEndedHasNullFigures) {
  complete(request_assessment(create_person(), "2024-05-01"), "2024-06-10");
  auto rows = monthly("financial_year=2024-25");
  EXPECT_EQ(rows["2024-06"]["assessments.completed"], 1);
  EXPECT_EQ(rows["Q1"]["assessments.completed"], 1);  // ends today: it has ended
  EXPECT_TRUE(rows["2024-07"]["assessments.completed"].is_null());
  EXPECT_TRUE(rows["Q2"]["assessments.waiting_list"].is_null());
  EXPECT_TRUE(rows["2024-25"]["assessments.completed"].is_null());
  EXPECT_EQ(rows["2025-03"].size(), rows["2024-04"].size());  // every entry, withheld

  const auto body = get(analyst, "/v1/reports/performance?financial_year=2024-25").json();
  for (const auto& row : body.at("rows").as_array()) {
    if (row.at("id") != "assessments.completed") continue;
    EXPECT_EQ(row.at("quarters"), (boost::json::array{1, nullptr, nullptr, nullptr}));
    EXPECT_TRUE(row.at("final").is_null());
    EXPECT_TRUE(row.at("direction").is_null());
    EXPECT_EQ(row.at("previous").as_array()[1].at("value"), 2);  // 2023-24 has ended
  }
}

TEST_F(ReportsTest, WithoutAYearBothReportsGiveTheLatestYearThatHasEnded) {
  EXPECT_EQ(get(analyst, "/v1/reports/performance").json().at("financial_year"), "2023-24");
  EXPECT_EQ(get(analyst, "/v1/reports/monthly").json().at("financial_year"), "2023-24");
}

TEST_F(ReportsTest, EveryAnswerSaysWhoseFiguresItGives) {
  create_person("south");
  auto council = get(analyst, "/v1/reports/performance").json();
  EXPECT_TRUE(council.at("team").is_null());
  // Council-wide: every registered team (API.md 1.1), whether or not it has casework yet.
  EXPECT_EQ(council.at("teams"), (boost::json::array{"east", "north", "south", "west"}));
  EXPECT_EQ(council.at("council_wide"), true);

  auto north_only = get(analyst, "/v1/reports/monthly?team=north").json();
  EXPECT_EQ(north_only.at("team"), "north");
  EXPECT_EQ(north_only.at("teams"), (boost::json::array{"north"}));
  EXPECT_EQ(north_only.at("council_wide"), false);

  auto own = get(north_leader, "/v1/measures").json();  // a team leader's own teams
  EXPECT_TRUE(own.at("team").is_null());
  EXPECT_EQ(own.at("teams"), (boost::json::array{"north"}));
  EXPECT_EQ(own.at("council_wide"), false);
}

TEST_F(ReportsTest, NumbersAreWrittenInPlainDecimal) {
  complete(request_assessment(create_person(), "2024-04-01"), "2024-04-30");  // 29 days
  complete(request_assessment(create_person(), "2024-04-01"), "2024-04-12");  // 11 days
  complete(request_assessment(create_person(), "2024-04-01"), "2024-04-11");  // 10 days
  auto r = get(analyst, "/v1/measures?from=2024-04-01&to=2024-06-30");
  EXPECT_NE(r.body.find(R"("value":16.666666666666668)"), std::string::npos) << r.body;
  EXPECT_FALSE(std::regex_search(r.body, std::regex("[0-9][eE][-+]?[0-9]"))) << r.body;
}

// A measure added without its label would show its id: every row, parts included, has one.
TEST_F(ReportsTest, EveryRowOfThePerformanceTableHasAHumanLabel) {
  const auto body = get(analyst, "/v1/reports/performance").json();
  ASSERT_FALSE(body.at("rows").as_array().empty());
  for (const auto& row : body.at("rows").as_array()) {
    EXPECT_NE(row.at("label"), row.at("id")) << row.at("id");
  }
}

TEST_F(ReportsTest, AFinancialYearMustBeWrittenProperly) {
  EXPECT_EQ(get(analyst, "/v1/reports/monthly?financial_year=2023-25").status, 400);
  EXPECT_EQ(get(analyst, "/v1/reports/performance?financial_year=2023").status, 400);
  EXPECT_EQ(get(north, "/v1/reports/monthly?financial_year=2023-24").status, 403);
  EXPECT_EQ(get(north_leader, "/v1/reports/monthly?financial_year=2023-24&team=south").status, 403);
}

}  // namespace
}  // namespace careledger::testing
