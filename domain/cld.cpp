#include "domain/cld.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

namespace careledger::domain::cld {

// Every code of each list spelled once (the coarse support reasons included).
static_assert(CldText<Gender>::entries.size() == CodeTable<Gender>::entries.size());
static_assert(CldText<Ethnicity>::entries.size() == CodeTable<Ethnicity>::entries.size());
static_assert(CldText<UnpaidCarer>::entries.size() == CodeTable<UnpaidCarer>::entries.size());
static_assert(CldText<SupportReason>::entries.size() == CodeTable<SupportReason>::entries.size());
static_assert(CldText<RouteOfAccess>::entries.size() == CodeTable<RouteOfAccess>::entries.size());
static_assert(CldText<ReviewReason>::entries.size() == CodeTable<ReviewReason>::entries.size());
static_assert(CldText<OutcomesMet>::entries.size() == CodeTable<OutcomesMet>::entries.size());
static_assert(CldText<EventOutcome>::entries.size() == CodeTable<EventOutcome>::entries.size());
static_assert(CldText<ServiceComponent>::entries.size() ==
              CodeTable<ServiceComponent>::entries.size());
static_assert(CldText<Delivery>::entries.size() == CodeTable<Delivery>::entries.size());
static_assert(CldText<ClientType>::entries.size() == CodeTable<ClientType>::entries.size());

namespace {

char fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The length of the UTF-8 dash starting at `at`, or 0. Councils' files come from spreadsheets
// that turn " - " into an en dash, and NHS England's own scripts spell one outcome with it.
std::size_t dash_length(std::string_view s, std::size_t at) {
  if (s[at] == '-') return 1;
  if (s.size() - at < 3) return 0;
  const auto b0 = static_cast<unsigned char>(s[at]);
  const auto b1 = static_cast<unsigned char>(s[at + 1]);
  const auto b2 = static_cast<unsigned char>(s[at + 2]);
  if (b0 == 0xE2 && b1 == 0x80 && b2 >= 0x90 && b2 <= 0x95) return 3;    // U+2010-U+2015
  if (b0 == 0xE2 && b1 == 0x88 && b2 == 0x92) return 3;                  // U+2212 minus
  if (b0 == 0xEF && b1 == 0xB9 && (b2 == 0x98 || b2 == 0xA3)) return 3;  // U+FE58, U+FE63
  if (b0 == 0xEF && b1 == 0xBC && b2 == 0x8D) return 3;                  // U+FF0D
  return 0;
}

// The length of the white space starting at `at`, or 0; a no-break space is one a spreadsheet
// may leave where a space was typed.
std::size_t space_length(std::string_view s, std::size_t at) {
  const char c = s[at];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (s.size() - at >= 2 && static_cast<unsigned char>(c) == 0xC2 &&
      static_cast<unsigned char>(s[at + 1]) == 0xA0) {
    return 2;
  }
  return 0;
}

template <typename E>
struct Lookup {
  std::vector<std::pair<std::string, E>> keys;

  void add(std::string_view spelled, E code) {
    std::string key = match_key(spelled);
    for (const auto& [known, value] : keys) {
      if (known == key) return;  // the first code listed with a text is the one read back
    }
    keys.emplace_back(std::move(key), code);
  }
};

// Ethnicity's item alone ("Irish") names its code when no other item is spelled so.
void add_items(Lookup<Ethnicity>& lookup) {
  std::vector<std::pair<std::string, Ethnicity>> items;
  for (const auto& [code, spelled] : CldText<Ethnicity>::entries) {
    const auto dash = spelled.find(" - ");
    if (dash != std::string_view::npos)
      items.emplace_back(match_key(spelled.substr(dash + 3)), code);
  }
  for (const auto& [item, code] : items) {
    std::size_t same = 0;
    for (const auto& other : items) same += other.first == item ? 1 : 0;
    if (same == 1) lookup.add(item, code);
  }
}

template <typename E>
Lookup<E> build_lookup() {
  Lookup<E> lookup;
  for (const auto& [code, spelled] : CldText<E>::entries) lookup.add(spelled, code);
  if constexpr (requires { CldText<E>::variants; }) {
    for (const auto& [code, spelled] : CldText<E>::variants) lookup.add(spelled, code);
  }
  if constexpr (std::is_same_v<E, Ethnicity>) add_items(lookup);
  return lookup;
}

void append_two_digits(std::string& out, unsigned value) {
  out += static_cast<char>('0' + value / 10 % 10);
  out += static_cast<char>('0' + value % 10);
}

void append_ymd_digits(std::string& out, Date day) {
  const date::year_month_day ymd{day};
  const int y = static_cast<int>(ymd.year());
  if (y >= 0 && y <= 9999) {
    append_two_digits(out, static_cast<unsigned>(y / 100));
    append_two_digits(out, static_cast<unsigned>(y % 100));
  } else {
    out += std::to_string(y);
  }
}

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string match_key(std::string_view value) {
  std::string key;
  key.reserve(value.size());
  bool space_pending = false;
  bool after_joiner = false;  // spaces after a dash or slash do not count
  std::size_t i = 0;
  while (i < value.size()) {
    if (const auto n = space_length(value, i)) {
      space_pending = !key.empty() && !after_joiner;
      i += n;
      continue;
    }
    const auto dash = dash_length(value, i);
    if (dash != 0 || value[i] == '/') {
      key += dash != 0 ? '-' : '/';
      space_pending = false;
      after_joiner = true;
      i += dash != 0 ? dash : 1;
      continue;
    }
    if (space_pending) key += ' ';
    key += fold(value[i]);
    space_pending = false;
    after_joiner = false;
    ++i;
  }
  return key;
}

bool matches(std::string_view value, std::string_view cld_text) {
  return match_key(value) == match_key(cld_text);
}

template <typename E>
std::optional<E> parse(std::string_view value) {
  static const Lookup<E> lookup = build_lookup<E>();
  const std::string key = match_key(value);
  for (const auto& [known, code] : lookup.keys) {
    if (known == key) return code;
  }
  return std::nullopt;
}

template std::optional<EventType> parse<EventType>(std::string_view);
template std::optional<ClientType> parse<ClientType>(std::string_view);
template std::optional<Gender> parse<Gender>(std::string_view);
template std::optional<Ethnicity> parse<Ethnicity>(std::string_view);
template std::optional<UnpaidCarer> parse<UnpaidCarer>(std::string_view);
template std::optional<SupportReason> parse<SupportReason>(std::string_view);
template std::optional<RouteOfAccess> parse<RouteOfAccess>(std::string_view);
template std::optional<ReviewReason> parse<ReviewReason>(std::string_view);
template std::optional<OutcomesMet> parse<OutcomesMet>(std::string_view);
template std::optional<EventOutcome> parse<EventOutcome>(std::string_view);
template std::optional<ServiceType> parse<ServiceType>(std::string_view);
template std::optional<ServiceComponent> parse<ServiceComponent>(std::string_view);
template std::optional<Delivery> parse<Delivery>(std::string_view);

bool coarse(SupportReason reason) {
  return reason == SupportReason::physical_support || reason == SupportReason::sensory_support ||
         reason == SupportReason::social_support;
}

ServiceType service_type_of(SupportKind kind, Setting setting,
                            std::optional<ShortTermType> short_term_type) {
  if (kind == SupportKind::short_term) {
    switch (short_term_type.value_or(ShortTermType::st_max)) {
      case ShortTermType::st_max:
        return ServiceType::short_term_st_max;
      case ShortTermType::ongoing_low_level:
        return ServiceType::short_term_ongoing_low_level;
      case ShortTermType::other_short_term:
        return ServiceType::short_term_other;
    }
  }
  switch (setting) {
    case Setting::residential:
      return ServiceType::long_term_residential;
    case Setting::nursing:
      return ServiceType::long_term_nursing;
    case Setting::community:
      break;
  }
  return ServiceType::long_term_community;
}

std::string_view service_type(SupportKind kind, Setting setting,
                              std::optional<ShortTermType> short_term_type) {
  return text(service_type_of(kind, setting, short_term_type));
}

bool import_only(ServiceType type) {
  return type == ServiceType::long_term_prison || type == ServiceType::carer_direct ||
         type == ServiceType::carer_cared_for;
}

std::optional<SupportKind> support_kind(ServiceType type) {
  switch (type) {
    case ServiceType::long_term_community:
    case ServiceType::long_term_residential:
    case ServiceType::long_term_nursing:
      return SupportKind::long_term;
    case ServiceType::short_term_st_max:
    case ServiceType::short_term_ongoing_low_level:
    case ServiceType::short_term_other:
      return SupportKind::short_term;
    case ServiceType::long_term_prison:
    case ServiceType::carer_direct:
    case ServiceType::carer_cared_for:
      break;
  }
  return std::nullopt;
}

std::optional<Setting> long_term_setting(ServiceType type) {
  switch (type) {
    case ServiceType::long_term_community:
      return Setting::community;
    case ServiceType::long_term_residential:
      return Setting::residential;
    case ServiceType::long_term_nursing:
      return Setting::nursing;
    default:
      return std::nullopt;
  }
}

std::optional<ShortTermType> short_term_type(ServiceType type) {
  switch (type) {
    case ServiceType::short_term_st_max:
      return ShortTermType::st_max;
    case ServiceType::short_term_ongoing_low_level:
      return ShortTermType::ongoing_low_level;
    case ServiceType::short_term_other:
      return ShortTermType::other_short_term;
    default:
      return std::nullopt;
  }
}

std::optional<ServiceComponent> default_component(SupportKind kind, Setting setting,
                                                  Delivery delivery,
                                                  std::optional<ShortTermType> short_term_type) {
  if (kind == SupportKind::short_term) {
    // Only ST-Max has a component that follows from the type; a residential short stay that is
    // not reablement could be several (short-term residential, other short-term support).
    if (short_term_type.value_or(ShortTermType::st_max) == ShortTermType::st_max) {
      return ServiceComponent::reablement;
    }
    return std::nullopt;
  }
  switch (setting) {
    case Setting::residential:
      return ServiceComponent::long_term_residential;
    case Setting::nursing:
      return ServiceComponent::long_term_nursing;
    case Setting::community:
      break;
  }
  if (delivery == Delivery::direct_payment) return ServiceComponent::direct_payment;
  return std::nullopt;
}

std::string_view yes_no(bool value) {
  return value ? "Yes" : "No";
}

std::optional<bool> parse_yes_no(std::string_view value) {
  const std::string key = match_key(value);
  if (key == "yes") return true;
  if (key == "no") return false;
  return std::nullopt;
}

std::string header_key(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  bool separator_pending = false;
  for (char c : name) {
    if (!ascii_alnum(c)) {
      separator_pending = !key.empty();
      continue;
    }
    if (separator_pending) key += '_';
    separator_pending = false;
    key += fold(c);
  }
  return key;
}

std::optional<std::size_t> column_of(std::string_view name) {
  static const std::array<std::string, field_count> keys = [] {
    std::array<std::string, field_count> out;
    for (std::size_t i = 0; i < field_count; ++i) out[i] = header_key(header[i]);
    return out;
  }();
  const std::string key = header_key(name);
  for (std::size_t i = 0; i < field_count; ++i) {
    if (keys[i] == key) return i;
  }
  return std::nullopt;
}

std::string format_date(Date day) {
  const date::year_month_day ymd{day};
  std::string out;
  out.reserve(10);
  append_two_digits(out, static_cast<unsigned>(ymd.day()));
  out += '/';
  append_two_digits(out, static_cast<unsigned>(ymd.month()));
  out += '/';
  append_ymd_digits(out, day);
  return out;
}

std::optional<Date> parse_date(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.size() != 10) return std::nullopt;
  if (text[4] == '-' && text[7] == '-') return careledger::domain::parse_date(text);
  if (text[2] != '/' || text[5] != '/') return std::nullopt;
  const auto d = text.substr(0, 2);
  const auto m = text.substr(3, 2);
  const auto y = text.substr(6, 4);
  if (!all_digits(d) || !all_digits(m) || !all_digits(y)) return std::nullopt;
  const date::year_month_day ymd{date::year{to_int(y)},
                                 date::month{static_cast<unsigned>(to_int(m))},
                                 date::day{static_cast<unsigned>(to_int(d))}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

void append_field(std::string& line, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    line += value;
    return;
  }
  line += '"';
  for (char c : value) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

void append_row(std::string& out, const std::array<std::string, field_count>& fields) {
  for (std::size_t i = 0; i < field_count; ++i) {
    if (i != 0) out += ',';
    append_field(out, fields[i]);
  }
  out += "\r\n";
}

void append_header(std::string& out) {
  for (std::size_t i = 0; i < field_count; ++i) {
    if (i != 0) out += ',';
    append_field(out, header[i]);
  }
  out += "\r\n";
}

void CsvReader::feed(std::string_view chunk) {
  if (finished_) throw std::logic_error("CsvReader::feed after finish");
  if (!pending_.empty()) throw std::logic_error("CsvReader::feed before the last chunk was read");
  pending_ = chunk;
}

void CsvReader::finish() {
  finished_ = true;
}

void CsvReader::end_field() {
  fields_.push_back(std::move(field_));
  field_.clear();
}

CsvReader::Status CsvReader::end_record(CsvRecord& record) {
  if (record_bytes_ > max_record_bytes_) return too_long();
  end_field();
  record.line = record_line_;
  // A swap rather than a move: the caller's vector, cleared, keeps its capacity for the next
  // record, so reading a file allocates little once the first record is read.
  record.fields.swap(fields_);
  fields_.clear();
  state_ = State::field_start;
  record_open_ = false;
  record_bytes_ = 0;
  return Status::record;
}

CsvReader::Status CsvReader::fail(std::size_t line, std::string message) {
  error_ = CsvError{line, std::move(message)};
  pending_ = {};
  field_.clear();
  fields_.clear();
  return Status::error;
}

CsvReader::Status CsvReader::too_long() {
  return fail(record_line_, "a record longer than " + std::to_string(max_record_bytes_) +
                                " bytes (a quote left open?)");
}

CsvReader::Status CsvReader::next(CsvRecord& record) {
  if (error_) return Status::error;
  if (ended_) return Status::end;
  std::size_t i = 0;
  const std::size_t n = pending_.size();
  // Consumes the chunk up to `to` and counts the bytes against the record's limit.
  auto take = [&](std::size_t to) {
    if (record_open_) record_bytes_ += to - i;
    i = to;
  };
  // How much of a field may be copied before the record passes its limit (by one byte, so that
  // the check at the top of the loop fails it): a quote left open must not copy the whole file.
  auto room = [&] {
    const std::size_t left = max_record_bytes_ - record_bytes_;
    return left < n ? left + 1 : n;
  };
  while (i < n) {
    if (record_bytes_ > max_record_bytes_) {
      return too_long();
    }
    const char c = pending_[i];
    switch (state_) {
      case State::field_start:
        if (c == '\r') {
          take(i + 1);
          state_ = State::after_cr;
          break;
        }
        if (c == '\n') {
          take(i + 1);
          ++line_;
          if (record_open_) {
            pending_.remove_prefix(i);
            return end_record(record);
          }
          break;  // an empty line: no record
        }
        if (!record_open_) {
          record_open_ = true;
          record_line_ = line_;
        }
        if (c == '"') {
          quote_line_ = line_;
          state_ = State::quoted;
          take(i + 1);
        } else if (c == ',') {
          end_field();
          take(i + 1);
        } else {
          state_ = State::unquoted;
        }
        break;
      case State::unquoted: {
        const auto found = pending_.find_first_of(",\"\r\n", i);
        const auto stop = std::min({found, n, i + room()});
        field_.append(pending_.substr(i, stop - i));
        take(stop);
        if (stop != found) break;  // the chunk's end, or the record's limit
        if (pending_[i] == '"') return fail(line_, "a quote inside an unquoted field");
        state_ = State::field_start;  // which ends the field on a comma or the line on CR, LF
        break;
      }
      case State::quoted: {
        const auto found = pending_.find_first_of("\"\n", i);
        const auto stop = std::min({found, n, i + room()});
        field_.append(pending_.substr(i, stop - i));
        take(stop);
        if (stop != found) break;
        if (pending_[i] == '\n') {
          field_ += '\n';
          ++line_;
        } else {
          state_ = State::quote_in_quoted;
        }
        take(i + 1);
        break;
      }
      case State::quote_in_quoted:
        if (c == '"') {
          field_ += '"';
          state_ = State::quoted;
          take(i + 1);
        } else if (c == ',' || c == '\r' || c == '\n') {
          state_ = State::field_start;
        } else {
          return fail(line_, "a character after a closing quote");
        }
        break;
      case State::after_cr:
        if (c != '\n') return fail(line_, "a carriage return not followed by a line feed");
        take(i + 1);
        ++line_;
        state_ = State::field_start;
        if (record_open_) {
          pending_.remove_prefix(i);
          return end_record(record);
        }
        break;
    }
  }
  pending_ = {};
  if (record_bytes_ > max_record_bytes_) {
    return too_long();
  }
  if (!finished_) return Status::need_more;
  if (state_ == State::quoted) {
    return fail(quote_line_, "a quoted field not closed by the end of the file");
  }
  if (record_open_) return end_record(record);  // the last line, without its line end
  ended_ = true;
  return Status::end;
}

std::optional<Period> parse_quarter(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || text[8] != 'Q') return std::nullopt;
  const auto first = text.substr(0, 4);
  const auto second = text.substr(5, 2);
  const auto q = text.substr(9, 1);
  if (!all_digits(first) || !all_digits(second) || !all_digits(q)) return std::nullopt;
  const int year = to_int(first);
  const int number = to_int(q);
  if ((year + 1) % 100 != to_int(second) || number < 1 || number > 4) return std::nullopt;
  const date::year_month start = date::year{year} / date::April + date::months{3 * (number - 1)};
  const date::year_month end = start + date::months{2};
  return Period{Date{start / 1}, Date{end / date::last}};
}

Period span_of(const Period& quarter, Span span) {
  switch (span) {
    case Span::rolling_12_months: {
      const date::year_month last{date::year_month_day{quarter.to}.year(),
                                  date::year_month_day{quarter.to}.month()};
      return Period{Date{(last - date::months{11}) / 1}, quarter.to};
    }
    case Span::year_to_date:
      return Period{financial_year_start(quarter.from), quarter.to};
    case Span::quarter:
      break;
  }
  return quarter;
}

std::string file_name(std::string_view la_code, const Period& period) {
  std::string out = "CLD_";
  out += la_code;
  for (const Date day : {period.from, period.to}) {
    const date::year_month_day ymd{day};
    out += '_';
    append_ymd_digits(out, day);
    append_two_digits(out, static_cast<unsigned>(ymd.month()));
    append_two_digits(out, static_cast<unsigned>(ymd.day()));
  }
  out += ".csv";
  return out;
}

}  // namespace careledger::domain::cld
