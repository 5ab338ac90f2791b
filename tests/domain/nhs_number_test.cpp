#include "domain/nhs_number.hpp"

#include <string>

#include <gtest/gtest.h>

namespace careledger::domain {
namespace {

TEST(NhsNumber, AcceptsAValidCheckDigit) {
  EXPECT_TRUE(is_valid_nhs_number("9434765919"));
  EXPECT_TRUE(is_valid_nhs_number("4010232137"));
}

TEST(NhsNumber, RefusesAWrongCheckDigit) {
  EXPECT_FALSE(is_valid_nhs_number("9434765918"));
}

TEST(NhsNumber, RefusesNumbersWhoseCheckDigitWouldBeTen) {
  // 1..9 weighted 10..2 sums to 210; 210 % 11 = 1; 11 - 1 = 10: no digit fits, never issued.
  for (char last = '0'; last <= '9'; ++last) {
    EXPECT_FALSE(is_valid_nhs_number(std::string("123456789") + last));
  }
}

TEST(NhsNumber, RefusesOtherShapes) {
  EXPECT_FALSE(is_valid_nhs_number("943476591"));
  EXPECT_FALSE(is_valid_nhs_number("943 476 5919"));
  EXPECT_FALSE(is_valid_nhs_number("94347659190"));
  EXPECT_FALSE(is_valid_nhs_number("943476591a"));
}

}  // namespace
}  // namespace careledger::domain
