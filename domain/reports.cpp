#include "domain/reports.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace careledger::domain {

Date FinancialYear::start() const {
  return Date{date::year{first_year} / date::April / 1};
}
Date FinancialYear::end() const {
  return Date{date::year{first_year + 1} / date::March / 31};
}

std::string FinancialYear::label() const {
  const int next = (first_year + 1) % 100;
  return std::to_string(first_year) + "-" + (next < 10 ? "0" : "") + std::to_string(next);
}

std::optional<FinancialYear> parse_financial_year(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int first = 0, second = 0;
  auto a = std::from_chars(text.data(), text.data() + 4, first);
  auto b = std::from_chars(text.data() + 5, text.data() + 7, second);
  if (a.ec != std::errc{} || a.ptr != text.data() + 4 || b.ec != std::errc{} ||
      b.ptr != text.data() + 7 || first < 1900 || (first + 1) % 100 != second) {
    return std::nullopt;
  }
  return FinancialYear{first};
}

FinancialYear financial_year_of(Date day) {
  return FinancialYear{static_cast<int>(date::year_month_day{financial_year_start(day)}.year())};
}

FinancialYear latest_ended_financial_year(Date today) {
  const FinancialYear current = financial_year_of(today);
  return has_ended(current.end(), today) ? current : current.previous();
}

std::vector<Measure> withheld(std::vector<Measure> measures) {
  for (auto& m : measures) {
    m.value = m.numerator = m.denominator = std::nullopt;
    m.detail = std::nullopt;
  }
  return measures;
}

std::vector<ReportPeriod> monthly_report_periods(const FinancialYear& year) {
  std::vector<ReportPeriod> periods;
  for (int m = 0; m < 12; ++m) {
    const Date from = add_months(year.start(), m);
    const Date to = add_months(year.start(), m + 1) - date::days{1};
    periods.push_back({date::format("%Y-%m", from), from, to});
  }
  for (int q = 0; q < 4; ++q) {
    periods.push_back({"Q" + std::to_string(q + 1), add_months(year.start(), 3 * q),
                       add_months(year.start(), 3 * q + 3) - date::days{1}});
  }
  periods.push_back({year.label(), year.start(), year.end()});
  return periods;
}

namespace {

// Reading 18. A measure's parts take its side unless listed themselves.
constexpr std::array<std::pair<std::string_view, Better>, 14> sides{{
    {"assessments.waiting_list", Better::lower},
    {"assessments.waiting_list_by_wait", Better::lower},
    {"assessments.average_days_to_complete", Better::lower},
    {"reviews.overdue", Better::lower},
    {"safeguarding.open", Better::lower},
    {"deferred_payments.disregard_ending", Better::lower},
    {"deferred_payments.unarranged", Better::lower},
    {"ascof.2b", Better::lower},
    {"ascof.2c", Better::lower},
    {"reviews.long_term_12_months_reviewed", Better::higher},
    {"safeguarding.risk_reduced_or_removed", Better::higher},
    {"safeguarding.concluded_within_3_months", Better::higher},
    {"ascof.2a", Better::higher},
    {"ascof.3d", Better::higher},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 67> labels{{
    {"assessments.waiting_list", "People waiting for an assessment"},
    {"assessments.waiting_list_by_wait", "People waiting, by wait"},
    {"assessments.waiting_list_by_wait.days_0_27", "Waiting 0-27 days"},
    {"assessments.waiting_list_by_wait.days_28_89", "Waiting 28-89 days"},
    {"assessments.waiting_list_by_wait.days_90_179", "Waiting 90-179 days"},
    {"assessments.waiting_list_by_wait.days_180_364", "Waiting 180-364 days"},
    {"assessments.waiting_list_by_wait.days_365_plus", "Waiting 365 days or more"},
    {"assessments.waiting_list_by_wait.urgent", "Waiting, urgent priority"},
    {"assessments.waiting_list_by_wait.high", "Waiting, high priority"},
    {"assessments.waiting_list_by_wait.medium", "Waiting, medium priority"},
    {"assessments.waiting_list_by_wait.low", "Waiting, low priority"},
    {"assessments.average_days_to_complete", "Average days to complete an assessment"},
    {"assessments.average_days_to_complete.median", "Median days to complete an assessment"},
    {"assessments.average_days_to_complete.p90", "90th percentile days to complete"},
    {"assessments.completed", "Assessments completed"},
    {"assessments.requested", "Assessments requested"},
    {"reviews.long_term_12_months_reviewed", "Long-term clients reviewed (LTS002b)"},
    {"reviews.overdue", "People overdue a review"},
    {"reviews.overdue.over_three_years", "People over three years without a review"},
    {"safeguarding.concerns_received", "Safeguarding concerns received"},
    {"safeguarding.enquiries_started", "Safeguarding enquiries started"},
    {"safeguarding.enquiries_started.section_42", "Section 42 enquiries started"},
    {"safeguarding.enquiries_started.other", "Other enquiries started"},
    {"safeguarding.conversion_rate", "Concern to enquiry conversion rate"},
    {"safeguarding.risk_reduced_or_removed", "Enquiries with risk reduced or removed"},
    {"safeguarding.concluded_within_3_months", "Enquiries concluded within 3 months"},
    {"safeguarding.open", "Open safeguarding work"},
    {"safeguarding.open.concerns_awaiting_decision", "Concerns awaiting a decision"},
    {"safeguarding.open.enquiries_open", "Enquiries open"},
    {"safeguarding.msp", "Enquiries concluded (Making Safeguarding Personal)"},
    {"safeguarding.msp.expressed", "Desired outcomes expressed"},
    {"safeguarding.msp.not_expressed", "Desired outcomes not expressed"},
    {"safeguarding.msp.not_asked", "Desired outcomes not asked"},
    {"safeguarding.msp.fully", "Desired outcomes fully achieved"},
    {"safeguarding.msp.partially", "Desired outcomes partially achieved"},
    {"safeguarding.msp.not", "Desired outcomes not achieved"},
    {"deferred_payments.disregard_ending", "Disregards ending soon with no arrangement"},
    {"deferred_payments.unarranged", "Disregards ended with no arrangement"},
    {"deferred_payments.active", "Deferred payment agreements active"},
    {"deferred_payments.signed", "Deferred payment agreements signed"},
    {"deferred_payments.total_outstanding", "Deferred payments outstanding (pence)"},
    {"ascof.2a", "ASCOF 2A: short-term support with no further request"},
    {"ascof.2b", "ASCOF 2B: care home admissions 18-64 per 100,000"},
    {"ascof.2c", "ASCOF 2C: care home admissions 65+ per 100,000"},
    {"ascof.3d", "ASCOF 3D: people in community long-term support"},
    {"ascof.3d.part_1a", "ASCOF 3D(1a): self-directed support"},
    {"ascof.3d.part_2a", "ASCOF 3D(2a): direct payments"},
    {"support.long_term_clients", "People in long-term support"},
    {"support.long_term_clients.age_18_64", "People in long-term support aged 18-64"},
    {"support.long_term_clients.age_65_plus", "People in long-term support aged 65+"},
    {"support.long_term_clients.nursing", "People in long-term support: nursing care"},
    {"support.long_term_clients.residential", "People in long-term support: residential care"},
    {"support.long_term_clients.community", "People in long-term support: community"},
    {"requests.completed", "Requests for support completed"},
    {"requests.completed.derived", "Requests derived from assessments"},
    {"requests.new_clients", "New clients requesting support"},
    {"requests.new_clients.planned_entry_transition", "New clients: planned entry (transition)"},
    {"requests.new_clients.discharge_from_hospital", "New clients: discharge from hospital"},
    {"requests.new_clients.diversion_from_hospital",
     "New clients: diversion from hospital services"},
    {"requests.new_clients.community_other", "New clients: community or other route"},
    {"requests.new_clients.prison", "New clients: prison"},
    {"requests.new_clients.self_funder", "New clients: self-funder"},
    {"requests.new_clients.discharge_from_reablement", "New clients: discharge from reablement"},
    {"requests.new_clients.transfer_from_other_la", "New clients: transfer from another council"},
    {"reviews.completed", "Reviews completed"},
    {"safeguarding.enquiries_concluded", "Safeguarding enquiries concluded"},
    {"deferred_payments.placements_started", "Care home placements started"},
}};

}  // namespace

std::optional<Better> better_side(std::string_view id) {
  for (const auto& [measure, side] : sides) {
    if (id == measure ||
        (id.starts_with(measure) && id.size() > measure.size() && id[measure.size()] == '.')) {
      return side;
    }
  }
  return std::nullopt;
}

std::string label_of(std::string_view id) {
  for (const auto& [measure, label] : labels) {
    if (id == measure) return std::string(label);
  }
  return std::string(id);
}

std::vector<Measure> report_extras(long long reviews, long long concluded, long long started) {
  return {
      count_measure("reviews.completed", reviews),
      count_measure("safeguarding.enquiries_concluded", concluded),
      count_measure("deferred_payments.placements_started", started),
  };
}

bool is_rate(const Measure& m) {
  return m.unit == Unit::percent || m.unit == Unit::per_100000;
}

bool is_quarter_average(std::string_view id) {
  return id.starts_with("assessments.average_days_to_complete");
}

std::optional<std::string> direction_of_travel(const Measure& current,
                                               const std::optional<double>& previous) {
  const auto side = better_side(current.id);
  if (!side || !current.value || !previous) return std::nullopt;
  const double change = *current.value - *previous;
  const double tolerance = current.unit == Unit::percent ? 0.5 : std::fabs(*previous) * 0.01;
  if (std::fabs(change) <= tolerance) return "↔";
  const bool improved = *side == Better::higher ? change > 0 : change < 0;
  return improved ? "↑" : "↓";
}

}  // namespace careledger::domain
