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

// `safeguarding.*` entries over [from, to], as-at figures as at `to`.
std::vector<Measure> safeguarding_measures(const std::vector<ConcernFact>& concerns,
                                           const std::vector<EnquiryFact>& enquiries, Date from,
                                           Date to);

}  // namespace careledger::domain
