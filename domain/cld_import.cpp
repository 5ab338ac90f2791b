#include "domain/cld_import.hpp"

#include <tuple>

#include "domain/cld_export.hpp"
#include "domain/nhs_number.hpp"

namespace careledger::domain::cld {

namespace {

// The columns every row must have (CLD.md §3's M, careledger holds them): without one the file
// is refused.
constexpr std::array<std::size_t, 15> mandatory_columns{
    col::la_code,
    col::reporting_period_start_date,
    col::reporting_period_end_date,
    col::nhs_number,
    col::la_person_unique_identifier,
    col::gender,
    col::ethnicity,
    col::date_of_birth,
    col::client_type,
    col::primary_support_reason,
    col::has_unpaid_carer,
    col::event_type,
    col::event_start_date,
    col::event_end_date,
    col::event_outcome,
};

// Within the file's row by an R1 column.
class Fields {
 public:
  Fields(const Columns& columns, const std::vector<std::string>& record)
      : columns_(columns), record_(record) {}
  std::string_view operator[](std::size_t column) const {
    const auto at = columns_.at[column];
    if (!at || *at >= record_.size()) return {};
    std::string_view value = record_[*at];
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
  }

 private:
  const Columns& columns_;
  const std::vector<std::string>& record_;
};

class Reader {
 public:
  Reader(const Columns& columns, std::size_t line, const std::vector<std::string>& record,
         Date today)
      : fields_(columns, record), line_(line), today_(today) {}

  void refuse(std::size_t column, std::string message) {
    refusals.push_back({line_, std::string(header[column]), std::move(message)});
  }
  std::string_view text(std::size_t column) const { return fields_[column]; }
  bool blank(std::size_t column) const { return fields_[column].empty(); }

  // A date, required or not; an event's may not be after today (a reporting period's may: the
  // current quarter's file ends at the quarter's end).
  std::optional<Date> date(std::size_t column, bool required, bool may_be_future = false) {
    const auto value = fields_[column];
    if (value.empty()) {
      if (required) refuse(column, "is required");
      return std::nullopt;
    }
    const auto day = parse_date(value);
    if (!day) {
      refuse(column, "must be a real day written dd/mm/yyyy (or yyyy-mm-dd)");
      return std::nullopt;
    }
    if (!may_be_future && *day > today_) {
      refuse(column, "must not be in the future");
      return std::nullopt;
    }
    return day;
  }
  // A code from a list; blank is nullopt (and not refused).
  template <typename E>
  std::optional<E> code(std::size_t column) {
    const auto value = fields_[column];
    if (value.empty()) return std::nullopt;
    auto parsed = parse<E>(value);
    if (!parsed) refuse(column, "is not a value of the CLD list");
    return parsed;
  }

  std::vector<Refusal> refusals;

 private:
  Fields fields_;
  std::size_t line_;
  Date today_;
};

// "Self-Funder Metering Only" (CLD.md §6): a self-funder known only for the care-cap meter. R1
// spells it in Client_Funding_Status, a column careledger does not hold.
constexpr std::string_view self_funder_metering_only = "Self-Funder Metering Only";

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    char32_t c = 0;
    if ((b & 0xE0) == 0xC0) {
      n = 1;
      c = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      c = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      c = b & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xC0) != 0x80) return false;
      c = (c << 6) | (t & 0x3F);
    }
    // Overlong forms, surrogates and beyond U+10FFFF are not UTF-8.
    if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
        (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

std::variant<Columns, std::vector<Refusal>> columns_of(const std::vector<std::string>& names) {
  Columns columns;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (auto column = column_of(names[i]); column && !columns.at[*column]) columns.at[*column] = i;
  }
  std::vector<Refusal> missing;
  for (auto column : mandatory_columns) {
    if (!columns.at[column]) {
      missing.push_back({1, std::string(header[column]), "the file has no such column"});
    }
  }
  if (!missing.empty()) return missing;
  return columns;
}

Columns r1_columns() {
  Columns columns;
  for (std::size_t i = 0; i < field_count; ++i) columns.at[i] = i;
  return columns;
}

std::array<std::string, field_count> record_fields(const Columns& columns,
                                                   const std::vector<std::string>& record) {
  std::array<std::string, field_count> out;
  for (std::size_t i = 0; i < field_count; ++i) {
    if (columns.at[i] && *columns.at[i] < record.size()) out[i] = record[*columns.at[i]];
  }
  return out;
}

RowReading read_row(const Columns& columns, std::size_t line,
                    const std::vector<std::string>& record, std::string_view la_code, Date today) {
  Reader r(columns, line, record, today);
  RowReading reading;
  for (std::size_t i = 0; i < record.size(); ++i) {
    if (valid_utf8(record[i])) continue;
    std::string field = "column " + std::to_string(i + 1);
    for (std::size_t c = 0; c < field_count; ++c) {
      if (columns.at[c] == i) field = std::string(header[c]);
    }
    reading.refusals.push_back(
        {line, field, "is not UTF-8 (send a Windows-1252 file with charset=windows-1252)"});
    return reading;
  }
  ImportedRow row;
  row.line = line;

  row.la_code = std::string(r.text(col::la_code));
  if (row.la_code != la_code) {
    r.refuse(col::la_code, "is not this council's code (" + std::string(la_code) + ")");
  }
  const auto period_from = r.date(col::reporting_period_start_date, true, true);
  const auto period_to = r.date(col::reporting_period_end_date, true, true);
  if (period_from && period_to) {
    if (*period_to < *period_from) {
      r.refuse(col::reporting_period_end_date, "must not be before Reporting_Period_Start_Date");
    }
    row.period = {*period_from, *period_to};
  }

  // The person.
  auto& person = row.person;
  person.la_id = std::string(r.text(col::la_person_unique_identifier));
  if (!r.blank(col::nhs_number)) {
    std::string nhs;
    for (char c : r.text(col::nhs_number)) {
      if (c != ' ') nhs += c;
    }
    if (!is_valid_nhs_number(nhs)) {
      r.refuse(col::nhs_number, "is not a valid NHS number (10 digits, Modulus 11)");
    } else {
      person.nhs_number = nhs;
    }
  } else if (person.la_id.empty()) {
    r.refuse(col::nhs_number, "is required when LA_Person_Unique_Identifier is blank");
  }
  const auto born = r.date(col::date_of_birth, true);
  if (born) person.date_of_birth = *born;
  person.date_of_death = r.date(col::date_of_death, false);
  person.gender = r.code<Gender>(col::gender);
  person.ethnicity = r.code<Ethnicity>(col::ethnicity);
  person.has_unpaid_carer = r.code<UnpaidCarer>(col::has_unpaid_carer);
  person.primary_support_reason = r.code<SupportReason>(col::primary_support_reason);
  if (!r.blank(col::client_type)) {
    if (matches(r.text(col::client_type), client_type_carer_by_association)) {
      reading.unrepresentable = "Carer known by association";
    } else if (auto type = r.code<ClientType>(col::client_type)) {
      person.client_type = *type;
    }
  }
  if (matches(r.text(col::client_funding_status), self_funder_metering_only)) {
    reading.unrepresentable = "Self-Funder Metering Only";
  }

  // The event.
  const auto type = r.code<EventType>(col::event_type);
  if (!type && r.blank(col::event_type)) r.refuse(col::event_type, "is required");
  if (type) row.type = *type;
  row.reference = std::string(r.text(col::event_reference));
  const auto start = r.date(col::event_start_date, true);
  if (start) row.start = *start;
  row.end = r.date(col::event_end_date, false);
  if (type && *type != EventType::service && r.blank(col::event_end_date)) {
    r.refuse(col::event_end_date, "is required for a " + std::string(text(*type)));
  }
  if (start && row.end && *row.end < *start) {
    r.refuse(col::event_end_date, "must not be before Event_Start_Date");
  }
  if (start && born && age_on(*born, *start) < 18) {
    r.refuse(col::date_of_birth, "makes the person under 18 at Event_Start_Date");
  }
  row.derived = matches(r.text(col::event_description), derived_request_description);
  row.outcome = r.code<EventOutcome>(col::event_outcome);
  if (type == EventType::request && !row.outcome && r.blank(col::event_outcome)) {
    r.refuse(col::event_outcome, "is required for a Request");
  }

  if (type == EventType::request) {
    row.route = r.code<RouteOfAccess>(col::request_route_of_access)
                    .value_or(RouteOfAccess::community_other);
  }
  if (type == EventType::assessment) {
    if (!r.blank(col::assessment_type) &&
        !matches(r.text(col::assessment_type), assessment_type_long_term)) {
      reading.unrepresentable = "an assessment of another type than Long Term Assessment";
    }
    if (!r.blank(col::eligible_needs_identified)) {
      row.eligible_needs = parse_yes_no(r.text(col::eligible_needs_identified));
      if (!row.eligible_needs) r.refuse(col::eligible_needs_identified, "must be Yes or No");
    } else if (!reading.unrepresentable) {
      reading.unrepresentable = "an assessment without Eligible_Needs_Identified";
    }
  }
  if (type == EventType::service) {
    const auto service_type = r.code<ServiceType>(col::service_type);
    if (!service_type && r.blank(col::service_type)) {
      r.refuse(col::service_type, "is required for a Service");
    }
    if (service_type) {
      row.service_type = *service_type;
      if (import_only(*service_type)) {
        reading.unrepresentable = "a service of type " + std::string(text(*service_type));
      }
    }
    row.service_component = r.code<ServiceComponent>(col::service_component);
    row.delivery = r.code<Delivery>(col::delivery_mechanism).value_or(Delivery::council_arranged);
  }
  if (type == EventType::review) {
    if (matches(r.text(col::review_reason), review_reason_planned)) {
      row.planned = true;
    } else {
      row.review_reason = r.code<ReviewReason>(col::review_reason);
    }
    row.outcomes_achieved = r.code<OutcomesMet>(col::review_outcomes_achieved);
  }

  reading.refusals = std::move(r.refusals);
  if (reading.refusals.empty()) reading.row = std::move(row);
  return reading;
}

std::string person_key(const ImportedPerson& person) {
  return person.nhs_number ? "nhs:" + *person.nhs_number : "la:" + person.la_id;
}

int record_order(EventType type) {
  return static_cast<int>(type);
}

std::string row_key(const ImportedRow& row) {
  std::string key = row.la_code;
  auto add = [&](std::string_view part) {
    key += '|';
    key += part;
  };
  add(person_key(row.person));
  add(text(row.type));
  add(format_date(row.start));
  switch (row.type) {
    case EventType::request:
      add(text(row.route));
      break;
    case EventType::assessment:
      add(row.end ? format_date(*row.end) : "");
      add(assessment_type_long_term);
      break;
    case EventType::service:
      add(text(row.service_type));
      add(row.service_component ? text(*row.service_component) : "");
      add(text(row.delivery));
      break;
    case EventType::review:
      add(row.end ? format_date(*row.end) : "");
      break;
  }
  return key;
}

std::optional<ImportedEpisode> episode_of(const ImportedRow& row) {
  if (import_only(row.service_type)) return std::nullopt;
  ImportedEpisode episode;
  episode.kind = support_kind(row.service_type).value_or(SupportKind::long_term);
  if (episode.kind == SupportKind::long_term) {
    episode.setting = long_term_setting(row.service_type).value_or(Setting::community);
  } else {
    episode.short_term_type = short_term_type(row.service_type);
    if (row.service_component == ServiceComponent::short_term_residential) {
      episode.setting = Setting::residential;
    } else if (row.service_component == ServiceComponent::short_term_nursing) {
      episode.setting = Setting::nursing;
    }
  }
  return episode;
}

Sequel sequel_of(const ImportedRow& row, bool next_long_term, bool next_lower_level) {
  if (next_long_term) return Sequel::long_term_support;
  if (next_lower_level) return Sequel::lower_level_support;
  if (row.outcome == EventOutcome::nfa_deceased || row.outcome == EventOutcome::nfa_nhs_funded ||
      row.outcome == EventOutcome::admitted_to_hospital) {
    return Sequel::other;
  }
  return Sequel::no_ongoing_support;
}

ReviewOutcome review_outcome_of(const std::optional<EventOutcome>& outcome) {
  if (outcome == EventOutcome::no_change_in_package) return ReviewOutcome::no_change;
  if (outcome && text(*outcome).starts_with("NFA")) return ReviewOutcome::support_ended;
  return ReviewOutcome::support_changed;
}

bool same_event(const ImportedRow& file, const ImportedRow& held) {
  if (std::tie(file.type, file.start, file.end) != std::tie(held.type, held.start, held.end)) {
    return false;
  }
  switch (file.type) {
    case EventType::request:  // recorded as sent
      return file.outcome == held.outcome && file.route == held.route;
    case EventType::assessment:
      // An outcome an assessment may not have is not recorded: the export writes its default.
      if (file.outcome && outcome_allowed(*file.outcome, OutcomeOf::assessment) &&
          file.outcome != held.outcome) {
        return false;
      }
      return file.eligible_needs == held.eligible_needs;
    case EventType::service:
      // An end's outcome an episode may not have is not recorded; a blank component is written
      // as its default.
      if (file.end && file.outcome && outcome_allowed(*file.outcome, OutcomeOf::episode_end) &&
          file.outcome != held.outcome) {
        return false;
      }
      if (file.service_component && file.service_component != held.service_component) {
        return false;
      }
      return file.service_type == held.service_type && file.delivery == held.delivery;
    case EventType::review:
      // Held as one of three outcomes; an unplanned review of no reason is Other Reason.
      return file.planned == held.planned &&
             review_outcome_of(file.outcome) == review_outcome_of(held.outcome) &&
             (file.planned || file.review_reason.value_or(ReviewReason::unplanned_other) ==
                                  held.review_reason.value_or(ReviewReason::unplanned_other)) &&
             file.outcomes_achieved == held.outcomes_achieved;
  }
  return false;
}

}  // namespace careledger::domain::cld
