#include "domain/calendar.hpp"

#include <charconv>

namespace careledger::domain {

namespace {
bool parse_digits(std::string_view text, int& out) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}
}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!parse_digits(text.substr(0, 4), y) || !parse_digits(text.substr(5, 2), m) ||
      !parse_digits(text.substr(8, 2), d)) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

std::string format_date(Date day) {
  // By hand: date::format goes through an ostream and a locale, and dates are formatted for
  // every row read and written.
  const date::year_month_day ymd{day};
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return date::format("%F", day);
  const auto m = static_cast<unsigned>(ymd.month());
  const auto d = static_cast<unsigned>(ymd.day());
  std::string out(10, '-');
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

Date add_months(Date day, int months) {
  date::year_month_day ymd{day};
  auto shifted = date::year_month{ymd.year(), ymd.month()} + date::months{months};
  auto last = date::year_month_day_last{shifted.year(), date::month_day_last{shifted.month()}};
  auto d = ymd.day() <= last.day() ? ymd.day() : last.day();
  return Date{date::year_month_day{shifted.year(), shifted.month(), d}};
}

int age_on(Date born, Date on) {
  date::year_month_day b{born};
  date::year_month_day o{on};
  int years = static_cast<int>(o.year()) - static_cast<int>(b.year());
  if (date::month_day{o.month(), o.day()} < date::month_day{b.month(), b.day()}) --years;
  return years;
}

Date financial_year_start(Date day) {
  date::year_month_day ymd{day};
  auto y = ymd.month() >= date::April ? ymd.year() : ymd.year() - date::years{1};
  return Date{y / date::April / 1};
}

}  // namespace careledger::domain
