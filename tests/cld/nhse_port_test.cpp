// NHS England's CLD transformation code, ported to SQLite (tests/cld/nhse), on small CLD files
// whose figures are read off the T-SQL by hand.
#include "tests/cld/nhse_port.hpp"

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

}  // namespace
}  // namespace careledger::cld_port
