#include "domain/cld_export.hpp"

#include <algorithm>
#include <tuple>

#include "domain/nhs_number.hpp"

namespace careledger::domain::cld {

namespace {

constexpr int sequel_window_days = 3;

bool within(Date day, const Period& period) {
  return period.from <= day && day <= period.to;
}

// The text of a code the CLD lists carry (CLD.md §3), as a field.
template <typename E>
std::string field_text(E code) {
  return std::string(text(code));
}

EventOutcome review_outcome(ReviewOutcome outcome) {
  switch (outcome) {
    case ReviewOutcome::no_change:
      return EventOutcome::no_change_in_package;
    case ReviewOutcome::support_changed:
      return EventOutcome::progress_to_support_planning;
    case ReviewOutcome::support_ended:
      return EventOutcome::nfa_support_ended_other;
  }
  return EventOutcome::nfa_support_ended_other;
}

// An ended episode without an end reason: by its sequel (§4), else support ended for another
// reason.
EventOutcome ended_outcome(const SupportEpisodeState& episode) {
  if (episode.end_reason) return *episode.end_reason;
  if (!episode.sequel) return EventOutcome::nfa_support_ended_other;
  switch (*episode.sequel) {
    case Sequel::no_ongoing_support:
    case Sequel::lower_level_support:
      return EventOutcome::service_ended_as_planned;
    case Sequel::long_term_support:
      return EventOutcome::progress_to_support_planning;
    case Sequel::other:
      return EventOutcome::nfa_support_ended_other;
  }
  return EventOutcome::nfa_support_ended_other;
}

bool is_st_max(const SupportEpisodeState& episode) {
  return domain::is_st_max(episode.kind, episode.short_term_type);
}

// What a row is built from beside its own record: the person as at the period's end, and the
// checks every row of theirs makes.
class RowMaker {
 public:
  RowMaker(const PersonFacts& facts, const Period& period, std::string_view council)
      : period_(period), details_(details_on(facts.person, period.to)) {
    person_fields_[col::la_code] = std::string(council);
    person_fields_[col::reporting_period_start_date] = format_date(period.from);
    person_fields_[col::reporting_period_end_date] = format_date(period.to);
    person_fields_[col::nhs_number] = details_.nhs_number.value_or("");
    person_fields_[col::la_person_unique_identifier] = facts.person.id.str();
    person_fields_[col::gender] = field_text(details_.gender.value_or(Gender::unknown));
    person_fields_[col::ethnicity] = field_text(details_.ethnicity.value_or(Ethnicity::not_known));
    person_fields_[col::date_of_birth] = format_date(details_.date_of_birth);
    if (facts.person.date_of_death && *facts.person.date_of_death <= period.to) {
      death_ = facts.person.date_of_death;
      person_fields_[col::date_of_death] = format_date(*death_);
    }
    person_fields_[col::has_unpaid_carer] =
        field_text(details_.has_unpaid_carer.value_or(UnpaidCarer::unknown));
  }

  // A row of the person's with its event's own fields still to fill.
  Row start(EventType type, std::string reference, Date start, std::optional<Date> end,
            bool carer) {
    Row row;
    row.type = type;
    row.fields = person_fields_;
    row.fields[col::event_type] = field_text(type);
    row.fields[col::event_reference] = std::move(reference);
    row.fields[col::event_start_date] = format_date(start);
    if (end) row.fields[col::event_end_date] = format_date(*end);
    row.fields[col::client_type] = carer ? field_text(ClientType::carer)
                                         : (type == EventType::service || type == EventType::review
                                                ? field_text(ClientType::service_user)
                                                : field_text(details_.client_type));
    if (carer) {
      row.fields[col::primary_support_reason] = field_text(SupportReason::social_support_to_carer);
    } else {
      row.fields[col::primary_support_reason] =
          field_text(details_.primary_support_reason.value_or(SupportReason::unknown));
    }
    return row;
  }

  // Marks what the row requires and checks it (§5); called once its fields are all written.
  void check(Row& row, Date start, std::optional<Date> end, bool carer) {
    auto& m = row.mandatory;
    for (auto c :
         {col::la_code, col::reporting_period_start_date, col::reporting_period_end_date,
          col::nhs_number, col::la_person_unique_identifier, col::gender, col::ethnicity,
          col::date_of_birth, col::client_type, col::has_unpaid_carer, col::event_type,
          col::event_start_date, col::event_outcome, col::postcode, col::accommodation_status}) {
      m.set(c);
    }
    if (row.type != EventType::request) m.set(col::primary_support_reason);
    const int age = age_on(details_.date_of_birth, start);
    if (age >= 18 && age < 65) m.set(col::employment_status);
    switch (row.type) {
      case EventType::request:
        m.set(col::event_end_date);
        m.set(col::request_route_of_access);
        break;
      case EventType::assessment:
        m.set(col::event_end_date);
        m.set(col::assessment_type);
        m.set(col::method_of_assessment);
        break;
      case EventType::service:
        if (end) m.set(col::event_end_date);
        m.set(col::service_type);
        m.set(col::service_component);
        m.set(col::client_funding_status);
        break;
      case EventType::review:
        m.set(col::event_end_date);
        m.set(col::review_reason);
        m.set(col::method_of_review);
        m.set(col::client_funding_status);
        break;
    }
    for (std::size_t c = 0; c < field_count; ++c) {
      if (!held(c)) continue;
      row.status[c] = !row.fields[c].empty() ? Status::valid
                      : m.test(c)            ? Status::blank_mandatory
                                             : Status::blank_not_mandatory;
    }

    if (row.fields[col::nhs_number].empty()) {
      find(row, col::nhs_number, Status::blank_mandatory, "mandatory_blank",
           "the person's NHS number is not recorded");
    } else if (!is_valid_nhs_number(row.fields[col::nhs_number])) {
      find(row, col::nhs_number, Status::invalid, "nhs_number",
           "the NHS number fails its Modulus 11 check");
    }
    if (!details_.gender) {
      find(row, col::gender, Status::warning, "defaulted",
           "gender is not recorded: written Unknown");
    }
    if (!details_.ethnicity) {
      find(row, col::ethnicity, Status::warning, "defaulted",
           "ethnicity is not recorded: written Undeclared or Not known");
    }
    if (age < 18) {
      find(row, col::date_of_birth, Status::invalid, "under_18",
           "the person is under 18 at the start");
    }
    if (!carer && (!details_.primary_support_reason || coarse(*details_.primary_support_reason))) {
      find(row, col::primary_support_reason, Status::warning, "defaulted",
           details_.primary_support_reason
               ? "the primary support reason is recorded only coarsely: written Unknown"
               : "the primary support reason is not recorded: written Unknown");
    }
    if (!details_.has_unpaid_carer) {
      find(row, col::has_unpaid_carer, Status::warning, "defaulted",
           "whether the person has an unpaid carer is not recorded: written Unknown");
    }
    if (start > period_.to) {
      find(row, col::event_start_date, Status::invalid, "date_order",
           "the event starts after the period's end");
    } else if (death_ && start > *death_) {
      find(row, col::event_start_date, Status::warning, "after_death",
           "the event starts after the person's death");
    }
    if (end && *end < start) {
      find(row, col::event_end_date, Status::invalid, "date_order",
           "the event ends before it starts");
    } else if (row.type == EventType::service && death_ && (!end || *end > *death_)) {
      find(row, col::event_end_date, Status::warning, "after_death",
           "the service goes on past the person's death");
    }
    std::sort(row.findings.begin(), row.findings.end(),
              [](const Finding& a, const Finding& b) { return a.column < b.column; });
  }

  // A finding on a field; its status is the field's unless the field has a worse one.
  static void find(Row& row, std::size_t column, Status status, std::string_view check,
                   std::string message) {
    row.findings.push_back({column, status, check, std::move(message)});
    auto rank = [](Status s) {
      switch (s) {
        case Status::valid:
        case Status::blank_not_mandatory:
          return 0;
        case Status::warning:
          return 1;
        case Status::blank_mandatory:
        case Status::invalid:
          return 2;
      }
      return 0;
    };
    if (rank(status) >= rank(row.status[column])) row.status[column] = status;
  }

 private:
  Period period_;
  PersonDetails details_;
  std::optional<Date> death_;
  std::array<std::string, field_count> person_fields_;
};

}  // namespace

bool held(std::size_t column) {
  switch (column) {
    case col::gp_practice_code:
    case col::gp_practice_name:
    case col::postcode:
    case col::accommodation_status:
    case col::employment_status:
    case col::autism_spectrum_disorder_asd:
    case col::visual_impairment:
    case col::hearing_impairment:
    case col::dementia:
    case col::client_funding_status:
    case col::method_of_assessment:
    case col::total_hrs_caring_per_week:
    case col::no_of_adults_being_cared_for:
    case col::adult_1_linked_person_id:
    case col::adult_2_linked_person_id:
    case col::adult_3_linked_person_id:
    case col::provider_cqc_location_id:
    case col::provider_cqc_location_name:
    case col::method_of_review:
    case col::unit_cost:
    case col::cost_frequency_unit_type:
    case col::planned_units_per_week:
      return false;
    default:
      return column < field_count;
  }
}

std::variant<Period, FieldError> period_of(const PeriodAsked& asked) {
  if (asked.quarter) {
    if (asked.from || asked.to)
      return FieldError{asked.from ? "from" : "to", "is not given with quarter"};
    const auto quarter = parse_quarter(*asked.quarter);
    if (!quarter) return FieldError{"quarter", "must be a financial quarter such as 2024-25-Q3"};
    return span_of(*quarter, asked.span.value_or(Span::rolling_12_months));
  }
  if (asked.span) return FieldError{"span", "is given only with quarter"};
  if (!asked.from && !asked.to) return FieldError{"quarter", "is required (or from and to)"};
  if (!asked.from) return FieldError{"from", "is required with to"};
  if (!asked.to) return FieldError{"to", "is required with from"};
  if (*asked.to < *asked.from) return FieldError{"to", "must not be before from"};
  return Period{*asked.from, *asked.to};
}

std::string_view status_text(Status status) {
  switch (status) {
    case Status::valid:
      return "Passed: Valid";
    case Status::blank_not_mandatory:
      return "Passed: Blank (Not Mandatory)";
    case Status::blank_mandatory:
      return "Failed: Blank (Mandatory)";
    case Status::invalid:
      return "Failed: Invalid";
    case Status::warning:
      return "Warning";
  }
  return {};
}

std::vector<Row> rows_of(const PersonFacts& facts, const Period& period, std::string_view council) {
  RowMaker maker(facts, period, council);
  struct Made {
    Date start;
    EventType type;
    Row row;
  };
  std::vector<Made> made;
  auto add = [&](Row row, Date start, std::optional<Date> end, bool carer) {
    maker.check(row, start, end, carer);
    const EventType type = row.type;
    made.push_back({start, type, std::move(row)});
  };
  auto carer_assessment = [&](const std::optional<AssessmentId>& id) {
    if (!id) return false;
    for (const auto& a : facts.assessments) {
      if (a.id == *id) return a.kind == AssessmentKind::carer;
    }
    return false;
  };

  for (const auto& request : facts.requests) {
    if (!request.decided_on || !request.outcome || !within(*request.decided_on, period)) continue;
    const bool carer = carer_assessment(request.assessment_id);
    Row row = maker.start(EventType::request, request.id.str(), request.received_on,
                          request.decided_on, carer);
    row.fields[col::event_outcome] = field_text(*request.outcome);
    row.fields[col::request_route_of_access] = field_text(request.route_of_access);
    add(std::move(row), request.received_on, request.decided_on, carer);
  }

  for (const auto& assessment : facts.assessments) {
    const bool carer = assessment.kind == AssessmentKind::carer;
    if (!assessment.request_id && within(assessment.requested_on, period)) {
      Row row = maker.start(EventType::request, assessment.id.str() + "/request",
                            assessment.requested_on, assessment.requested_on, carer);
      row.fields[col::event_description] = std::string(derived_request_description);
      row.fields[col::event_outcome] = field_text(EventOutcome::progress_to_assessment);
      row.fields[col::request_route_of_access] = field_text(RouteOfAccess::community_other);
      maker.check(row, assessment.requested_on, assessment.requested_on, carer);
      RowMaker::find(row, col::event_description, Status::warning, "derived_request",
                     "no request was recorded for the assessment: one is derived from it");
      made.push_back({assessment.requested_on, EventType::request, std::move(row)});
    }
    if (assessment.status != AssessmentStatus::completed || !assessment.completed_on ||
        !within(*assessment.completed_on, period)) {
      continue;
    }
    Row row = maker.start(EventType::assessment, assessment.id.str(), assessment.requested_on,
                          assessment.completed_on, carer);
    const bool eligible = assessment.eligible_needs.value_or(false);
    row.fields[col::event_outcome] =
        field_text(assessment.outcome.value_or(eligible ? EventOutcome::progress_to_support_planning
                                                        : EventOutcome::nfa_information_advice));
    row.fields[col::assessment_type] = std::string(assessment_type_long_term);
    if (assessment.eligible_needs) row.fields[col::eligible_needs_identified] = yes_no(eligible);
    maker.check(row, assessment.requested_on, assessment.completed_on, carer);
    if (!assessment.outcome) {
      RowMaker::find(row, col::event_outcome, Status::warning, "defaulted",
                     "no outcome was recorded: written by eligibility");
    }
    made.push_back({assessment.requested_on, EventType::assessment, std::move(row)});
  }

  for (const auto& episode : facts.episodes) {
    if (episode.started_on > period.to || (episode.ended_on && *episode.ended_on < period.from)) {
      continue;
    }
    const bool open = !episode.ended_on || *episode.ended_on > period.to;
    std::optional<Date> end;
    if (!open) end = episode.ended_on;
    Row row = maker.start(EventType::service, episode.id.str(), episode.started_on, end, false);
    row.fields[col::event_outcome] =
        field_text(open ? EventOutcome::provision_of_service : ended_outcome(episode));
    row.fields[col::service_type] =
        std::string(cld::service_type(episode.kind, episode.setting, episode.short_term_type));
    const auto component = episode.service_component
                               ? episode.service_component
                               : default_component(episode.kind, episode.setting, episode.delivery,
                                                   episode.short_term_type);
    if (component) row.fields[col::service_component] = field_text(*component);
    row.fields[col::delivery_mechanism] = field_text(episode.delivery);
    if (episode.kind == SupportKind::long_term) {
      row.mandatory.set(col::unit_cost);
      row.mandatory.set(col::cost_frequency_unit_type);
      row.mandatory.set(col::planned_units_per_week);
    }
    maker.check(row, episode.started_on, end, false);
    if (!component) {
      RowMaker::find(row, col::service_component, Status::blank_mandatory, "mandatory_blank",
                     "no service component is recorded and none follows from the episode");
    }
    if (!open && is_st_max(episode) && episode.sequel &&
        (*episode.sequel == Sequel::long_term_support ||
         *episode.sequel == Sequel::lower_level_support)) {
      const bool long_term = *episode.sequel == Sequel::long_term_support;
      const bool found = std::any_of(
          facts.episodes.begin(), facts.episodes.end(), [&](const SupportEpisodeState& next) {
            const bool such = long_term ? next.kind == SupportKind::long_term
                                        : next.kind == SupportKind::short_term && !is_st_max(next);
            return such && next.started_on >= *episode.ended_on &&
                   days_between(*episode.ended_on, next.started_on) <= sequel_window_days;
          });
      if (!found) {
        RowMaker::find(row, col::event_outcome, Status::warning, "sequel_unfindable",
                       long_term ? "no long-term support starts within 3 days of the end"
                                 : "no lower-level support starts within 3 days of the end");
      }
    }
    made.push_back({episode.started_on, EventType::service, std::move(row)});
  }

  for (const auto& review : facts.reviews) {
    if (!within(review.reviewed_on, period)) continue;
    Row row = maker.start(EventType::review, review.id.str(), review.reviewed_on,
                          review.reviewed_on, false);
    row.fields[col::event_outcome] = field_text(review_outcome(review.outcome));
    row.fields[col::review_reason] =
        review.planned ? std::string(review_reason_planned)
                       : field_text(review.review_reason.value_or(ReviewReason::unplanned_other));
    if (review.outcomes_achieved) {
      row.fields[col::review_outcomes_achieved] = field_text(*review.outcomes_achieved);
    }
    if (review.planned) row.mandatory.set(col::review_outcomes_achieved);
    maker.check(row, review.reviewed_on, review.reviewed_on, false);
    if (review.planned && !review.outcomes_achieved) {
      RowMaker::find(row, col::review_outcomes_achieved, Status::blank_mandatory, "mandatory_blank",
                     "a planned review needs the outcomes achieved");
    }
    made.push_back({review.reviewed_on, EventType::review, std::move(row)});
  }

  std::sort(made.begin(), made.end(), [](const Made& a, const Made& b) {
    return std::tie(a.start, a.type, a.row.fields[col::event_reference]) <
           std::tie(b.start, b.type, b.row.fields[col::event_reference]);
  });
  std::vector<Row> rows;
  rows.reserve(made.size());
  for (auto& m : made) {
    std::sort(m.row.findings.begin(), m.row.findings.end(),
              [](const Finding& a, const Finding& b) { return a.column < b.column; });
    rows.push_back(std::move(m.row));
  }
  return rows;
}

void QualityReport::add(const Row& row) {
  ++rows_;
  const std::size_t line = static_cast<std::size_t>(rows_) + 1;
  for (std::size_t c = 0; c < field_count; ++c) {
    if (held(c)) {
      ++counts_[c][static_cast<std::size_t>(row.status[c])];
    } else if (row.mandatory.test(c)) {
      ++required_[c];
    }
  }
  for (const auto& finding : row.findings) {
    Item item{line, row.fields[col::event_reference], row.type, finding};
    if (each_) {
      each_(item);
    } else {
      items_.push_back(std::move(item));
    }
  }
}

std::vector<QualityReport::Count> QualityReport::summary() const {
  std::vector<Count> out;
  for (std::size_t c = 0; c < field_count; ++c) {
    if (!held(c)) continue;
    for (std::size_t s = 0; s < counts_[c].size(); ++s) {
      if (counts_[c][s] > 0) out.push_back({c, static_cast<Status>(s), counts_[c][s]});
    }
  }
  return out;
}

std::vector<std::pair<std::size_t, long long>> QualityReport::not_held() const {
  std::vector<std::pair<std::size_t, long long>> out;
  for (std::size_t c = 0; c < field_count; ++c) {
    if (!held(c)) out.emplace_back(c, required_[c]);
  }
  return out;
}

}  // namespace careledger::domain::cld
