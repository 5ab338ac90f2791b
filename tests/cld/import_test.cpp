// Loading a council's CLD files (issue 14 item 3; CLD.md §6 and §8 items 6-8): refusals by line,
// the rows kept as sent, and idempotency across files, through `careledger cld import`'s own code
// on real SQLite files.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "domain/cld_export.hpp"
#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/teams.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/import.hpp"

namespace careledger {
namespace {

namespace cld = domain::cld;
namespace col = domain::cld::col;
using Fields = std::array<std::string, cld::field_count>;

// A row about the worked example's person (CLD.md §7) in a file for `from`..`to`.
Fields row(const char* from, const char* to, const char* type, const char* reference,
           const char* start, const char* end, const char* outcome) {
  Fields f;
  f[col::la_code] = "999";
  f[col::reporting_period_start_date] = from;
  f[col::reporting_period_end_date] = to;
  f[col::nhs_number] = "9434765919";
  f[col::la_person_unique_identifier] = "p-7f3a";
  f[col::gender] = "Female";
  f[col::ethnicity] = "White - English, Welsh, Scottish, Northern Irish or British";
  f[col::date_of_birth] = "14/06/1948";
  f[col::client_type] = "Service User";
  f[col::primary_support_reason] = "Physical Support: Personal care support";
  f[col::has_unpaid_carer] = "Yes";
  f[col::event_type] = type;
  f[col::event_reference] = reference;
  f[col::event_start_date] = start;
  f[col::event_end_date] = end;
  f[col::event_outcome] = outcome;
  return f;
}

Fields service(const char* from, const char* to, const char* reference, const char* start,
               const char* end, const char* outcome, const char* type, const char* component) {
  Fields f = row(from, to, "Service", reference, start, end, outcome);
  f[col::service_type] = type;
  f[col::service_component] = component;
  f[col::delivery_mechanism] = "CASSR Commissioned Support";
  return f;
}

std::string file_of(const std::vector<Fields>& rows) {
  std::string out;
  cld::append_header(out);
  for (const auto& r : rows) cld::append_row(out, r);
  return out;
}

class CldImport : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("council.db");
    auto db = persistence::open_writer(db_);
    persistence::insert_team(*db, {"north", "North", "2024-01-01T00:00:00Z", "test"});
  }

  services::CldImportReport import(const std::string& text, bool skip_rows = false,
                                   const char* name = "file.csv", bool windows_1252 = false) {
    const std::string path = dir_.file(name);
    std::ofstream(path, std::ios::binary) << text;
    tools::CldImportFileOptions options;
    options.db_path = db_;
    options.input = path;
    options.la_code = "999";
    options.options.team = domain::Team{"north"};
    options.options.skip_rows = skip_rows;
    options.options.windows_1252 = windows_1252;
    return tools::import_cld_file(options);
  }

  std::int64_t events() {
    auto db = persistence::open_reader(db_);
    return persistence::event_count(*db);
  }

  // The types of the events recorded, in log order.
  std::vector<std::string> types() {
    auto db = persistence::open_reader(db_);
    std::vector<std::string> out;
    for (const auto& r : persistence::read_all(*db, 0, 1000)) out.push_back(r.type);
    return out;
  }

  testing::TempDir dir_;
  std::string db_;
};

// Eight rows, lines 2-9: line 5's start is impossible, line 9 is a Prison service.
std::vector<Fields> eight_rows() {
  const char* from = "01/10/2024";
  const char* to = "31/12/2024";
  std::vector<Fields> rows{
      row(from, to, "Request", "r-1", "02/10/2024", "03/10/2024", "Progress to Reablement/ST-Max"),
      service(from, to, "e-1", "03/10/2024", "13/11/2024",
              "Progress to Support Planning / Services", "Short Term Support: ST-Max",
              "Reablement"),
      row(from, to, "Request", "r-2", "01/11/2024", "01/11/2024", "Progress to Assessment"),
      row(from, to, "Assessment", "a-1", "31/02/2024", "12/11/2024",
          "Progress to Support Planning / Services"),
      row(from, to, "Assessment", "a-2", "01/11/2024", "12/11/2024",
          "Progress to Support Planning / Services"),
      service(from, to, "e-2", "14/11/2024", "", "Provision of service",
              "Long Term Support: Community", "Direct Payment"),
      row(from, to, "Review", "v-1", "20/12/2024", "20/12/2024", "No change in package"),
      service(from, to, "e-3", "14/11/2024", "", "Provision of service",
              "Long Term Support: Prison", ""),
  };
  rows[3][col::assessment_type] = "Long Term Assessment";
  rows[3][col::eligible_needs_identified] = "Yes";
  rows[4][col::assessment_type] = "Long Term Assessment";
  rows[4][col::eligible_needs_identified] = "Yes";
  rows[5][col::delivery_mechanism] = "Direct Payment";
  rows[6][col::review_reason] = "Planned";
  rows[6][col::review_outcomes_achieved] = "Partially Met";
  return rows;
}

TEST_F(CldImport, ARefusedRowRefusesTheWholeFileByDefaultAndRecordsNothing) {
  const auto report = import(file_of(eight_rows()));
  EXPECT_TRUE(report.rejected);
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_EQ(report.refused[0].line, 5u);
  EXPECT_EQ(report.refused[0].field, "Event_Start_Date");
  EXPECT_EQ(report.rows, 8);
  EXPECT_EQ(events(), 0);
}

TEST_F(CldImport, SkipRowRecordsTheRestAndKeepsTheUnrepresentableRowAsSent) {
  const auto report = import(file_of(eight_rows()), true);
  EXPECT_FALSE(report.rejected);
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_EQ(report.refused[0].line, 5u);
  EXPECT_EQ(report.unrepresented, 1);
  EXPECT_EQ(report.recorded, 6);  // two requests, an assessment, two services, a review
  EXPECT_FALSE(report.import_id.empty());

  auto db = persistence::open_reader(db_);
  SQLite::Statement kept(
      careledger::persistence::sqlite(*db),
      "SELECT line, reason, row FROM cld_import_unrepresented WHERE import_id = ?");
  kept.bind(1, report.import_id);
  ASSERT_TRUE(kept.executeStep());
  EXPECT_EQ(kept.getColumn(0).getInt(), 9);
  EXPECT_NE(kept.getColumn(1).getString().find("Prison"), std::string::npos);
  EXPECT_NE(kept.getColumn(2).getString().find("Long Term Support: Prison"), std::string::npos);

  // The same file again, with on_error left at reject_file: its first report, not a refusal.
  const auto again = import(file_of(eight_rows()), false, "again.csv");
  EXPECT_FALSE(again.rejected);
  EXPECT_TRUE(again.repeat);
  EXPECT_EQ(again.import_id, report.import_id);

  // The request that progressed to assessment names the assessment starting on its end.
  SQLite::Statement linked(careledger::persistence::sqlite(*db),
                           "SELECT COUNT(*) FROM rm_assessments WHERE request_id IS NOT NULL");
  ASSERT_TRUE(linked.executeStep());
  EXPECT_EQ(linked.getColumn(0).getInt(), 1);
  // Every event says where it came from.
  SQLite::Statement origins(careledger::persistence::sqlite(*db),
                            "SELECT COUNT(*) FROM events WHERE origin IS NULL");
  ASSERT_TRUE(origins.executeStep());
  EXPECT_EQ(origins.getColumn(0).getInt(), 0);
}

TEST_F(CldImport, TheSameFileTwiceRecordsNothingTheSecondTime) {
  const std::string text = file_of(eight_rows());
  const auto first = import(text, true);
  const auto before = types();
  const auto second = import(text, true, "again.csv");
  EXPECT_TRUE(second.repeat);
  EXPECT_EQ(second.import_id, first.import_id);
  EXPECT_EQ(types(), before);

  // The same rows in another file (LF line ends: other bytes) are each found unchanged.
  std::string lf;
  for (char c : text) {
    if (c != '\r') lf += c;
  }
  const auto third = import(lf, true, "lf.csv");
  EXPECT_FALSE(third.repeat);
  EXPECT_EQ(third.recorded, 0);
  EXPECT_EQ(third.unchanged, 6);
  EXPECT_EQ(types(), before);
}

TEST_F(CldImport, ALaterFileEndsAnOpenServiceOnceAndAnOlderOneIsSuperseded) {
  auto q2 = [](const char* end, const char* outcome) {
    return service("01/07/2024", "30/09/2024", "e-9", "01/08/2024", end, outcome,
                   "Long Term Support: Community", "Home Support");
  };
  auto q3 = [](const char* end, const char* outcome) {
    return service("01/10/2024", "31/12/2024", "e-9", "01/08/2024", end, outcome,
                   "Long Term Support: Community", "Home Support");
  };
  const std::string q2_file = file_of({q2("", "Provision of service")});
  const auto first = import(q2_file);
  EXPECT_EQ(first.recorded, 1);
  const auto ended = import(file_of({q3("05/11/2024", "NFA - Moved to another LA")}));
  EXPECT_EQ(ended.recorded, 1);
  const auto again = import(file_of({q3("05/11/2024", "NFA - Moved to another LA")}) + "\r\n");
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(again.recorded, 0);
  std::string q2_lf;
  for (char c : q2_file) {
    if (c != '\r') q2_lf += c;
  }
  const auto older = import(q2_lf, false, "q2-lf.csv");
  EXPECT_EQ(older.superseded, 1);
  EXPECT_EQ(older.recorded, 0);
  const auto t = types();
  EXPECT_EQ(std::count(t.begin(), t.end(), "support_ended"), 1);

  // A different end in a later file is a correction of the first.
  const auto corrected = import(file_of(
      {service("01/01/2025", "31/03/2025", "e-9", "01/08/2024", "06/11/2024",
               "NFA - Moved to another LA", "Long Term Support: Community", "Home Support")}));
  EXPECT_EQ(corrected.recorded, 1);
  const auto after = types();
  EXPECT_EQ(std::count(after.begin(), after.end(), "event_voided"), 1);
  EXPECT_EQ(std::count(after.begin(), after.end(), "support_ended"), 2);
}

TEST_F(CldImport, AFileMissingAMandatoryColumnIsRefusedAtLineOne) {
  std::string text = "LA_Code,NHS_Number\r\n999,9434765919\r\n";
  const auto report = import(text, true);
  EXPECT_TRUE(report.rejected);
  ASSERT_FALSE(report.refused.empty());
  EXPECT_EQ(report.refused[0].line, 1u);
  EXPECT_EQ(report.refused[0].field, "Reporting_Period_Start_Date");  // the first missing
  EXPECT_EQ(report.refused_total, 13);  // of the 15 mandatory columns, all but these two
  EXPECT_EQ(events(), 0);
}

TEST_F(CldImport, HeadersMatchInWordsAndValuesInAnyCaseAndDash) {
  auto rows = eight_rows();
  rows.erase(rows.begin() + 3);  // the impossible date
  rows.pop_back();               // the prison service
  rows[0][col::event_outcome] = "progress to reablement / st-max";
  std::string text = file_of(rows);
  const std::string header_r1 = "Request_Route_of_Access";
  text.replace(text.find(header_r1), header_r1.size(), "Request: Route of Access");
  const auto report = import(text);
  EXPECT_FALSE(report.rejected) << (report.refused.empty() ? "" : report.refused[0].message);
  EXPECT_EQ(report.recorded, 6);
}

TEST_F(CldImport, AWindows1252FileIsReadAsItsCharactersWhenSaidSo) {
  // A spreadsheet's en dash (0x96 in Windows-1252) in an outcome, and an e acute (0xE9) in an
  // LA id: read as "NFA - Other" and "é".
  auto request = row("01/10/2024", "31/12/2024", "Request", "r-1", "02/10/2024", "03/10/2024",
                     "NFA \x96 Other");
  request[col::la_person_unique_identifier] =
      "ren\xe9"
      "e";
  const std::string text = file_of({request});
  const auto as_utf8 = import(text, false, "utf8.csv");
  ASSERT_TRUE(as_utf8.rejected);  // as UTF-8, the bytes are not: refused, naming the column
  EXPECT_EQ(as_utf8.refused[0].field, "LA_Person_Unique_Identifier");
  const auto report = import(text, false, "cp1252.csv", true);
  ASSERT_FALSE(report.rejected) << report.refused[0].field << " " << report.refused[0].message;
  EXPECT_EQ(report.recorded, 1);
  auto db = persistence::open_reader(db_);
  SQLite::Statement la(careledger::persistence::sqlite(*db), "SELECT la_id FROM cld_import_people");
  ASSERT_TRUE(la.executeStep());
  EXPECT_EQ(la.getColumn(0).getString(),
            "ren\xc3\xa9"
            "e");
  SQLite::Statement outcome(careledger::persistence::sqlite(*db),
                            "SELECT outcome FROM rm_requests");
  ASSERT_TRUE(outcome.executeStep());
  EXPECT_EQ(outcome.getColumn(0).getString(), "nfa_other");
}

TEST_F(CldImport, RowsSpelledOtherwiseThanCareledgerWritesThemAreUnchangedTheSecondTime) {
  const char* from = "01/10/2024";
  const char* to = "31/12/2024";
  auto review = row(from, to, "Review", "v-1", "20/12/2024", "20/12/2024",
                    "Progress to Re-assessment / Unplanned Review");  // held as support changed
  auto long_term = service(from, to, "e-1", "14/11/2024", "", "Provision of service",
                           "Long Term Support: Community", "");  // no component: a default
  auto st_max = service(from, to, "e-2", "01/10/2024", "10/11/2024", "Progress to Reassessment",
                        "Short Term Support: ST-Max", "Reablement");
  st_max[col::event_outcome] = "Progress to Re-assessment / Unplanned Review";  // not an end's
  auto assessment = row(from, to, "Assessment", "a-1", "01/10/2024", "12/11/2024",
                        "Progress to financial assessment");  // not an assessment's
  assessment[col::eligible_needs_identified] = "Yes";
  const std::string text = file_of({assessment, st_max, long_term, review});
  const auto first = import(text);
  ASSERT_FALSE(first.rejected) << first.refused[0].field << " " << first.refused[0].message;
  EXPECT_EQ(first.recorded, 4);
  const auto before = types();
  const auto second = import(text + "\r\n", false, "again.csv");  // other bytes, same rows
  EXPECT_EQ(second.unchanged, 4);
  EXPECT_EQ(second.recorded, 0);
  EXPECT_EQ(types(), before);
}

TEST_F(CldImport, APersonsRowsWithoutTheirNhsNumberAreTheirsWhenAnotherRowGivesBoth) {
  auto with = eight_rows()[0];
  auto without = eight_rows()[2];
  without[col::nhs_number].clear();  // the same LA id, p-7f3a
  const auto report = import(file_of({without, with}));
  ASSERT_FALSE(report.rejected);
  EXPECT_EQ(report.recorded, 2);
  auto db = persistence::open_reader(db_);
  SQLite::Statement people(careledger::persistence::sqlite(*db),
                           "SELECT COUNT(*), MAX(nhs_number) FROM rm_people");
  ASSERT_TRUE(people.executeStep());
  EXPECT_EQ(people.getColumn(0).getInt(), 1);
  EXPECT_EQ(people.getColumn(1).getString(), "9434765919");
}

}  // namespace
}  // namespace careledger
