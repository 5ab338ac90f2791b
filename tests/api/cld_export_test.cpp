// CLD.md §2, §5 and §8 items 1 and 5: the file and its data-quality report over HTTP.
#include "tests/api/api_fixture.hpp"

#include <map>

namespace careledger::testing {
namespace {

class CldExportTest : public ApiTest {
 protected:
  domain::Configuration configuration() const override {
    domain::Configuration config;
    config.la_code = "999";
    return config;
  }

  std::string id_of(const HttpResponse& r) {
    EXPECT_LT(r.status, 300) << r.body;
    return r.status < 300 ? std::string(r.json().at("id").as_string()) : "missing";
  }

  // CLD.md §7's casework, moved into January to March 2024 (the tests' today is 30 June 2024).
  struct Example {
    std::string person, request, st_max, assessment, long_term, review;
  };
  Example record_example() {
    Example e;
    e.person = id_of(post(north, "/v1/people",
                          R"({"given_name":"Mary","family_name":"Seacole",
                              "date_of_birth":"1948-06-14","team":"north",
                              "nhs_number":"9434765919","gender":"female",
                              "ethnicity":"white_british",
                              "primary_support_reason":"physical_personal_care",
                              "has_unpaid_carer":"yes"})"));
    e.request = id_of(post(north, "/v1/requests",
                           R"({"person_id":")" + e.person +
                               R"(","received_on":"2024-01-02",
                               "route_of_access":"discharge_from_hospital"})"));
    EXPECT_EQ(post(north, "/v1/requests/" + e.request + "/outcome",
                   R"({"decided_on":"2024-01-03","outcome":"progress_to_reablement"})")
                  .status,
              200);
    e.st_max = id_of(post(north, "/v1/support-episodes",
                          R"({"person_id":")" + e.person +
                              R"(","kind":"short_term","setting":"community",
                              "delivery":"council_arranged","started_on":"2024-01-03"})"));
    EXPECT_EQ(post(north, "/v1/support-episodes/" + e.st_max + "/end",
                   R"({"ended_on":"2024-02-13","sequel":"long_term_support"})")
                  .status,
              200);
    e.assessment = request_assessment(e.person, "2024-02-01");
    EXPECT_EQ(post(north, "/v1/assessments/" + e.assessment + "/completion",
                   R"({"completed_on":"2024-02-12","eligible_needs":true,
                       "outcome":"progress_to_support_planning"})")
                  .status,
              200);
    e.long_term = id_of(post(north, "/v1/support-episodes",
                             R"({"person_id":")" + e.person +
                                 R"(","kind":"long_term","setting":"community",
                                 "delivery":"direct_payment","started_on":"2024-02-14"})"));
    e.review = id_of(post(north, "/v1/reviews",
                          R"({"person_id":")" + e.person +
                              R"(","reviewed_on":"2024-03-20","planned":true,
                              "outcome":"no_change","outcomes_achieved":"partially_met"})"));
    return e;
  }
};

TEST_F(CldExportTest, TheQuartersFileIsTheExamplesRowsUnderTheHeaderAndTheSameEachTime) {
  const auto e = record_example();
  auto r = get(admin, "/v1/exports/cld?quarter=2023-24-Q4&span=quarter");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.header("content-disposition"),
            "attachment; filename=\"CLD_999_20240101_20240331.csv\"");
  const std::string person =
      "999,01/01/2024,31/03/2024,9434765919," + e.person +
      ",,,Female,\"White - English, Welsh, Scottish, Northern Irish or British\",14/06/1948,,"
      "Service User,Physical Support: Personal care support,,,,Yes,,,,,,";
  const std::string expected =
      "LA_Code,Reporting_Period_Start_Date,Reporting_Period_End_Date,NHS_Number,LA_Person_Unique_"
      "Identifier,GP_Practice_Code,GP_Practice_Name,Gender,Ethnicity,Date_of_Birth,Date_of_Death,"
      "Client_Type,Primary_Support_Reason,Postcode,Accommodation_Status,Employment_Status,Has_"
      "Unpaid_Carer,Autism_Spectrum_Disorder_ASD,Visual_Impairment,Hearing_Impairment,Dementia,"
      "Client_Funding_Status,Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,Event_"
      "Description,Event_Outcome,Request_Route_of_Access,Assessment_Type,Eligible_Needs_"
      "Identified,Method_of_Assessment,Total_Hrs_Caring_per_week,No_of_adults_being_cared_for,"
      "Adult_1_Linked_Person_ID,Adult_2_Linked_Person_ID,Adult_3_Linked_Person_ID,Service_Type,"
      "Service_Component,Delivery_Mechanism,Provider_CQC_Location_ID,Provider_CQC_Location_Name,"
      "Review_Reason,Review_Outcomes_Achieved,Method_of_Review,Unit_Cost,Cost_Frequency_Unit_"
      "Type,Planned_units_per_week\r\n" +
      person + "Request," + e.request +
      ",02/01/2024,03/01/2024,,Progress to Reablement/ST-Max,Discharge from "
      "Hospital,,,,,,,,,,,,,,,,,,,\r\n" +
      person + "Service," + e.st_max +
      ",03/01/2024,13/02/2024,,Progress to Support Planning / Services,,,,,,,,,,Short Term "
      "Support: ST-Max,Reablement,CASSR Commissioned Support,,,,,,,,\r\n" +
      person + "Request," + e.assessment +
      "/request,01/02/2024,01/02/2024,Derived from assessment request,Progress to "
      "Assessment,Community / Other route,,,,,,,,,,,,,,,,,,,\r\n" +
      person + "Assessment," + e.assessment +
      ",01/02/2024,12/02/2024,,Progress to Support Planning / Services,,Long Term "
      "Assessment,Yes,,,,,,,,,,,,,,,,,\r\n" +
      person + "Service," + e.long_term +
      ",14/02/2024,,,Provision of service,,,,,,,,,,Long Term Support: Community,Direct "
      "Payment,Direct Payment,,,,,,,,\r\n" +
      person + "Review," + e.review +
      ",20/03/2024,20/03/2024,,No change in package,,,,,,,,,,,,,,,Planned,Partially Met,,,,\r\n";
  EXPECT_EQ(r.body, expected);
  EXPECT_EQ(get(admin, "/v1/exports/cld?quarter=2023-24-Q4&span=quarter").body, r.body);
}

TEST_F(CldExportTest, TheRollingFileIsTheDefaultAndFromToNamesItsOwnPeriod) {
  record_example();
  auto r = get(admin, "/v1/exports/cld?quarter=2023-24-Q4");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-disposition"),
            "attachment; filename=\"CLD_999_20230401_20240331.csv\"");
  r = get(admin, "/v1/exports/cld?from=2024-02-01&to=2024-02-29");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-disposition"),
            "attachment; filename=\"CLD_999_20240201_20240229.csv\"");
  // The derived request, the assessment and both episodes; not the request decided in January
  // nor the review in March.
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 5);
}

TEST_F(CldExportTest, AnAnalystGetsTheReportButNotTheFile) {
  record_example();
  EXPECT_EQ(get(analyst, "/v1/exports/cld?quarter=2023-24-Q4&span=quarter").status, 403);
  EXPECT_EQ(get(north_leader, "/v1/exports/cld?quarter=2023-24-Q4&span=quarter").status, 403);
  auto r = get(analyst, "/v1/exports/cld/data-quality?quarter=2023-24-Q4&span=quarter");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& body = r.json();
  EXPECT_EQ(body.at("from"), "2024-01-01");
  EXPECT_EQ(body.at("to"), "2024-03-31");
  EXPECT_EQ(body.at("rows"), 6);
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << r.body;
  EXPECT_EQ(items[0].at("line"), 4);
  EXPECT_EQ(items[0].at("check"), "derived_request");
  EXPECT_EQ(items[0].at("status"), "Warning");
  EXPECT_EQ(items[0].at("event_type"), "Request");
  EXPECT_EQ(r.body.find("9434765919"), std::string::npos);  // no personal details
  bool postcode = false;
  for (const auto& entry : body.at("not_held").as_array()) {
    if (entry.at("field") == "Postcode") {
      postcode = true;
      EXPECT_EQ(entry.at("rows_where_mandatory"), 6);
    }
  }
  EXPECT_TRUE(postcode);
  bool gender_valid = false;
  for (const auto& count : body.at("summary").as_array()) {
    if (count.at("field") == "Gender" && count.at("status") == "Passed: Valid") {
      gender_valid = count.at("count") == 6;
    }
  }
  EXPECT_TRUE(gender_valid) << r.body;
  const auto csv =
      client->send("GET", "/v1/exports/cld/data-quality?quarter=2023-24-Q4&span=quarter",
                   {{"Authorization", "Bearer " + analyst}, {"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body,
            "line,event_reference,event_type,field,status,check,message\n"
            "4," +
                std::string(items[0].at("event_reference").as_string()) +
                ",Request,Event_Description,Warning,derived_request,"
                "no request was recorded for the assessment: one is derived from it\n");
}

// CLD.md §7 and §8: the example's request rows are two new clients' (one derived), and the
// person is in long-term support in the community at the quarter's end, aged 75.
TEST_F(CldExportTest, TheNewMeasuresCountTheFilesRequestRowsAndTheAdultsInLongTermSupport) {
  record_example();
  const auto r = get(analyst, "/v1/measures?from=2024-01-01&to=2024-03-31");
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, double> value;
  for (const auto& m : r.json().at("measures").as_array()) {
    if (m.at("value").is_number())
      value[std::string(m.at("id").as_string())] = m.at("value").to_number<double>();
  }
  EXPECT_EQ(value["requests.completed"], 2);
  EXPECT_EQ(value["requests.completed.derived"], 1);
  EXPECT_EQ(value["requests.new_clients"], 2);
  EXPECT_EQ(value["requests.new_clients.discharge_from_hospital"], 1);
  EXPECT_EQ(value["requests.new_clients.community_other"], 1);
  EXPECT_EQ(value["requests.new_clients.prison"], 0);
  EXPECT_EQ(value["support.long_term_clients"], 1);
  EXPECT_EQ(value["support.long_term_clients.age_65_plus"], 1);
  EXPECT_EQ(value["support.long_term_clients.community"], 1);
  EXPECT_EQ(value["support.long_term_clients.nursing"], 0);
  // In January, before the long-term support began.
  const auto january = get(analyst, "/v1/measures?from=2024-01-01&to=2024-01-31");
  for (const auto& m : january.json().at("measures").as_array()) {
    if (m.at("id") == "requests.completed") {
      EXPECT_EQ(m.at("value"), 1);
    }
    if (m.at("id") == "support.long_term_clients") {
      EXPECT_EQ(m.at("value"), 0);
    }
  }
}

TEST_F(CldExportTest, APeriodThatIsNotAQuarterOrAPairOfDatesIs400NamingIt) {
  EXPECT_EQ(error_fields(get(admin, "/v1/exports/cld")), std::vector<std::string>{"quarter"});
  EXPECT_EQ(error_fields(get(admin, "/v1/exports/cld?quarter=2024-Q3")),
            std::vector<std::string>{"quarter"});
  EXPECT_EQ(error_fields(get(admin, "/v1/exports/cld?quarter=0001-02-Q1")),
            std::vector<std::string>{"quarter"});
  EXPECT_EQ(error_fields(get(admin, "/v1/exports/cld?quarter=9998-99-Q4")),
            std::vector<std::string>{"quarter"});
  EXPECT_EQ(error_fields(get(admin, "/v1/exports/cld?quarter=2023-24-Q4&span=decade")),
            std::vector<std::string>{"span"});
  EXPECT_EQ(error_fields(get(admin, "/v1/exports/cld?from=2024-01-01")),
            std::vector<std::string>{"to"});
  EXPECT_EQ(error_fields(get(admin, "/v1/exports/cld?from=2024-03-01&to=2024-01-01")),
            std::vector<std::string>{"to"});
  EXPECT_EQ(get(admin, "/v1/exports/cld/data-quality?span=quarter").status, 400);
}

TEST_F(ApiTest, WithoutTheCouncilsCodeTheFileIs409NamingIt) {
  auto r = get(admin, "/v1/exports/cld?quarter=2023-24-Q4");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"cld.la_code"});
  EXPECT_EQ(get(analyst, "/v1/exports/cld/data-quality?quarter=2023-24-Q4").status, 409);
}

}  // namespace
}  // namespace careledger::testing
