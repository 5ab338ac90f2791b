#pragma once
// Calendar rules of DOMAIN.md ("Time"), all through `date` so that month ends are clamped.

#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace careledger::domain {

using Date = date::sys_days;

// Parses exactly YYYY-MM-DD naming a real calendar day.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date day);

// Same day of month `months` later (or earlier), clamped to the month's last day.
Date add_months(Date day, int months);

// Whole years of age on `on` of a person born on `born`.
int age_on(Date born, Date on);

// Days from `from` to `to` (negative when `to` is earlier).
inline int days_between(Date from, Date to) {
  return static_cast<int>((to - from).count());
}

// The financial year (1 April - 31 March) containing `day`: its first day.
Date financial_year_start(Date day);

}  // namespace careledger::domain
