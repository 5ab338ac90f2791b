#pragma once
// Client Level Data (CLD.md): the text the return spells each code with, how an import matches a
// council's spelling of it, and the file's shape (header, dates, CSV, reporting periods). Pure
// code: the export and the import do the I/O.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"

namespace careledger::domain::cld {

// The rows of the file.
enum class EventType { request, assessment, service, review };

// CLD's Service_Type. careledger derives the first six from an episode's kind, setting and
// short-term type; the last three are only ever read from an imported file (CLD.md §6 keeps those
// rows as unrepresentable).
enum class ServiceType {
  long_term_community,
  long_term_residential,
  long_term_nursing,
  short_term_st_max,
  short_term_ongoing_low_level,
  short_term_other,
  long_term_prison,
  carer_direct,
  carer_cared_for
};

// The CLD text of each code (CLD.md §3), `entries` in the style of CodeTable: written by the
// export, matched by the import. Where two codes share a text the first listed is what an import
// reads back. `variants` are further spellings the import accepts, beyond those the matching rules
// (match_key) already equate.
template <typename E>
struct CldText;

template <>
struct CldText<EventType> {
  static constexpr std::array<std::pair<EventType, std::string_view>, 4> entries{{
      {EventType::request, "Request"},
      {EventType::assessment, "Assessment"},
      {EventType::service, "Service"},
      {EventType::review, "Review"},
  }};
};

// Written Service User or Carer only; Carer known by association is read (and refused as
// unrepresentable), never written.
inline constexpr std::string_view client_type_carer_by_association = "Carer known by association";
template <>
struct CldText<ClientType> {
  static constexpr std::array<std::pair<ClientType, std::string_view>, 2> entries{{
      {ClientType::service_user, "Service User"},
      {ClientType::carer, "Carer"},
  }};
};

template <>
struct CldText<Gender> {
  static constexpr std::array<std::pair<Gender, std::string_view>, 4> entries{{
      {Gender::male, "Male"},
      {Gender::female, "Female"},
      {Gender::other, "Other"},
      {Gender::unknown, "Unknown"},
  }};
};

// "group - item"; an import also takes the item alone where no other item shares it.
template <>
struct CldText<Ethnicity> {
  static constexpr std::array<std::pair<Ethnicity, std::string_view>, 21> entries{{
      {Ethnicity::white_british, "White - English, Welsh, Scottish, Northern Irish or British"},
      {Ethnicity::white_irish, "White - Irish"},
      {Ethnicity::white_gypsy_irish_traveller, "White - Gypsy or Irish Traveller"},
      {Ethnicity::white_roma, "White - Roma"},
      {Ethnicity::white_other, "White - Any other White background"},
      {Ethnicity::mixed_white_black_caribbean,
       "Mixed or multiple ethnic groups - White and Black Caribbean"},
      {Ethnicity::mixed_white_black_african,
       "Mixed or multiple ethnic groups - White and Black African"},
      {Ethnicity::mixed_white_asian, "Mixed or multiple ethnic groups - White and Asian"},
      {Ethnicity::mixed_other,
       "Mixed or multiple ethnic groups - Any other Mixed or multiple ethnic background"},
      {Ethnicity::asian_indian, "Asian or Asian British - Indian"},
      {Ethnicity::asian_pakistani, "Asian or Asian British - Pakistani"},
      {Ethnicity::asian_bangladeshi, "Asian or Asian British - Bangladeshi"},
      {Ethnicity::asian_chinese, "Asian or Asian British - Chinese"},
      {Ethnicity::asian_other, "Asian or Asian British - Any other Asian background"},
      {Ethnicity::black_african, "Black, Black British, Caribbean or African - African"},
      {Ethnicity::black_caribbean, "Black, Black British, Caribbean or African - Caribbean"},
      {Ethnicity::black_other,
       "Black, Black British, Caribbean or African - Any other Black, Black British or Caribbean "
       "background"},
      {Ethnicity::arab, "Other ethnic group - Arab"},
      {Ethnicity::other_ethnic_group, "Other ethnic group - Any other ethnic group"},
      {Ethnicity::refused, "No data - Refused"},
      {Ethnicity::not_known, "No data - Undeclared or Not known"},
  }};
};

template <>
struct CldText<UnpaidCarer> {
  static constexpr std::array<std::pair<UnpaidCarer, std::string_view>, 3> entries{{
      {UnpaidCarer::yes, "Yes"},
      {UnpaidCarer::no, "No"},
      {UnpaidCarer::unknown, "Unknown"},
  }};
};

// The coarse reasons recorded before the CLD list have no CLD text of their own: they export as
// Unknown (listed after SupportReason::unknown, so Unknown reads back as unknown).
template <>
struct CldText<SupportReason> {
  static constexpr std::array<std::pair<SupportReason, std::string_view>, 16> entries{{
      {SupportReason::physical_access_mobility, "Physical Support: Access & mobility only"},
      {SupportReason::physical_personal_care, "Physical Support: Personal care support"},
      {SupportReason::sensory_visual, "Sensory Support: Support for visual impairment"},
      {SupportReason::sensory_hearing, "Sensory Support: Support for hearing impairment"},
      {SupportReason::sensory_dual, "Sensory Support: Support for dual impairment"},
      {SupportReason::memory_and_cognition, "Support with Memory & Cognition"},
      {SupportReason::learning_disability, "Learning Disability Support"},
      {SupportReason::mental_health, "Mental Health Support"},
      {SupportReason::social_substance_misuse, "Social Support: Substance misuse support"},
      {SupportReason::social_asylum_seeker, "Social Support: Asylum seeker support"},
      {SupportReason::social_isolation_other, "Social Support: Support for Social Isolation/Other"},
      {SupportReason::social_support_to_carer, "Social Support: Support to Carer"},
      {SupportReason::unknown, "Unknown"},
      {SupportReason::physical_support, "Unknown"},
      {SupportReason::sensory_support, "Unknown"},
      {SupportReason::social_support, "Unknown"},
  }};
};
// The old reasons that export as Unknown (with a warning).
bool coarse(SupportReason reason);

template <>
struct CldText<RouteOfAccess> {
  static constexpr std::array<std::pair<RouteOfAccess, std::string_view>, 8> entries{{
      {RouteOfAccess::planned_entry_transition, "Planned Entry (Transition)"},
      {RouteOfAccess::discharge_from_hospital, "Discharge from Hospital"},
      {RouteOfAccess::diversion_from_hospital, "Diversion from Hospital Services"},
      {RouteOfAccess::community_other, "Community / Other route"},
      {RouteOfAccess::prison, "Prison"},
      {RouteOfAccess::self_funder, "Self-Funder"},
      {RouteOfAccess::discharge_from_reablement, "Discharge from Reablement"},
      {RouteOfAccess::transfer_from_other_la, "Transfer from Other LA"},
  }};
};

// A planned review's Review_Reason; ReviewReason holds the unplanned ones.
inline constexpr std::string_view review_reason_planned = "Planned";
template <>
struct CldText<ReviewReason> {
  static constexpr std::array<std::pair<ReviewReason, std::string_view>, 6> entries{{
      {ReviewReason::unplanned_hospital, "Unplanned - Hospital (Planned and unplanned episodes)"},
      {ReviewReason::unplanned_carer, "Unplanned - Carer related"},
      {ReviewReason::unplanned_safeguarding, "Unplanned - Safeguarding concern"},
      {ReviewReason::unplanned_other, "Unplanned - Other Reason"},
      {ReviewReason::unplanned_provider_failure, "Unplanned - Provider Failure"},
      {ReviewReason::unplanned_commissioning_change,
       "Unplanned - Change in Commissioning arrangements"},
  }};
};

template <>
struct CldText<OutcomesMet> {
  static constexpr std::array<std::pair<OutcomesMet, std::string_view>, 3> entries{{
      {OutcomesMet::fully_met, "Fully Met"},
      {OutcomesMet::partially_met, "Partially Met"},
      {OutcomesMet::not_met, "Not Met"},
  }};
};

template <>
struct CldText<EventOutcome> {
  static constexpr std::array<std::pair<EventOutcome, std::string_view>, 19> entries{{
      {EventOutcome::progress_to_reablement, "Progress to Reablement/ST-Max"},
      {EventOutcome::progress_to_assessment, "Progress to Assessment"},
      {EventOutcome::admitted_to_hospital, "Admitted to hospital"},
      {EventOutcome::progress_to_reassessment, "Progress to Re-assessment / Unplanned Review"},
      {EventOutcome::progress_to_support_planning, "Progress to Support Planning / Services"},
      {EventOutcome::progress_to_end_of_life_care, "Progress to End of Life Care"},
      {EventOutcome::no_change_in_package, "No change in package"},
      {EventOutcome::service_ended_as_planned, "Service ended as planned"},
      {EventOutcome::progress_to_financial_assessment, "Progress to financial assessment"},
      {EventOutcome::provision_of_service, "Provision of service"},
      {EventOutcome::nfa_deceased, "NFA - Deceased"},
      {EventOutcome::nfa_moved_to_another_la, "NFA - Moved to another LA"},
      {EventOutcome::nfa_nhs_funded, "NFA - 100% NHS funded care"},
      {EventOutcome::nfa_information_advice, "NFA - Information & Advice / Signposting only"},
      {EventOutcome::nfa_self_funded, "NFA - Self-funded client (inc. 12wk disregard)"},
      {EventOutcome::nfa_support_declined, "NFA - Support declined"},
      {EventOutcome::nfa_support_ended_other, "NFA - Support ended: Other reason"},
      {EventOutcome::nfa_no_services_other, "NFA - No services offered: Other reason"},
      // Without a space before the dash, as the CLD list and every NHS England script spell it.
      {EventOutcome::nfa_other, "NFA- Other"},
  }};
  // Spellings in NHS England's replication code (NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-
  // transformations) that differ from the list by more than case, dashes and spacing, which
  // match_key equates already ("Admitted to Hospital": ASCOF 2A line 130, STS001 97, STS002a 106;
  // "Service Ended As Planned": ASCOF 2A 518, 531, STS002a 494, 507; "Service Ended as Planned":
  // ASCOF 2A 737, 776, 793, STS002a 713, 752, 769; "NFA - Self-funded client (Inc. 12wk
  // disregard)": ASCOF 2A 94, STS001 41, STS002a 70; "NFA - Other": CLD.md §6).
  static constexpr std::array<std::pair<EventOutcome, std::string_view>, 4> variants{{
      // ASCOF 2A line 140, STS001 107, STS002a 116 (their outcome hierarchies).
      {EventOutcome::nfa_nhs_funded, "NFA - 100% NHS-funded care"},
      // CLD.md §6: "inc" without its full stop.
      {EventOutcome::nfa_self_funded, "NFA - Self-funded client (inc 12wk disregard)"},
      // ASCOF 2A line 144, STS001 111, STS002a 120 (with an en dash).
      {EventOutcome::nfa_support_ended_other, "NFA - Support ended - other reason"},
      // ASCOF 2A line 145, STS001 112, STS002a 121.
      {EventOutcome::nfa_no_services_other, "NFA - No services offered - other reason"},
  }};
};

template <>
struct CldText<ServiceType> {
  static constexpr std::array<std::pair<ServiceType, std::string_view>, 9> entries{{
      {ServiceType::long_term_community, "Long Term Support: Community"},
      {ServiceType::long_term_residential, "Long Term Support: Residential Care"},
      {ServiceType::long_term_nursing, "Long Term Support: Nursing Care"},
      {ServiceType::short_term_st_max, "Short Term Support: ST-Max"},
      {ServiceType::short_term_ongoing_low_level, "Short Term Support: Ongoing Low Level"},
      {ServiceType::short_term_other, "Short Term Support: Other Short Term"},
      {ServiceType::long_term_prison, "Long Term Support: Prison"},
      {ServiceType::carer_direct, "Carer Support: Direct to Carer"},
      {ServiceType::carer_cared_for, "Carer Support: Support involving the person cared-for"},
  }};
};
// The Service_Type texts only an import reads (CLD.md §3 "Import only").
inline constexpr std::string_view service_type_prison = "Long Term Support: Prison";
inline constexpr std::string_view service_type_carer_direct = "Carer Support: Direct to Carer";
inline constexpr std::string_view service_type_carer_cared_for =
    "Carer Support: Support involving the person cared-for";

// The Service_Type of an episode: long-term by setting; short-term by its type (ST-Max when
// unrecorded), whatever its setting.
ServiceType service_type_of(SupportKind kind, Setting setting,
                            std::optional<ShortTermType> short_term_type);
std::string_view service_type(SupportKind kind, Setting setting,
                              std::optional<ShortTermType> short_term_type);
// Prison and Carer Support: no careledger episode is of these types.
bool import_only(ServiceType type);
// What an imported Service_Type says of the episode (nullopt for the import-only types, and for
// the parts it does not say: a short-term type's setting, a long-term type's short-term type).
std::optional<SupportKind> support_kind(ServiceType type);
std::optional<Setting> long_term_setting(ServiceType type);
std::optional<ShortTermType> short_term_type(ServiceType type);

template <>
struct CldText<ServiceComponent> {
  static constexpr std::array<std::pair<ServiceComponent, std::string_view>, 12> entries{{
      {ServiceComponent::reablement, "Reablement"},
      {ServiceComponent::short_term_residential, "Short Term Residential Care"},
      {ServiceComponent::short_term_nursing, "Short Term Nursing Care"},
      {ServiceComponent::other_short_term_support, "Other Short Term Support"},
      {ServiceComponent::equipment, "Equipment"},
      {ServiceComponent::home_support, "Home Support"},
      {ServiceComponent::community_supported_living, "Community Supported Living"},
      {ServiceComponent::extra_care_housing, "Extra care housing"},
      {ServiceComponent::shared_lives, "Shared Lives"},
      {ServiceComponent::direct_payment, "Direct Payment"},
      {ServiceComponent::long_term_residential, "Long Term Residential Care"},
      {ServiceComponent::long_term_nursing, "Long Term Nursing Care"},
  }};
};
// The Service_Component an episode gets when none is recorded (CLD.md §3); nullopt leaves the
// field blank, a data-quality error.
std::optional<ServiceComponent> default_component(SupportKind kind, Setting setting,
                                                  Delivery delivery,
                                                  std::optional<ShortTermType> short_term_type);

// R1 has no individual service fund: it goes as a managed personal budget, which is what an
// import reads back. ("CASSR Commissioned support", ASCOF 3D line 775, LTS003 227, differs in
// case only.)
template <>
struct CldText<Delivery> {
  static constexpr std::array<std::pair<Delivery, std::string_view>, 4> entries{{
      {Delivery::direct_payment, "Direct Payment"},
      {Delivery::managed_personal_budget, "CASSR Managed Personal Budget"},
      {Delivery::individual_service_fund, "CASSR Managed Personal Budget"},
      {Delivery::council_arranged, "CASSR Commissioned Support"},
  }};
};

inline constexpr std::string_view assessment_type_long_term = "Long Term Assessment";
inline constexpr std::string_view derived_request_description = "Derived from assessment request";

// Eligible_Needs_Identified.
std::string_view yes_no(bool value);
std::optional<bool> parse_yes_no(std::string_view value);

template <typename E>
std::string_view text(E value) {
  for (const auto& [code, spelled] : CldText<E>::entries) {
    if (code == value) return spelled;
  }
  return {};
}

// The code an imported value names, by CLD.md §6's rules (match_key) against each text and
// variant; nullopt when none. Defined for every list with a CldText.
template <typename E>
std::optional<E> parse(std::string_view value);

// A value as the import compares it: ASCII case folded; trimmed; each run of white space (with
// tab, CR, LF and no-break space) one space; every dash (hyphen, U+2010-U+2015, minus, the small
// and full-width hyphen-minus) `-`; no space beside a dash or a slash, so "NFA- Other", "NFA -
// Other" and "NFA – Other" are one key, as are "Reablement/ST-Max" and "Reablement / ST-Max".
std::string match_key(std::string_view value);
// Whether an imported value names `cld_text` (for the texts that are constants, not codes).
bool matches(std::string_view value, std::string_view cld_text);

// A column name as the import matches it: ASCII case folded; each run of anything but ASCII
// letters and digits one `_`; no `_` at either end. "Request: Route of Access" and
// "Request_Route_of_Access" are both "request_route_of_access"; a byte-order mark before the
// first name falls away with the rest of the punctuation.
std::string header_key(std::string_view name);

// The column names of NHS England's national R1 table, in order (CLD.md §2).
inline constexpr std::size_t field_count = 48;
inline constexpr std::array<std::string_view, field_count> header{
    "LA_Code",
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "NHS_Number",
    "LA_Person_Unique_Identifier",
    "GP_Practice_Code",
    "GP_Practice_Name",
    "Gender",
    "Ethnicity",
    "Date_of_Birth",
    "Date_of_Death",
    "Client_Type",
    "Primary_Support_Reason",
    "Postcode",
    "Accommodation_Status",
    "Employment_Status",
    "Has_Unpaid_Carer",
    "Autism_Spectrum_Disorder_ASD",
    "Visual_Impairment",
    "Hearing_Impairment",
    "Dementia",
    "Client_Funding_Status",
    "Event_Type",
    "Event_Reference",
    "Event_Start_Date",
    "Event_End_Date",
    "Event_Description",
    "Event_Outcome",
    "Request_Route_of_Access",
    "Assessment_Type",
    "Eligible_Needs_Identified",
    "Method_of_Assessment",
    "Total_Hrs_Caring_per_week",
    "No_of_adults_being_cared_for",
    "Adult_1_Linked_Person_ID",
    "Adult_2_Linked_Person_ID",
    "Adult_3_Linked_Person_ID",
    "Service_Type",
    "Service_Component",
    "Delivery_Mechanism",
    "Provider_CQC_Location_ID",
    "Provider_CQC_Location_Name",
    "Review_Reason",
    "Review_Outcomes_Achieved",
    "Method_of_Review",
    "Unit_Cost",
    "Cost_Frequency_Unit_Type",
    "Planned_units_per_week",
};
// The index of a column in `header` by its header_key, or nullopt.
std::optional<std::size_t> column_of(std::string_view name);

// dd/mm/yyyy, as the spec writes dates.
std::string format_date(Date day);
// dd/mm/yyyy or yyyy-mm-dd naming a real day, digits exactly so wide: 31/02/2024 and 1/2/2024
// are refused (CLD.md §6 refuses other formats; a day-first date without its zeros is one).
std::optional<Date> parse_date(std::string_view text);

// RFC 4180, as CLD.md §2 asks: a field is quoted only when it holds a comma, a quote, a CR or an
// LF, its quotes doubled.
void append_field(std::string& line, std::string_view value);
// The fields, comma-separated, and CRLF.
void append_row(std::string& out, const std::array<std::string, field_count>& fields);
void append_header(std::string& out);

struct CsvRecord {
  std::size_t line = 0;  // the line the record starts on, the first being 1
  std::vector<std::string> fields;
};
struct CsvError {
  std::size_t line = 0;
  std::string message;
};

// An RFC 4180 reader fed a file in chunks, so that the import streams a file of any size holding
// one record at a time. Lines end in CRLF or LF; a quoted field may span lines and holds `""` for
// a quote; an empty line is no record. A quote inside an unquoted field, anything but a comma or
// a line end after a closing quote, a CR before anything but LF, a quote still open at the end and
// a record longer than the limit (its line end included) are errors, after which the reader reads
// no more.
//
//   CsvReader reader;
//   CsvRecord record;
//   for (each chunk) {
//     reader.feed(chunk);
//     while (reader.next(record) == CsvReader::Status::record) use(record);
//   }
//   reader.finish();
//   while (reader.next(record) == CsvReader::Status::record) use(record);
//   then Status::end, or Status::error and error().
class CsvReader {
 public:
  enum class Status {
    record,     // `record` holds the next record
    need_more,  // the chunk is used up: feed the next one, or finish()
    end,        // finished, and every record read
    error       // see error()
  };

  explicit CsvReader(std::size_t max_record_bytes = std::size_t{1} << 20)
      : max_record_bytes_(max_record_bytes) {}

  // The reader reads the chunk in place, without a copy: it must stay alive and unchanged until
  // next() has returned need_more (or end, or error). A chunk may end anywhere, even between a CR
  // and its LF or inside a quoted field.
  void feed(std::string_view chunk);
  // No more chunks: a last record without a line end is complete, an open quote an error.
  void finish();
  Status next(CsvRecord& record);
  const std::optional<CsvError>& error() const { return error_; }

 private:
  enum class State { field_start, unquoted, quoted, quote_in_quoted, after_cr };

  void end_field();
  Status end_record(CsvRecord& record);
  Status fail(std::size_t line, std::string message);
  Status too_long();

  std::size_t max_record_bytes_;
  std::string_view pending_;
  bool finished_ = false;
  bool ended_ = false;
  std::optional<CsvError> error_;
  State state_ = State::field_start;
  bool record_open_ = false;  // a byte of the record, not only line ends, has been read
  std::size_t line_ = 1;
  std::size_t record_line_ = 1;
  std::size_t quote_line_ = 1;
  std::size_t record_bytes_ = 0;
  std::string field_;
  std::vector<std::string> fields_;
};

// A reporting period, both ends included.
struct Period {
  Date from;
  Date to;
  friend bool operator==(const Period&, const Period&) = default;
};
// A financial quarter, `2024-25-Q3`: Q1 April to June of the first year ... Q4 January to March of
// the second.
std::optional<Period> parse_quarter(std::string_view text);
// What a file for a quarter covers (CLD.md §2): the 12 months to the quarter's end (DHSC's
// rolling file, the default), the financial year to its end, or the quarter alone.
enum class Span { rolling_12_months, year_to_date, quarter };
Period span_of(const Period& quarter, Span span);
// CLD_<la_code>_<yyyymmdd>_<yyyymmdd>.csv
std::string file_name(std::string_view la_code, const Period& period);

}  // namespace careledger::domain::cld

namespace careledger::domain {
// The API's spelling of span= (CLD.md §2).
template <>
struct CodeTable<cld::Span> {
  static constexpr std::array<std::pair<cld::Span, std::string_view>, 3> entries{{
      {cld::Span::rolling_12_months, "rolling_12_months"},
      {cld::Span::year_to_date, "year_to_date"},
      {cld::Span::quarter, "quarter"},
  }};
};
}  // namespace careledger::domain
