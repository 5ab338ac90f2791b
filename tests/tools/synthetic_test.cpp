// The synthetic council: generate is deterministic, import goes through the API's rules.
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
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
