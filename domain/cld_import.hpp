#pragma once
// Reading a council's Client Level Data file (CLD.md §6): each record checked and read into what
// careledger records, the rows it refuses (by line and field) and those it cannot represent, and
// the key that identifies a row's event across files. Pure: the service reads the file and
// records what it says.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/cld.hpp"
#include "domain/events.hpp"

namespace careledger::domain::cld {

// A row refused: its line (the header is line 1), the field at fault, why.
struct Refusal {
  std::size_t line = 0;
  std::string field;
  std::string message;
};

// Where each of R1's columns is in the file (matched by header_key), if there.
struct Columns {
  std::array<std::optional<std::size_t>, field_count> at{};
};
// The file's columns, or one refusal (line 1) for each mandatory column missing.
std::variant<Columns, std::vector<Refusal>> columns_of(const std::vector<std::string>& names);
// Columns in R1's order, as a staged record is written (record_fields).
Columns r1_columns();
// A record's fields in R1's order (blank where the file has no such column).
std::array<std::string, field_count> record_fields(const Columns& columns,
                                                   const std::vector<std::string>& record);

// Who a row is about, as the file says.
struct ImportedPerson {
  std::optional<std::string> nhs_number;  // 10 digits that pass Modulus 11
  std::string la_id;                      // LA_Person_Unique_Identifier (may be empty)
  Date date_of_birth;
  std::optional<Date> date_of_death;
  ClientType client_type = ClientType::service_user;
  // As the file spells them (blank: nullopt); compared as texts with what is held.
  std::optional<Gender> gender;
  std::optional<Ethnicity> ethnicity;
  std::optional<UnpaidCarer> has_unpaid_carer;
  std::optional<SupportReason> primary_support_reason;
};

struct ImportedRow {
  std::size_t line = 0;
  std::string la_code;
  Period period;
  ImportedPerson person;
  EventType type = EventType::request;
  std::string reference;  // Event_Reference, trimmed
  Date start;
  std::optional<Date> end;
  bool derived = false;  // a request careledger derived from its assessment (Event_Description)
  std::optional<EventOutcome> outcome;
  RouteOfAccess route = RouteOfAccess::community_other;
  std::optional<bool> eligible_needs;
  ServiceType service_type = ServiceType::long_term_community;
  std::optional<ServiceComponent> service_component;
  Delivery delivery = Delivery::council_arranged;  // blank: council_arranged
  bool planned = false;                            // Review_Reason Planned
  std::optional<ReviewReason> review_reason;
  std::optional<OutcomesMet> outcomes_achieved;
};

// A record read: the row, unless refused; why it cannot be represented, if so.
struct RowReading {
  std::optional<ImportedRow> row;
  std::vector<Refusal> refusals;
  std::optional<std::string> unrepresentable;
};
// Checks a record against §6's refusals for a council `la_code` on `today`.
RowReading read_row(const Columns& columns, std::size_t line,
                    const std::vector<std::string>& record, std::string_view la_code, Date today);

// The person's rows are recorded together: "nhs:<number>", else "la:<id>".
std::string person_key(const ImportedPerson& person);
// The identity of the row's event across files (§6 Idempotency): LA_Code, person, Event_Type,
// start, and the type's own fields, as their CLD texts.
std::string row_key(const ImportedRow& row);
// The order a person's rows are recorded in: requests, assessments, services, reviews (an
// assessment links the request before it; a review needs the services before it).
int record_order(EventType type);

// What an imported episode is.
struct ImportedEpisode {
  SupportKind kind = SupportKind::long_term;
  Setting setting = Setting::community;
  std::optional<ShortTermType> short_term_type;
};
// nullopt for the import-only service types (unrepresentable).
std::optional<ImportedEpisode> episode_of(const ImportedRow& row);
// The sequel of an ended short-term episode as NHS England derives it (§6): from what starts
// within 3 days of its end (`next_long_term`, `next_lower_level`) and its outcome.
Sequel sequel_of(const ImportedRow& row, bool next_long_term, bool next_lower_level);
// A review's outcome from its Event_Outcome.
ReviewOutcome review_outcome_of(const std::optional<EventOutcome>& outcome);

// Whether a file's row says what careledger holds of its event, as the export's row of it for the
// file's period says it (`held`): dates and the type's own fields, compared as the import would
// record them (an outcome careledger would not keep, a blank component or review reason, and
// review outcomes beyond its three do not count as a difference).
bool same_event(const ImportedRow& file, const ImportedRow& held);

}  // namespace careledger::domain::cld
