// CLD.md §4–§5 and §8 items 1–5: the rows of the file and their checks, from a person's records.
#include "domain/cld_export.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace careledger::domain::cld {
namespace {

Date day(const char* text) {
  return domain::parse_date(text).value();
}

// CLD.md §7's person and records (the concern and the request after the quarter are not CLD
// events of the quarter).
PersonFacts worked_example() {
  PersonFacts f;
  auto& p = f.person;
  p.exists = true;
  p.id = PersonId{"p-7f3a"};
  p.given_name = "Mary";
  p.family_name = "Seacole";
  p.date_of_birth = day("1948-06-14");
  p.team = Team{"north"};
  p.nhs_number = "9434765919";
  p.gender = Gender::female;
  p.ethnicity = Ethnicity::white_british;
  p.primary_support_reason = SupportReason::physical_personal_care;
  p.has_unpaid_carer = UnpaidCarer::yes;

  RequestState r;
  r.id = RequestId{"r-91c2"};
  r.received_on = day("2024-10-02");
  r.route_of_access = RouteOfAccess::discharge_from_hospital;
  r.status = RequestStatus::completed;
  r.decided_on = day("2024-10-03");
  r.outcome = EventOutcome::progress_to_reablement;
  f.requests.push_back(r);
  RequestState later;
  later.id = RequestId{"r-later"};
  later.received_on = day("2025-01-08");
  f.requests.push_back(later);

  SupportEpisodeState st;
  st.id = SupportEpisodeId{"e-22ab"};
  st.kind = SupportKind::short_term;
  st.started_on = day("2024-10-03");
  st.ended_on = day("2024-11-13");
  st.sequel = Sequel::long_term_support;
  f.episodes.push_back(st);

  AssessmentState a;
  a.id = AssessmentId{"a-5d10"};
  a.requested_on = day("2024-11-01");
  a.status = AssessmentStatus::completed;
  a.completed_on = day("2024-11-12");
  a.eligible_needs = true;
  a.outcome = EventOutcome::progress_to_support_planning;
  f.assessments.push_back(a);

  SupportEpisodeState lt;
  lt.id = SupportEpisodeId{"e-30f7"};
  lt.delivery = Delivery::direct_payment;
  lt.started_on = day("2024-11-14");
  f.episodes.push_back(lt);

  ReviewState v;
  v.id = ReviewId{"v-8e41"};
  v.reviewed_on = day("2024-12-20");
  v.planned = true;
  v.outcome = ReviewOutcome::no_change;
  v.outcomes_achieved = OutcomesMet::partially_met;
  f.reviews.push_back(v);
  return f;
}

const Period q3{day("2024-10-01"), day("2024-12-31")};

std::string file_of(const std::vector<Row>& rows) {
  std::string out;
  for (const auto& row : rows) append_row(out, row.fields);
  return out;
}

std::vector<std::string> references(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row.fields[col::event_reference]);
  return out;
}

TEST(CldExport, TheWorkedExamplesQuarterIsItsSixRowsToTheByte) {
  const std::string person =
      "999,01/10/2024,31/12/2024,9434765919,p-7f3a,,,Female,\"White - English, Welsh, Scottish, "
      "Northern Irish or British\",14/06/1948,,Service User,Physical Support: Personal care "
      "support,,,,Yes,,,,,,";
  const std::string expected =
      person +
      "Request,r-91c2,02/10/2024,03/10/2024,,Progress to Reablement/ST-Max,Discharge from "
      "Hospital,,,,,,,,,,,,,,,,,,,\r\n" +
      person +
      "Service,e-22ab,03/10/2024,13/11/2024,,Progress to Support Planning / "
      "Services,,,,,,,,,,Short Term Support: ST-Max,Reablement,CASSR Commissioned "
      "Support,,,,,,,,\r\n" +
      person +
      "Request,a-5d10/request,01/11/2024,01/11/2024,Derived from assessment request,Progress to "
      "Assessment,Community / Other route,,,,,,,,,,,,,,,,,,,\r\n" +
      person +
      "Assessment,a-5d10,01/11/2024,12/11/2024,,Progress to Support Planning / Services,,Long "
      "Term Assessment,Yes,,,,,,,,,,,,,,,,,\r\n" +
      person +
      "Service,e-30f7,14/11/2024,,,Provision of service,,,,,,,,,,Long Term Support: "
      "Community,Direct Payment,Direct Payment,,,,,,,,\r\n" +
      person +
      "Review,v-8e41,20/12/2024,20/12/2024,,No change in package,,,,,,,,,,,,,,,Planned,Partially "
      "Met,,,,\r\n";
  EXPECT_EQ(file_of(rows_of(worked_example(), q3, "999")), expected);
}

TEST(CldExport, TheWorkedExamplesReportHasTheDerivedRequestAndTheColumnsNotHeld) {
  QualityReport report;
  for (const auto& row : rows_of(worked_example(), q3, "999")) report.add(row);
  EXPECT_EQ(report.rows(), 6);
  ASSERT_EQ(report.items().size(), 1u);
  EXPECT_EQ(report.items()[0].line, 4u);
  EXPECT_EQ(report.items()[0].finding.check, "derived_request");
  EXPECT_EQ(report.items()[0].finding.status, Status::warning);
  std::map<std::string_view, long long> required;
  for (const auto& [column, rows] : report.not_held()) required[header[column]] = rows;
  EXPECT_EQ(required["Postcode"], 6);
  EXPECT_EQ(required["Accommodation_Status"], 6);
  EXPECT_EQ(required["Client_Funding_Status"], 3);
  EXPECT_EQ(required["Method_of_Assessment"], 1);
  EXPECT_EQ(required["Method_of_Review"], 1);
  EXPECT_EQ(required["Unit_Cost"], 1);
  EXPECT_EQ(required["Cost_Frequency_Unit_Type"], 1);
  EXPECT_EQ(required["Planned_units_per_week"], 1);
  EXPECT_EQ(required["Employment_Status"], 0);  // 76: not of working age
  EXPECT_EQ(required["GP_Practice_Code"], 0);
  for (const auto& count : report.summary()) {
    EXPECT_NE(count.status, Status::blank_mandatory) << header[count.column];
    EXPECT_NE(count.status, Status::invalid) << header[count.column];
  }
}

// §8 item 2: the quarter's edges.
TEST(CldExport, EventsAreInTheQuarterByTheirDatesAtItsEdges) {
  PersonFacts f = worked_example();
  f.requests.clear();
  f.assessments.clear();
  f.episodes.clear();
  f.reviews.clear();
  auto request = [&](const char* id, const char* decided) {
    RequestState r;
    r.id = RequestId{id};
    r.received_on = day("2024-09-01");
    r.status = RequestStatus::completed;
    r.decided_on = day(decided);
    r.outcome = EventOutcome::nfa_other;
    f.requests.push_back(r);
  };
  request("r-sep30", "2024-09-30");
  request("r-oct01", "2024-10-01");
  AssessmentState across;  // requested in Q2, completed in Q3: only in Q3
  across.id = AssessmentId{"a-across"};
  across.request_id = RequestId{"r-oct01"};
  across.requested_on = day("2024-09-15");
  across.status = AssessmentStatus::completed;
  across.completed_on = day("2024-10-10");
  across.eligible_needs = false;
  f.assessments.push_back(across);
  AssessmentState closed = across;  // closed without completion: never
  closed.id = AssessmentId{"a-closed"};
  closed.status = AssessmentStatus::closed;
  closed.completed_on.reset();
  closed.closed_on = day("2024-10-11");
  f.assessments.push_back(closed);
  auto episode = [&](const char* id, const char* ended) {
    SupportEpisodeState e;
    e.id = SupportEpisodeId{id};
    e.started_on = day("2024-06-01");
    e.ended_on = day(ended);
    f.episodes.push_back(e);
  };
  episode("e-sep30", "2024-09-30");
  episode("e-oct01", "2024-10-01");
  episode("e-jan05", "2025-01-05");

  const auto rows = rows_of(f, q3, "999");
  // By start: the episodes (1 June), the request (1 September), the assessment (15 September).
  EXPECT_EQ(references(rows),
            (std::vector<std::string>{"e-jan05", "e-oct01", "r-oct01", "a-across"}));
  for (const auto& row : rows) {
    if (row.fields[col::event_reference] == "e-jan05") {
      EXPECT_EQ(row.fields[col::event_end_date], "");  // open at the quarter's end
      EXPECT_EQ(row.fields[col::event_outcome], "Provision of service");
    }
    if (row.fields[col::event_reference] == "a-across") {
      EXPECT_EQ(row.fields[col::event_outcome], "NFA - Information & Advice / Signposting only");
    }
  }
}

// §8 items 4 and 5.
TEST(CldExport, UnrecordedDetailsAreDefaultedWithAWarningAndAPlannedReviewNeedsItsOutcomes) {
  PersonFacts f = worked_example();
  f.person.gender.reset();
  f.person.has_unpaid_carer.reset();
  f.person.primary_support_reason = SupportReason::physical_support;  // coarse
  f.reviews[0].outcomes_achieved.reset();
  const auto rows = rows_of(f, q3, "999");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].fields[col::gender], "Unknown");
  EXPECT_EQ(rows[0].fields[col::has_unpaid_carer], "Unknown");
  EXPECT_EQ(rows[0].fields[col::primary_support_reason], "Unknown");
  EXPECT_EQ(rows[0].status[col::gender], Status::warning);
  QualityReport report;
  for (const auto& row : rows) report.add(row);
  std::vector<std::pair<std::size_t, std::string_view>> failed;
  for (const auto& item : report.items()) {
    if (item.finding.status == Status::blank_mandatory) {
      failed.emplace_back(item.line, header[item.finding.column]);
    }
  }
  EXPECT_EQ(
      failed,
      (std::vector<std::pair<std::size_t, std::string_view>>{{7, "Review_Outcomes_Achieved"}}));
}

TEST(CldExport, AnAssessmentFromARequestHasNoDerivedRequestAndACarersRowsSaySo) {
  PersonFacts f = worked_example();
  f.assessments[0].request_id = RequestId{"r-91c2"};
  f.assessments[0].kind = AssessmentKind::carer;
  f.requests[0].assessment_id = f.assessments[0].id;
  const auto rows = rows_of(f, q3, "999");
  EXPECT_EQ(references(rows),
            (std::vector<std::string>{"r-91c2", "e-22ab", "a-5d10", "e-30f7", "v-8e41"}));
  EXPECT_EQ(rows[0].fields[col::client_type], "Carer");
  EXPECT_EQ(rows[0].fields[col::primary_support_reason], "Social Support: Support to Carer");
  EXPECT_EQ(rows[2].fields[col::client_type], "Carer");
  EXPECT_EQ(rows[3].fields[col::client_type], "Service User");
}

TEST(CldExport, AnStMaxEndedToLongTermSupportWithNoneStartingWithinThreeDaysIsWarned) {
  PersonFacts f = worked_example();
  f.episodes[1].started_on = day("2024-11-17");  // four days after the ST-Max ended
  const auto rows = rows_of(f, q3, "999");
  QualityReport report;
  for (const auto& row : rows) report.add(row);
  ASSERT_EQ(report.items().size(), 2u);
  EXPECT_EQ(report.items()[0].finding.check, "sequel_unfindable");
  EXPECT_EQ(report.items()[0].event_reference, "e-22ab");
}

TEST(CldExport, ADeathAfterThePeriodIsNotWrittenAndOneInItWarnsOfLaterEvents) {
  PersonFacts f = worked_example();
  f.person.date_of_death = day("2025-02-01");
  auto rows = rows_of(f, q3, "999");
  EXPECT_EQ(rows[0].fields[col::date_of_death], "");
  f.person.date_of_death = day("2024-12-01");
  rows = rows_of(f, q3, "999");
  EXPECT_EQ(rows[0].fields[col::date_of_death], "01/12/2024");
  QualityReport report;
  for (const auto& row : rows) report.add(row);
  std::vector<std::string> warned;
  for (const auto& item : report.items()) {
    if (item.finding.check == "after_death") warned.push_back(item.event_reference);
  }
  EXPECT_EQ(warned, (std::vector<std::string>{"e-30f7", "v-8e41"}));
}

}  // namespace
}  // namespace careledger::domain::cld
