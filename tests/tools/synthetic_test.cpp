// The synthetic council: generate is deterministic, import goes through the API's rules, and its
// Client Level Data file is whole.
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "domain/cld_export.hpp"
#include "persistence/database.hpp"
#include "services/client_level_data.hpp"
#include "services/queries.hpp"
#include "services/teams.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/import.hpp"
#include "tools/synthetic.hpp"

namespace careledger::tools {
namespace {

std::string generated(double scale, std::uint64_t seed) {
  std::ostringstream out;
  generate(GenerateOptions{scale, 2, seed, domain::FinancialYear{2023}}, out);
  return out.str();
}

long occurrences(const std::string& text, const std::string& what) {
  long n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A small council, imported with nothing refused.
void import_council(const std::string& db, const std::string& text) {
  std::istringstream in(text);
  std::ostringstream errors;
  const auto report = import_lines(db, in, errors, [](std::size_t) {});
  ASSERT_EQ(report.refused, 0u) << errors.str().substr(0, 2000);
}

TEST(Generate, TheSameSeedGivesTheSameFileAndAnotherSeedAnother) {
  EXPECT_EQ(generated(0.01, 42), generated(0.01, 42));
  EXPECT_NE(generated(0.01, 42), generated(0.01, 43));
}

TEST(Import, ASmallCouncilLoadsWithNothingRefusedAndLooksLikeACouncil) {
  testing::TempDir dir;
  const std::string text = generated(0.03, 7);
  std::istringstream in(text);
  std::ostringstream errors;
  const auto report = import_lines(dir.file("c.db"), in, errors, [](std::size_t) {});
  EXPECT_EQ(report.refused, 0u) << errors.str().substr(0, 2000);
  EXPECT_EQ(report.recorded, report.lines);
  // An event for every line but the four that register the teams, and a second for each request
  // decided progress_to_assessment: the assessment it starts, in the same transaction.
  const long assessing = occurrences(text, R"("outcome":"progress_to_assessment")");
  EXPECT_GT(assessing, 0);
  EXPECT_EQ(report.events, static_cast<std::int64_t>(report.lines) - 4 + assessing);

  auto db = persistence::open_reader(dir.file("c.db"));
  const auto year = domain::FinancialYear{2023};
  std::map<std::string, domain::Measure> m;
  for (auto& x :
       services::compute_measures(*db, {}, year.start(), year.end(), std::nullopt, false, false)) {
    m[x.id] = x;
  }
  // Scale 0.03 of the seed council's year: 300 requests, 210 concerns.
  EXPECT_EQ(*m["assessments.requested"].value, 300);
  EXPECT_EQ(*m["safeguarding.concerns_received"].value, 210);
  EXPECT_GT(*m["assessments.waiting_list"].value, 0);
  EXPECT_GT(*m["assessments.average_days_to_complete"].value, 40);
  EXPECT_LT(*m["assessments.average_days_to_complete"].value, 140);
  EXPECT_GT(*m["safeguarding.conversion_rate"].value, 10);
  EXPECT_LT(*m["safeguarding.conversion_rate"].value, 30);
  EXPECT_GT(*m["reviews.long_term_12_months_reviewed"].value, 40);
  EXPECT_LT(*m["reviews.long_term_12_months_reviewed"].value, 75);
  EXPECT_GT(*m["ascof.3d"].value, 60);  // ~3,600 x 0.03 people in community support
}

TEST(Generate, EveryClientLevelDataInputIsGivenAndNoCoarseSupportReason) {
  const std::string text = generated(0.03, 7);
  for (const char* given : {
           R"("nhs_number":")",
           R"("gender":"female")",
           R"("gender":"male")",
           R"("ethnicity":"white_british")",
           R"("ethnicity":"asian_indian")",
           R"("has_unpaid_carer":"yes")",
           R"("has_unpaid_carer":"no")",
           R"("primary_support_reason":"physical_personal_care")",
           R"("primary_support_reason":"sensory_hearing")",
           R"(/details","body":{"effective_on":")",
           R"(/death","body":{"died_on":")",
           R"("path":"/v1/requests","body":{"person_id":")",
           R"("route_of_access":"discharge_from_hospital")",
           R"("outcome":"progress_to_assessment","assessment":{"kind":")",
           R"("outcome":"progress_to_reablement"})",
           R"("outcome":"nfa_information_advice"})",
           R"("eligible_needs":true,"outcome":"progress_to_support_planning")",
           R"("eligible_needs":false,"outcome":"nfa_information_advice")",
           R"("short_term_type":"st_max","service_component":"reablement")",
           R"("short_term_type":"ongoing_low_level")",
           R"("service_component":"home_support")",
           R"("end_reason":"service_ended_as_planned")",
           R"("end_reason":"nfa_deceased")",
           R"("planned":false,"outcome":")",
           R"("review_reason":"unplanned_hospital")",
           R"("outcomes_achieved":"fully_met")",
       }) {
    EXPECT_GT(occurrences(text, given), 0) << given;
  }
  // CLD writes the coarse reasons Unknown: the generator draws CLD's own.
  for (const char* coarse : {"physical_support", "sensory_support", "social_support"}) {
    EXPECT_EQ(occurrences(text, std::string(R"("primary_support_reason":")") + coarse + "\""), 0)
        << coarse;
  }
  // Most assessments come from a request's outcome; some are still requested directly.
  const long from_requests = occurrences(text, R"("outcome":"progress_to_assessment")");
  const long direct = occurrences(text, R"("path":"/v1/assessments","body")");
  EXPECT_GT(from_requests, 4 * direct);
  EXPECT_GT(direct, 0);
}

// The file of a generated council's year has nothing DHSC's checks would fail, and each input
// the generator gives shows in it.
TEST(Import, AGeneratedCouncilsClientLevelDataFileHasNoFailedItem) {
  testing::TempDir dir;
  import_council(dir.file("c.db"), generated(0.03, 7));
  auto db = persistence::open_reader(dir.file("c.db"));
  const auto quarter = *domain::cld::parse_quarter("2023-24-Q4");
  using domain::cld::Status;
  for (const auto span : {domain::cld::Span::rolling_12_months, domain::cld::Span::quarter}) {
    const auto report = services::cld_quality(*db, domain::cld::span_of(quarter, span), "999");
    EXPECT_GT(report.rows(), span == domain::cld::Span::quarter ? 150 : 600);
    for (const auto& count : report.summary()) {
      const auto status = domain::cld::status_text(count.status);
      EXPECT_FALSE(status.starts_with("Failed"))
          << domain::cld::header[count.column] << ": " << status << " " << count.count;
    }
    // Warnings only, and only those the generator leaves on purpose: a derived request for each
    // assessment requested directly, and short-term support ended with lower-level support the
    // generator does not go on to record.
    std::map<std::string, long> warnings;
    for (const auto& item : report.items()) {
      EXPECT_EQ(item.finding.status, Status::warning)
          << "line " << item.line << " " << domain::cld::status_text(item.finding.status) << " "
          << item.finding.check << ": " << item.finding.message;
      ++warnings[std::string(item.finding.check)];
    }
    EXPECT_GT(warnings["derived_request"], 0);
    for (const auto& [check, n] : warnings) {
      EXPECT_TRUE(check == "derived_request" || check == "sequel_unfindable") << check << " " << n;
    }
  }

  std::string file;
  services::write_cld_file(*db, domain::cld::span_of(quarter, domain::cld::Span::rolling_12_months),
                           "999", [&](std::string_view piece) { file += piece; });
  domain::cld::CsvReader reader;
  reader.feed(file);
  reader.finish();
  domain::cld::CsvRecord record;
  std::map<std::size_t, std::set<std::string>> values;                     // by column
  ASSERT_EQ(reader.next(record), domain::cld::CsvReader::Status::record);  // the header
  while (reader.next(record) == domain::cld::CsvReader::Status::record) {
    ASSERT_EQ(record.fields.size(), domain::cld::field_count);
    for (std::size_t c = 0; c < record.fields.size(); ++c) values[c].insert(record.fields[c]);
  }
  namespace col = domain::cld::col;
  using domain::cld::text;
  auto has = [&](std::size_t column, std::string_view value) {
    return values[column].contains(std::string(value));
  };
  EXPECT_TRUE(has(col::gender, text(domain::Gender::female)));
  EXPECT_TRUE(has(col::gender, text(domain::Gender::male)));
  EXPECT_GT(values[col::ethnicity].size(), 10u);
  EXPECT_TRUE(has(col::has_unpaid_carer, text(domain::UnpaidCarer::yes)));
  EXPECT_TRUE(has(col::has_unpaid_carer, text(domain::UnpaidCarer::no)));
  EXPECT_GT(values[col::date_of_death].size(), 10u);
  EXPECT_TRUE(
      has(col::primary_support_reason, text(domain::SupportReason::physical_access_mobility)));
  EXPECT_FALSE(has(col::primary_support_reason, text(domain::SupportReason::unknown)));
  EXPECT_TRUE(
      has(col::request_route_of_access, text(domain::RouteOfAccess::discharge_from_hospital)));
  for (const auto outcome :
       {domain::EventOutcome::progress_to_reablement, domain::EventOutcome::nfa_information_advice,
        domain::EventOutcome::nfa_deceased, domain::EventOutcome::service_ended_as_planned,
        domain::EventOutcome::nfa_other}) {
    EXPECT_TRUE(has(col::event_outcome, text(outcome))) << text(outcome);
  }
  EXPECT_TRUE(has(col::service_type, text(domain::cld::ServiceType::short_term_ongoing_low_level)));
  EXPECT_TRUE(has(col::service_component, text(domain::ServiceComponent::home_support)));
  EXPECT_TRUE(has(col::review_reason, text(domain::ReviewReason::unplanned_hospital)));
  EXPECT_TRUE(has(col::review_outcomes_achieved, text(domain::OutcomesMet::partially_met)));
}

TEST(Import, ABadLineIsReportedByNumberAndRecordsNothing) {
  testing::TempDir dir;
  services::add_team(*persistence::open_writer(dir.file("c.db")), "north", "North", "test");
  std::istringstream in(
      R"({"ref":"P1","method":"POST","path":"/v1/people","body":{"given_name":"A","family_name":"B","date_of_birth":"1950-01-01","team":"north"}})"
      "\n"
      R"({"ref":"A1","method":"POST","path":"/v1/assessments","body":{"person_id":"@P1","kind":"needs","requested_on":"2024-01-01"}})"
      "\n"
      R"({"method":"POST","path":"/v1/assessments/@A9/completion","body":{"completed_on":"2024-02-01","eligible_needs":true}})"
      "\n"
      "not json\n"
      R"({"method":"GET","path":"/v1/people/@P1","body":{}})"
      "\n"
      R"({"path":"/v1/nothing","body":{}})"
      "\n");
  std::ostringstream errors;
  const auto report = import_lines(dir.file("c.db"), in, errors, [](std::size_t) {});
  EXPECT_EQ(report.lines, 6u);
  EXPECT_EQ(report.recorded, 1u);
  EXPECT_EQ(report.refused, 5u);
  EXPECT_EQ(report.events, 1);
  const std::string text = errors.str();
  EXPECT_NE(text.find("line 2: 422"), std::string::npos) << text;
  EXPECT_NE(text.find("priority"), std::string::npos);
  EXPECT_NE(text.find("line 3: unknown reference @A9"), std::string::npos);
  EXPECT_NE(text.find("line 4:"), std::string::npos);
  // Only writes are loaded: a read, or a path that is no write, is refused.
  EXPECT_NE(text.find("line 5: 404"), std::string::npos) << text;
  EXPECT_NE(text.find("line 6: 404"), std::string::npos) << text;
}

}  // namespace
}  // namespace careledger::tools
