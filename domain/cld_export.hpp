#pragma once
// The rows of a Client Level Data file (CLD.md §2–§4) and its data-quality report (§5), from
// what careledger holds of each person. Pure: the service reads the facts and writes the file.

#include <array>
#include <bitset>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/assessment.hpp"
#include "domain/cld.hpp"
#include "domain/decision.hpp"
#include "domain/person.hpp"
#include "domain/request.hpp"
#include "domain/support.hpp"

namespace careledger::domain::cld {

// The file's columns, in the header's order.
namespace col {
enum Column : std::size_t {
  la_code,
  reporting_period_start_date,
  reporting_period_end_date,
  nhs_number,
  la_person_unique_identifier,
  gp_practice_code,
  gp_practice_name,
  gender,
  ethnicity,
  date_of_birth,
  date_of_death,
  client_type,
  primary_support_reason,
  postcode,
  accommodation_status,
  employment_status,
  has_unpaid_carer,
  autism_spectrum_disorder_asd,
  visual_impairment,
  hearing_impairment,
  dementia,
  client_funding_status,
  event_type,
  event_reference,
  event_start_date,
  event_end_date,
  event_description,
  event_outcome,
  request_route_of_access,
  assessment_type,
  eligible_needs_identified,
  method_of_assessment,
  total_hrs_caring_per_week,
  no_of_adults_being_cared_for,
  adult_1_linked_person_id,
  adult_2_linked_person_id,
  adult_3_linked_person_id,
  service_type,
  service_component,
  delivery_mechanism,
  provider_cqc_location_id,
  provider_cqc_location_name,
  review_reason,
  review_outcomes_achieved,
  method_of_review,
  unit_cost,
  cost_frequency_unit_type,
  planned_units_per_week,
};
}  // namespace col

static_assert(col::planned_units_per_week + 1 == field_count);

// What a file is asked for: a quarter with its span (the 12 months to its end when none is
// given), or `from` and `to`.
struct PeriodAsked {
  std::optional<std::string> quarter;
  std::optional<Span> span;
  std::optional<Date> from;
  std::optional<Date> to;
};
// The period, or the field at fault (named as asked: quarter, span, from, to).
std::variant<Period, FieldError> period_of(const PeriodAsked& asked);

// Whether careledger holds what a column asks (CLD.md §3's "not held" rows are always blank).
bool held(std::size_t column);

// A field's status as DHSC reports it, and careledger's warnings beside them.
enum class Status { valid, blank_not_mandatory, blank_mandatory, invalid, warning };
std::string_view status_text(Status status);  // "Passed: Valid", ..., "Warning"

// A check a field did not pass (§5's table): `check` is its name there.
struct Finding {
  std::size_t column = 0;
  Status status = Status::valid;
  std::string_view check;
  std::string message;
};

struct Row {
  std::array<std::string, field_count> fields;
  EventType type = EventType::request;
  std::array<Status, field_count> status{};  // of each held field
  std::vector<Finding> findings;             // in column order
  std::bitset<field_count> mandatory;        // the columns R1 requires on this row
};

// What the file for a period reads of one person: their record, and their records of casework
// that began on or before the period's end (a request received, an assessment requested, an
// episode started, a review held), each in any order.
struct PersonFacts {
  PersonState person;
  std::vector<RequestState> requests;
  std::vector<AssessmentState> assessments;
  std::vector<SupportEpisodeState> episodes;
  std::vector<ReviewState> reviews;
};

// The person's rows of the file for `period`, in its order (by start, then Request, Assessment,
// Service, Review, then reference), each checked. Facts dated after the period's end are read
// as not yet happened.
std::vector<Row> rows_of(const PersonFacts& facts, const Period& period, std::string_view council);

// The data-quality report of a file (§5), built row by row as the file is written.
class QualityReport {
 public:
  struct Count {
    std::size_t column;
    Status status;
    long long count;
  };
  struct Item {
    std::size_t line;  // the header is line 1
    std::string event_reference;
    EventType event_type;
    Finding finding;
  };

  // Each item is given to `each` as it is found and not kept (a council with little recorded
  // has several a row); without `each` they are kept, for items().
  explicit QualityReport(std::function<void(const Item&)> each = {}) : each_(std::move(each)) {}

  void add(const Row& row);
  long long rows() const { return rows_; }
  // Held columns by status, in column then status order, counts above 0.
  std::vector<Count> summary() const;
  // Each column careledger does not hold, with the rows that required it.
  std::vector<std::pair<std::size_t, long long>> not_held() const;
  const std::vector<Item>& items() const { return items_; }

 private:
  long long rows_ = 0;
  std::array<std::array<long long, 5>, field_count> counts_{};
  std::array<long long, field_count> required_{};
  std::vector<Item> items_;
  std::function<void(const Item&)> each_;
};

}  // namespace careledger::domain::cld
