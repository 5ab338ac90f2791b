#include "services/configuration.hpp"

#include <gtest/gtest.h>

namespace careledger::services {
namespace {

std::string error_of(const char* text) {
  try {
    parse_configuration(text);
  } catch (const ConfigurationError& e) {
    return e.what();
  }
  return "";
}

TEST(Configuration, TheContractsExampleIsRead) {
  auto config = parse_configuration(R"({
    "population": {"18-64": 225926, "65+": 50735},
    "deferred_payments": {
      "lower_capital_limit_pence": 1425000,
      "maximum_interest_rates": [
        {"from": "2023-07-01", "basis_points": 275},
        {"from": "2024-01-01", "basis_points": 305}
      ]
    }
  })");
  EXPECT_EQ(config.population.age_18_64, 225926);
  EXPECT_EQ(config.population.age_65_plus, 50735);
  ASSERT_EQ(config.maximum_interest_rates.size(), 2u);
  EXPECT_EQ(config.maximum_interest_rates[1].basis_points, 305);
}

TEST(Configuration, TheCouncilsCodeIsItsDigitsAndAnythingElseIsNamed) {
  EXPECT_EQ(parse_configuration(R"({"cld": {"la_code": "503"}})").la_code, "503");
  EXPECT_FALSE(parse_configuration("{}").la_code.has_value());
  for (const char* bad : {R"({"cld": {"la_code": 503}})", R"({"cld": {"la_code": "50A"}})",
                          R"({"cld": {"la_code": ""}})"}) {
    EXPECT_NE(error_of(bad).find("cld.la_code"), std::string::npos) << bad;
  }
  EXPECT_NE(error_of(R"({"cld": {"code": "503"}})").find("cld.code"), std::string::npos);
}

TEST(Configuration, WhatIsLeftOutTakesItsDefault) {
  auto config = parse_configuration(R"({"population": {"65+": 50735}})");
  EXPECT_FALSE(config.population.age_18_64);
  EXPECT_EQ(config.lower_capital_limit_pence, 1425000);
  EXPECT_TRUE(config.maximum_interest_rates.empty());
}

TEST(Configuration, AnInvalidFileNamesTheKey) {
  EXPECT_NE(error_of(R"({"population": {"65+": -1}})").find("population.65+"), std::string::npos);
  EXPECT_NE(error_of(R"({"population": {"65plus": 1}})").find("population.65plus"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"populations": {}})").find("populations"), std::string::npos);
  EXPECT_NE(error_of(R"({"deferred_payments": {"maximum_interest_rates": [
                        {"from": "2024-01-01", "basis_points": 305},
                        {"from": "2023-07-01", "basis_points": 275}]}})")
                .find("maximum_interest_rates[1].from"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"deferred_payments": {"maximum_interest_rates": [
                        {"from": "2024-02-01", "basis_points": 305}]}})")
                .find("maximum_interest_rates[0].from"),
            std::string::npos);
  EXPECT_NE(error_of("{not json").find("(file)"), std::string::npos);
}

}  // namespace
}  // namespace careledger::services
