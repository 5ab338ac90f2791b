// Reading a CLD file's rows (CLD.md §6): each refusal names its line and field, the rows
// careledger cannot represent are told apart, and a row's key does not depend on how the file
// spells its values.
#include <gtest/gtest.h>

#include "domain/cld_export.hpp"
#include "domain/cld_import.hpp"

namespace careledger::domain::cld {
namespace {

const Date today = *domain::parse_date("2025-06-30");

std::vector<std::string> request_row() {
  std::vector<std::string> f(field_count);
  f[col::la_code] = "999";
  f[col::reporting_period_start_date] = "01/10/2024";
  f[col::reporting_period_end_date] = "31/12/2024";
  f[col::nhs_number] = "9434765919";
  f[col::la_person_unique_identifier] = "p-7f3a";
  f[col::date_of_birth] = "14/06/1948";
  f[col::client_type] = "Service User";
  f[col::event_type] = "Request";
  f[col::event_start_date] = "02/10/2024";
  f[col::event_end_date] = "03/10/2024";
  f[col::event_outcome] = "Progress to Reablement/ST-Max";
  f[col::request_route_of_access] = "Discharge from Hospital";
  return f;
}

RowReading read(const std::vector<std::string>& fields) {
  return read_row(r1_columns(), 7, fields, "999", today);
}

// The one refusal of a row with `column` set to `value`: its field.
std::string refused_field(std::size_t column, const std::string& value) {
  auto f = request_row();
  f[column] = value;
  const auto reading = read(f);
  EXPECT_FALSE(reading.row);
  if (reading.refusals.size() != 1) return "refusals: " + std::to_string(reading.refusals.size());
  EXPECT_EQ(reading.refusals[0].line, 7u);
  return reading.refusals[0].field;
}

TEST(CldImportRow, AGoodRequestIsRead) {
  const auto reading = read(request_row());
  ASSERT_TRUE(reading.row);
  EXPECT_TRUE(reading.refusals.empty());
  EXPECT_FALSE(reading.unrepresentable);
  EXPECT_EQ(reading.row->route, RouteOfAccess::discharge_from_hospital);
  EXPECT_EQ(reading.row->outcome, EventOutcome::progress_to_reablement);
  EXPECT_EQ(reading.row->person.nhs_number, "9434765919");
}

TEST(CldImportRow, TheCurrentQuartersFileMayEndAfterToday) {
  auto f = request_row();
  f[col::reporting_period_start_date] = "01/04/2025";
  f[col::reporting_period_end_date] = "30/09/2025";  // today is 30/06/2025
  EXPECT_TRUE(read(f).row);
}

TEST(CldImportRow, EachRefusalNamesItsField) {
  EXPECT_EQ(refused_field(col::la_code, "503"), "LA_Code");
  EXPECT_EQ(refused_field(col::event_type, "Referral"), "Event_Type");
  EXPECT_EQ(refused_field(col::event_start_date, "31/02/2024"), "Event_Start_Date");
  EXPECT_EQ(refused_field(col::event_start_date, "2/10/2024"), "Event_Start_Date");
  EXPECT_EQ(refused_field(col::event_end_date, "01/07/2025"), "Event_End_Date");  // future
  EXPECT_EQ(refused_field(col::event_end_date, "01/10/2024"), "Event_End_Date");  // before start
  EXPECT_EQ(refused_field(col::event_end_date, ""), "Event_End_Date");    // a request has an end
  EXPECT_EQ(refused_field(col::nhs_number, "9434765918"), "NHS_Number");  // Modulus 11
  EXPECT_EQ(refused_field(col::date_of_birth, ""), "Date_of_Birth");
  EXPECT_EQ(refused_field(col::date_of_birth, "03/10/2010"), "Date_of_Birth");  // under 18
  EXPECT_EQ(refused_field(col::request_route_of_access, "By carrier pigeon"),
            "Request_Route_of_Access");
  EXPECT_EQ(refused_field(col::gender, "Mail"), "Gender");
}

TEST(CldImportRow, ARowNeedsAnNhsNumberOrTheCouncilsOwnId) {
  auto f = request_row();
  f[col::nhs_number].clear();
  EXPECT_TRUE(read(f).row);
  f[col::la_person_unique_identifier].clear();
  const auto reading = read(f);
  ASSERT_EQ(reading.refusals.size(), 1u);
  EXPECT_EQ(reading.refusals[0].field, "NHS_Number");
}

TEST(CldImportRow, RowsCareledgerCannotRepresentAreToldApart) {
  auto carer = request_row();
  carer[col::client_type] = "Carer known by association";
  EXPECT_TRUE(read(carer).unrepresentable);

  auto prison = request_row();
  prison[col::event_type] = "Service";
  prison[col::service_type] = "Long Term Support: Prison";
  EXPECT_TRUE(read(prison).unrepresentable);

  auto assessment = request_row();
  assessment[col::event_type] = "Assessment";
  assessment[col::assessment_type] = "Long Term Assessment";
  EXPECT_TRUE(read(assessment).unrepresentable);  // no Eligible_Needs_Identified
  assessment[col::eligible_needs_identified] = "Yes";
  EXPECT_FALSE(read(assessment).unrepresentable);
  assessment[col::assessment_type] = "Short Term Assessment";
  EXPECT_TRUE(read(assessment).unrepresentable);
}

TEST(CldImportRow, TheKeyIsTheSameHoweverTheFileSpellsItsValues) {
  auto spelled = request_row();
  spelled[col::request_route_of_access] = "  discharge from HOSPITAL ";
  spelled[col::event_start_date] = "2024-10-02";
  EXPECT_EQ(row_key(*read(spelled).row), row_key(*read(request_row()).row));
  auto other = request_row();
  other[col::request_route_of_access] = "Prison";
  EXPECT_NE(row_key(*read(other).row), row_key(*read(request_row()).row));
}

TEST(CldImportRow, AShortTermEpisodesSequelIsDerivedAsNhsEnglandDerivesIt) {
  auto f = request_row();
  f[col::event_type] = "Service";
  f[col::service_type] = "Short Term Support: ST-Max";
  f[col::event_outcome] = "NFA - Deceased";
  const auto row = *read(f).row;
  EXPECT_EQ(sequel_of(row, true, false), Sequel::long_term_support);
  EXPECT_EQ(sequel_of(row, false, true), Sequel::lower_level_support);
  EXPECT_EQ(sequel_of(row, false, false), Sequel::other);
  f[col::event_outcome] = "Service ended as planned";
  EXPECT_EQ(sequel_of(*read(f).row, false, false), Sequel::no_ongoing_support);
}

}  // namespace
}  // namespace careledger::domain::cld
