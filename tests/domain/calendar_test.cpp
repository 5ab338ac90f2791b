#include "domain/calendar.hpp"

#include <gtest/gtest.h>

#include "domain/reports.hpp"

namespace careledger::domain {
namespace {

Date d(const char* text) {
  return parse_date(text).value();
}

TEST(ParseDate, AcceptsRealCalendarDays) {
  EXPECT_EQ(format_date(d("2024-02-29")), "2024-02-29");
}

TEST(FormatDate, WritesFourDigitYearsAndTwoDigitMonthsAndDays) {
  EXPECT_EQ(format_date(d("0999-01-05")), "0999-01-05");
  EXPECT_EQ(format_date(d("2031-12-31")), "2031-12-31");
  EXPECT_EQ(format_date(d("2000-10-01")), "2000-10-01");
}

TEST(ParseDate, RefusesDaysThatDoNotExistAndOtherShapes) {
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2023-11-31"));
  EXPECT_FALSE(parse_date("2023-1-01"));
  EXPECT_FALSE(parse_date("2023-01-01T00:00"));
  EXPECT_FALSE(parse_date("+023-01-01"));
  EXPECT_FALSE(parse_date(""));
}

TEST(AddMonths, KeepsTheDayOfMonth) {
  EXPECT_EQ(add_months(d("2023-08-31"), 3), d("2023-11-30"));
}

TEST(AddMonths, ClampsToTheMonthsLastDay) {
  EXPECT_EQ(add_months(d("2023-11-30"), 3), d("2024-02-29"));
  EXPECT_EQ(add_months(d("2024-02-29"), -12), d("2023-02-28"));
  EXPECT_EQ(add_months(d("2024-01-31"), 1), d("2024-02-29"));
}

TEST(AgeOn, CountsWholeYearsReachedOnTheBirthday) {
  EXPECT_EQ(age_on(d("2006-03-10"), d("2024-03-09")), 17);
  EXPECT_EQ(age_on(d("2006-03-10"), d("2024-03-10")), 18);
}

TEST(AgeOn, ALeapDayBirthdayIsReachedOnFirstMarchInOtherYears) {
  EXPECT_EQ(age_on(d("2004-02-29"), d("2022-02-28")), 17);
  EXPECT_EQ(age_on(d("2004-02-29"), d("2022-03-01")), 18);
}

TEST(FinancialYearStart, IsTheFirstOfAprilOnOrBefore) {
  EXPECT_EQ(financial_year_start(d("2024-03-31")), d("2023-04-01"));
  EXPECT_EQ(financial_year_start(d("2024-04-01")), d("2024-04-01"));
}

TEST(FinancialYear, TheLatestEndedIsTheCurrentOneOnlyOnItsLastDay) {
  EXPECT_EQ(latest_ended_financial_year(d("2025-03-31")).label(), "2024-25");
  EXPECT_EQ(latest_ended_financial_year(d("2025-03-30")).label(), "2023-24");
  EXPECT_EQ(latest_ended_financial_year(d("2025-04-01")).label(), "2024-25");
}

}  // namespace
}  // namespace careledger::domain
