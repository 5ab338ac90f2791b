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

}  // namespace
}  // namespace careledger::cld_port
