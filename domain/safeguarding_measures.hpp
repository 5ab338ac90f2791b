#pragma once
// The safeguarding measures of MEASURES.md as pure functions (readings 9, 17).

#include <optional>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/codes.hpp"
#include "domain/measure.hpp"
#include "domain/strong.hpp"

namespace careledger::domain {

struct ConcernFact {
  ConcernId id;
  PersonId person_id;
  Team team;
  Date received_on;
  std::optional<Date> decided_on;
};

struct EnquiryFact {
  EnquiryId id;
  PersonId person_id;
  Team team;
  EnquiryKind kind = EnquiryKind::section_42;
  Date started_on;
  std::optional<Date> concluded_on;
  std::optional<RiskIdentified> risk_identified;
  std::optional<RiskOutcome> risk_outcome;
  std::optional<OutcomesAsked> outcomes_asked;
  std::optional<OutcomesAchieved> outcomes_achieved;
};

// `safeguarding.risk_reduced_or_removed` counts section 42 enquiries with a risk identified
// (reading 9), and of them those whose risk was reduced or removed.
bool counts_for_risk(const EnquiryFact& enquiry);
bool risk_reduced_or_removed(const EnquiryFact& enquiry);

// On or before the same day-of-month three months after the start (clamped to month end).
bool concluded_within_3_months(const EnquiryFact& enquiry);

// One item of the open safeguarding work as at a date.
struct OpenItem {
  bool is_concern = true;
  std::string id;
  PersonId person_id;
  Team team;
  Date since;
  int days_open = 0;
};
// Concerns awaiting a decision and enquiries not concluded as at `as_at`, longest open first.
std::vector<OpenItem> open_safeguarding(const std::vector<ConcernFact>& concerns,
                                        const std::vector<EnquiryFact>& enquiries, Date as_at);

// The counts the `safeguarding.*` entries are made of: over [from, to], open as at `to`.
struct SafeguardingFigures {
  long long received = 0;
  long long section_42 = 0, other = 0;  // enquiries started
  long long concluded = 0, within_3_months = 0;
  long long risk_identified = 0, risk_reduced_or_removed = 0;  // section 42 enquiries concluded
  long long expressed = 0, not_expressed = 0, not_asked = 0;
  long long fully = 0, partially = 0, not_achieved = 0;
  long long open_concerns = 0, open_enquiries = 0;
  friend bool operator==(const SafeguardingFigures&, const SafeguardingFigures&) = default;
};
SafeguardingFigures safeguarding_figures(const std::vector<ConcernFact>& concerns,
                                         const std::vector<EnquiryFact>& enquiries, Date from,
                                         Date to);
std::vector<Measure> safeguarding_measures(const SafeguardingFigures& figures);

// `safeguarding.*` entries over [from, to], as-at figures as at `to`.
std::vector<Measure> safeguarding_measures(const std::vector<ConcernFact>& concerns,
                                           const std::vector<EnquiryFact>& enquiries, Date from,
                                           Date to);

}  // namespace careledger::domain
