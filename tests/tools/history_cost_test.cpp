// Issue 12: what a figure costs does not grow with the history. The same council, generated over
// one financial year and over ten ending with the same one, and the same /v1/measures of that
// year: the steps SQLite takes for it may not more than double with ten times the history.
#include <sstream>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "services/queries.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/import.hpp"
#include "tools/synthetic.hpp"

namespace careledger::tools {
namespace {

const domain::FinancialYear last_year{2024};

struct Steps {
  std::int64_t council = 0;
  std::int64_t team = 0;
};

// The steps of the last year's measures, council-wide and for one team, on a council of `years`.
Steps steps_of_measures(int years) {
  testing::TempDir dir;
  std::ostringstream text;
  generate(GenerateOptions{0.1, years, 11, last_year}, text);
  std::istringstream in(text.str());
  std::ostringstream errors;
  const auto report = import_lines(dir.file("c.db"), in, errors, [](std::size_t) {});
  EXPECT_EQ(report.refused, 0u) << errors.str().substr(0, 2000);

  auto db = persistence::open_reader(dir.file("c.db"));
  auto steps = [&](const persistence::TeamFilter& teams) {
    persistence::StepCounter counter(*db);
    const auto measures = services::compute_measures(*db, {}, last_year.start(), last_year.end(),
                                                     teams, teams.has_value(), false);
    EXPECT_FALSE(measures.empty());
    return counter.steps();
  };
  steps(std::nullopt);  // statements prepared, pages read: the second is the one counted
  return {steps(std::nullopt), steps(std::vector{domain::Team{"north"}})};
}

TEST(HistoryCost, TenTimesTheYearsAtMostDoubleTheWorkOfAYearsMeasures) {
  const auto one = steps_of_measures(1);
  const auto ten = steps_of_measures(10);
  RecordProperty("steps_1_year_council", std::to_string(one.council));
  RecordProperty("steps_10_years_council", std::to_string(ten.council));
  RecordProperty("steps_1_year_team", std::to_string(one.team));
  RecordProperty("steps_10_years_team", std::to_string(ten.team));
  std::cout << "SQLite steps of a year's measures: council " << one.council << " (1 year) "
            << ten.council << " (10 years); team " << one.team << " / " << ten.team << "\n";
  EXPECT_GT(one.council, 0);
  EXPECT_LE(ten.council, 2 * one.council);
  EXPECT_LE(ten.team, 2 * one.team);
}

}  // namespace
}  // namespace careledger::tools
