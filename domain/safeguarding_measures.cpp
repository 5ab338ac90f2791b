#include "domain/safeguarding_measures.hpp"

#include <algorithm>
#include <string>

#include "domain/support.hpp"

namespace careledger::domain {

namespace {
bool in(Date day, Date from, Date to) {
  return from <= day && day <= to;
}
}  // namespace

bool concluded_within_3_months(const EnquiryFact& enquiry) {
  return enquiry.concluded_on && *enquiry.concluded_on <= add_months(enquiry.started_on, 3);
}

std::vector<OpenItem> open_safeguarding(const std::vector<ConcernFact>& concerns,
                                        const std::vector<EnquiryFact>& enquiries, Date as_at) {
  std::vector<OpenItem> items;
  for (const auto& c : concerns) {
    if (in_support_on(c.received_on, c.decided_on, as_at)) {
      items.push_back({true, c.id.str(), c.person_id, c.team, c.received_on,
                       days_between(c.received_on, as_at)});
    }
  }
  for (const auto& e : enquiries) {
    if (in_support_on(e.started_on, e.concluded_on, as_at)) {
      items.push_back({false, e.id.str(), e.person_id, e.team, e.started_on,
                       days_between(e.started_on, as_at)});
    }
  }
  std::sort(items.begin(), items.end(), [](const OpenItem& a, const OpenItem& b) {
    if (a.days_open != b.days_open) return a.days_open > b.days_open;
    return a.id < b.id;
  });
  return items;
}

std::vector<Measure> safeguarding_measures(const std::vector<ConcernFact>& concerns,
                                           const std::vector<EnquiryFact>& enquiries, Date from,
                                           Date to) {
  long long received = 0;
  for (const auto& c : concerns) received += in(c.received_on, from, to);

  long long section_42 = 0, other = 0;
  long long risk_identified = 0, risk_reduced_or_removed = 0;
  long long concluded = 0, within_3_months = 0;
  long long expressed = 0, not_expressed = 0, not_asked = 0;
  long long fully = 0, partially = 0, not_achieved = 0;
  for (const auto& e : enquiries) {
    if (in(e.started_on, from, to)) ++(e.kind == EnquiryKind::section_42 ? section_42 : other);
    if (!e.concluded_on || !in(*e.concluded_on, from, to)) continue;
    ++concluded;
    within_3_months += concluded_within_3_months(e);
    if (e.kind == EnquiryKind::section_42 && e.risk_identified == RiskIdentified::yes) {
      ++risk_identified;
      risk_reduced_or_removed +=
          e.risk_outcome == RiskOutcome::reduced || e.risk_outcome == RiskOutcome::removed;
    }
    switch (e.outcomes_asked.value_or(OutcomesAsked::not_asked)) {
      case OutcomesAsked::expressed:
        ++expressed;
        break;
      case OutcomesAsked::not_expressed:
        ++not_expressed;
        break;
      case OutcomesAsked::not_asked:
        ++not_asked;
        break;
    }
    if (e.outcomes_achieved == OutcomesAchieved::fully) ++fully;
    if (e.outcomes_achieved == OutcomesAchieved::partially) ++partially;
    if (e.outcomes_achieved == OutcomesAchieved::not_achieved) ++not_achieved;
  }
  const auto open = open_safeguarding(concerns, enquiries, to);
  const long long open_concerns =
      std::count_if(open.begin(), open.end(), [](const OpenItem& i) { return i.is_concern; });
  const long long open_enquiries = static_cast<long long>(open.size()) - open_concerns;

  return {
      count_measure("safeguarding.concerns_received", received),
      count_measure("safeguarding.enquiries_started", section_42 + other),
      count_measure("safeguarding.enquiries_started.section_42", section_42),
      count_measure("safeguarding.enquiries_started.other", other),
      rate_measure("safeguarding.conversion_rate", section_42 + other, received),
      rate_measure("safeguarding.risk_reduced_or_removed", risk_reduced_or_removed,
                   risk_identified),
      rate_measure("safeguarding.concluded_within_3_months", within_3_months, concluded),
      count_measure("safeguarding.open", open_concerns + open_enquiries),
      count_measure("safeguarding.open.concerns_awaiting_decision", open_concerns),
      count_measure("safeguarding.open.enquiries_open", open_enquiries),
      count_measure("safeguarding.msp", concluded),
      count_measure("safeguarding.msp.expressed", expressed),
      count_measure("safeguarding.msp.not_expressed", not_expressed),
      count_measure("safeguarding.msp.not_asked", not_asked),
      count_measure("safeguarding.msp.fully", fully),
      count_measure("safeguarding.msp.partially", partially),
      count_measure("safeguarding.msp.not", not_achieved),
  };
}

}  // namespace careledger::domain
