// NHS England's CLD transformation code, ported to SQLite (tests/cld/nhse), on small CLD files
// whose figures are read off the T-SQL by hand.
#include "tests/cld/nhse_port.hpp"

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

namespace careledger::cld_port {
namespace {

cld_file file(const std::string& name, std::string import_date = "") {
  return cld_file{read_file(files_dir() + "/" + name), std::move(import_date)};
}

// The financial year to 31 December 2024, "today" a fortnight after it.
params year_to_date() {
  return params{"2024-04-01", "2024-12-31", "2025-01-15", ""};
}

// CLD.md §7's six rows as a year-to-date file.
TEST(WorkedExample, Sts001CountsTwoNewClientRequests) {
  nhse_port port({file("worked_example_ytd.csv")});
  const auto f = port.sts001(year_to_date());
  EXPECT_EQ(f.total, 2);
  EXPECT_EQ(f.by_sequel.at("Short Term Support: ST-Max"), 1);
  EXPECT_EQ(f.by_sequel.at("Long Term Support: Community"), 1);
  EXPECT_EQ(f.by_route.at("Discharge from Hospital"), 1);
  EXPECT_EQ(f.by_route.at("Community / Other route"), 1);
}

TEST(WorkedExample, Ascof2aIsNoneOfOne) {
  nhse_port port({file("worked_example_ytd.csv")});
  const auto f = port.ascof_2a(year_to_date());
  EXPECT_EQ(f.numerator, 0);
  EXPECT_EQ(f.denominator, 1);
}

TEST(WorkedExample, Lts001bCountsOnePersonOver65OnADirectPayment) {
  nhse_port port({file("worked_example_ytd.csv")});
  const auto f = port.lts001b(year_to_date());
  EXPECT_EQ(f.age_18_64, 0);
  EXPECT_EQ(f.age_65_plus, 1);
  EXPECT_EQ(f.age_65_plus_by_setting.at("Community: Direct Payment"), 1);
}

TEST(WorkedExample, TheOtherScriptsFigures) {
  nhse_port port({file("worked_example_ytd.csv")});
  const auto p = year_to_date();
  const auto sts002a = port.sts002a(p);
  EXPECT_EQ(sts002a.total, 1);
  EXPECT_EQ(sts002a.by_sequel_mapped.at("Long Term Support (any setting)"), 1);
  EXPECT_EQ(port.sts002b(p), 0);
  const auto lts001a = port.lts001a(p);
  EXPECT_EQ(lts001a.age_65_plus, 1);
  EXPECT_EQ(lts001a.age_18_64, 0);
  const auto lts001c = port.lts001c(p);
  EXPECT_EQ(lts001c.age_65_plus + lts001c.age_18_64, 0);
  const auto admissions = port.ascof_2b2c(p);
  EXPECT_EQ(admissions.numerator_2b_18_64 + admissions.numerator_2c_65_plus, 0);
}

// An in-memory variant of a file: the same rows with other reporting dates.
cld_file with_reporting_period(const cld_file& f, const std::string& from, const std::string& to) {
  cld_file out = f;
  std::string::size_type at = 0;
  const std::string old = "999,01/04/2024,31/12/2024,";
  while ((at = out.csv.find(old, at)) != std::string::npos) {
    out.csv.replace(at, old.size(), "999," + from + "," + to + ",");
    at += old.size();
  }
  return out;
}

TEST(WorkedExample, Lts001IgnoresAFileForOneLaterQuarterOnly) {
  // #Latest_Submission keeps only files starting by the year's 1 April (LTS001b lines 169-172).
  nhse_port port(
      {with_reporting_period(file("worked_example_ytd.csv"), "01/10/2024", "31/12/2024")});
  const auto f = port.lts001b(year_to_date());
  EXPECT_EQ(f.age_18_64 + f.age_65_plus, 0);
}

// sts001_requests.csv, person by person (STS001 lines cited):
//  A: requests 01-02/05 and 06/05, the second starting 4 days after the first ends: one
//     cluster (gap <= 4 days, lines 343-344); its own later request is no sequel (lines
//     527-529), so "no chronology" (record type 1) with the cluster's last outcome.
//  B: requests 01-02/06 and 07/06, 5 days apart: two clusters. The first has the second as a
//     sequel, which breaks its chain (lines 670-680): record type 5; the second: type 1.
//  C: request starting inside an open long-term service: an existing client (lines 431-453).
//  D: request, then ST-Max the next day: record type 2, sequel ST-Max (the STS002a cohort).
//  E: request, then an assessment 43 days after it ended: more than 28 days (line 644), out of
//     scope: record type 5 with the request's own outcome.
TEST(Sts001, MergesRequestsDaysApartAndSkipsExistingClients) {
  nhse_port port({file("sts001_requests.csv")});
  const auto f = port.sts001(year_to_date());
  EXPECT_EQ(f.total, 5);
  EXPECT_EQ(f.by_route.at("Community / Other route"), 4);
  EXPECT_EQ(f.by_route.at("Discharge from Hospital"), 1);
  EXPECT_EQ(f.by_record_type.at(1), 2);
  EXPECT_EQ(f.by_record_type.at(2), 1);
  EXPECT_EQ(f.by_record_type.at(5), 2);
  EXPECT_EQ(f.by_record_type.count(3) + f.by_record_type.count(4), 0u);
  EXPECT_EQ(f.by_sequel.at("Short Term Support: ST-Max"), 1);
  EXPECT_EQ(f.by_sequel.at("No_Chronology_NFA - Information & Advice / Signposting only"), 1);
  EXPECT_EQ(f.by_sequel.at("No_Chronology_NFA - Support declined"), 2);
  EXPECT_EQ(f.by_sequel.at("No_Chronology_Progress to Assessment"), 1);
  EXPECT_EQ(f.by_sequel_mapped.at("No_Chronology_Unable_To_Classify"), 1);
}

// ascof_2a_sequels.csv: six new clients, each a request then ST-Max 02/05-30/05 (so all are in
// STS001's ST-Max cohort), then (STS002a lines cited; ASCOF 2A's are 24 more):
//  1: long-term service starting 3 days after the ST-Max ends: in the chain (line 551):
//     Long Term Support, denominator only.
//  2: an OPEN long-term service starting 41 days after: an open first sequel is always in
//     scope (line 550), so Long Term Support again, denominator only.
//  3: ended as planned; a closed long-term service starting 4 days after: out of scope
//     (line 551), record type 5, 'No services provided – other' (en dash): numerator.
//  4: ended as planned; only a review 2 days after: record type 4, which writes 'No services
//     provided - other' with a HYPHEN (line 713): in neither list.
//  5: an assessment the next day ending 'NFA - Support declined': record type 3, 'needs
//     identified but support declined': in neither list.
//  6: two ST-Max episodes a day apart: one cluster (line 322), ended as planned, nothing after:
//     record type 1, en dash: numerator.
TEST(Ascof2a, ThreeDaySequelWindowsAndTheHyphenatedPath) {
  nhse_port port({file("ascof_2a_sequels.csv")});
  const auto p = year_to_date();
  const auto f = port.ascof_2a(p);
  EXPECT_EQ(f.numerator, 2);
  EXPECT_EQ(f.denominator, 4);
  const auto sts002a = port.sts002a(p);
  EXPECT_EQ(sts002a.total, 6);
  EXPECT_EQ(sts002a.by_sequel_mapped.at("Long Term Support (any setting)"), 2);
  EXPECT_EQ(sts002a.by_sequel_mapped.at("No services provided – other"), 2);
  EXPECT_EQ(sts002a.by_sequel_mapped.at("No services provided - other"), 1);
  EXPECT_EQ(
      sts002a.by_sequel_mapped.at("No services provided – needs identified but support declined"),
      1);
  EXPECT_EQ(sts002a.by_record_type.at(1), 1);
  EXPECT_EQ(sts002a.by_record_type.at(2), 2);
  EXPECT_EQ(sts002a.by_record_type.at(3), 1);
  EXPECT_EQ(sts002a.by_record_type.at(4), 1);
  EXPECT_EQ(sts002a.by_record_type.at(5), 1);
}

// lts001_long_term.csv at a mid-month snapshot, 15 December 2024 (LTS001b lines cited):
//  1: born 20/12/1959, so 64 on the day, but aged from 1 December (line 209): 65+,
//     Community: Direct Payment.
//  2: community and nursing at once: the nursing setting ranks first (lines 360-366).
//  3: ends ON the snapshot (line 219 counts it); Delivery_Mechanism 'Cash' is not in the REF
//     table, so blanked (lines 308-316): Community.
//  4: ended the day before: not counted.
//  5: residential with a Direct Payment: blanked (lines 310-311): Residential.
//  6: two services under one LA id, the direct payment row without an NHS number: that row is
//     dropped (lines 252-289), leaving Community: CASSR Managed Personal Budget.
TEST(Lts001b, AgesFromTheFirstOfTheMonthAndRanksSettings) {
  nhse_port port({file("lts001_long_term.csv")});
  auto p = year_to_date();
  p.period_end = "2024-12-15";
  const auto f = port.lts001b(p);
  EXPECT_EQ(f.age_18_64, 3);
  EXPECT_EQ(f.age_65_plus, 2);
  EXPECT_EQ(f.age_18_64_by_setting.at("Nursing"), 1);
  EXPECT_EQ(f.age_18_64_by_setting.at("Community"), 1);
  EXPECT_EQ(f.age_18_64_by_setting.at("Community: CASSR Managed Personal Budget"), 1);
  EXPECT_EQ(f.age_65_plus_by_setting.at("Community: Direct Payment"), 1);
  EXPECT_EQ(f.age_65_plus_by_setting.at("Residential"), 1);
}

// The same file over the year to 31 December (LTS001a lines 171-175): anyone in long-term
// support at any time in the period, person 4 included (Community: CASSR Commissioned Support).
TEST(Lts001a, CountsEveryoneSupportedDuringThePeriod) {
  nhse_port port({file("lts001_long_term.csv")});
  const auto f = port.lts001a(year_to_date());
  EXPECT_EQ(f.age_18_64, 4);
  EXPECT_EQ(f.age_65_plus, 2);
  EXPECT_EQ(f.age_18_64_by_setting.at("Community: CASSR Commissioned Support"), 1);
}

// lts001c_chains.csv at 31 December 2024 (LTS001c lines cited):
//  1: 01/06/2023-31/05/2024 then 01/06/2024 on: a 1-day step is bridged (line 276), the chain
//     starts before 31/12/2023 (line 308): counted, with its current row's setting.
//  2: the same with a 2-day gap (ends 30/05): a new chain from 01/06/2024: not counted.
//  3: started exactly a year before the snapshot: not counted (strictly before, line 308).
//  4: started the day before that: counted, Nursing.
//  5: ends ON the snapshot (line 309): counted, Community (blank delivery mechanism).
TEST(Lts001c, BridgesOneDayGapsAndNeedsMoreThanAYear) {
  nhse_port port({file("lts001c_chains.csv")});
  const auto f = port.lts001c(year_to_date());
  EXPECT_EQ(f.age_18_64, 2);
  EXPECT_EQ(f.age_65_plus, 1);
  EXPECT_EQ(f.age_65_plus_by_setting.at("Community: Direct Payment"), 1);
  EXPECT_EQ(f.age_18_64_by_setting.at("Nursing"), 1);
  EXPECT_EQ(f.age_18_64_by_setting.at("Community"), 1);
}

// sts002b_existing.csv: everyone has long-term support; ST-Max (STS002b lines cited):
//  1: inside an open long-term service: counted.
//  2: starting on the long-term service's last day: counted (BETWEEN, line 311).
//  3: starting the day after it ended: not an existing client.
//  4: two episodes a day apart: one cluster (line 210): counted once.
//  5: still open: it ends "today" (line 176), after the period: not counted (line 258).
TEST(Sts002b, CountsStMaxOfExistingClientsOncePerCluster) {
  nhse_port port({file("sts002b_existing.csv")});
  EXPECT_EQ(port.sts002b(year_to_date()), 3);
}

// ascof_2b2c_admissions.csv, the year to 31 March 2025 (snapshot 1 April 2025; lines cited):
//  1: residential from 01/06/2024, still there: 65+, 2C.
//  2: nursing from 01/07/2024, aged 45: 2B.
//  3: residential since before the year, nursing added in it: a previous admission (line 218).
//  4: left in September: not in care at the snapshot (line 137).
//  5: born 01/04/1960, 65 on the snapshot day, but 23741 days / 365.25 = 64.9993 (line 39):
//     2B.
TEST(Ascof2b2c, AdmissionsInTheYearStillInCareAtItsEnd) {
  nhse_port port({file("ascof_2b2c_admissions.csv")});
  const auto f = port.ascof_2b2c(params{"2024-04-01", "2025-03-31", "2025-04-15", ""});
  EXPECT_EQ(f.numerator_2b_18_64, 2);
  EXPECT_EQ(f.numerator_2c_65_plus, 1);
}

// The harness itself: RFC 4180 records and their first lines; what it derives on load.
TEST(Harness, ParsesQuotedFieldsAndNumbersRecordsByTheirFirstLine) {
  const auto records = parse_csv("a,\"b,\"\"c\"\"\"\r\n\"x\r\ny\",z\r\nlast,\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b,\"c\""}));
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"x\r\ny", "z"}));
  EXPECT_EQ(records[2].line, 4u);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"last", ""}));
}

TEST(Harness, DerivesTheFieldsNhsEnglandAddsOnLoad) {
  nhse_port port({file("worked_example_ytd.csv")});
  SQLite::Statement q(port.database(),
                      "SELECT Der_Unique_Record_ID, ImportDate, Der_Birth_Year, Der_Birth_Month, "
                      "Der_NHS_LA_Combined_Person_ID, Event_Start_Date, Event_End_Date "
                      "FROM CLD_R1_Raw ORDER BY 1 LIMIT 1");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 2);  // the header is line 1
  EXPECT_EQ(q.getColumn(1).getString(), "2025-01-01");
  EXPECT_EQ(q.getColumn(2).getInt(), 1948);
  EXPECT_EQ(q.getColumn(3).getInt(), 6);
  EXPECT_EQ(q.getColumn(4).getString(), "9434765919");
  EXPECT_EQ(q.getColumn(5).getString(), "2024-10-02");
  EXPECT_EQ(q.getColumn(6).getString(), "2024-10-03");
}

TEST(Harness, ComparesStringsAsSqlServerDoes) {
  nhse_port port({file("worked_example_ytd.csv")});
  SQLite::Statement q(port.database(),
                      "SELECT count(*) FROM CLD_R1_Raw WHERE Event_Outcome = "
                      "'PROVISION of service   ' AND Event_Outcome <> 'Provision–of service'");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 1);
}

}  // namespace
}  // namespace careledger::cld_port
