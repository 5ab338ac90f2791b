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

bool counts_for_risk(const EnquiryFact& e) {
  return e.kind == EnquiryKind::section_42 && e.risk_identified == RiskIdentified::yes;
}

bool risk_reduced_or_removed(const EnquiryFact& e) {
  return e.risk_outcome == RiskOutcome::reduced || e.risk_outcome == RiskOutcome::removed;
}

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

SafeguardingFigures safeguarding_figures(const std::vector<ConcernFact>& concerns,
                                         const std::vector<EnquiryFact>& enquiries, Date from,
                                         Date to) {
  SafeguardingFigures f;
  for (const auto& c : concerns) f.received += in(c.received_on, from, to);
  for (const auto& e : enquiries) {
    if (in(e.started_on, from, to)) ++(e.kind == EnquiryKind::section_42 ? f.section_42 : f.other);
    if (!e.concluded_on || !in(*e.concluded_on, from, to)) continue;
    ++f.concluded;
    f.within_3_months += concluded_within_3_months(e);
    if (counts_for_risk(e)) {
      ++f.risk_identified;
      f.risk_reduced_or_removed += risk_reduced_or_removed(e);
    }
    switch (e.outcomes_asked.value_or(OutcomesAsked::not_asked)) {
      case OutcomesAsked::expressed:
        ++f.expressed;
        break;
      case OutcomesAsked::not_expressed:
        ++f.not_expressed;
        break;
      case OutcomesAsked::not_asked:
        ++f.not_asked;
        break;
    }
    if (e.outcomes_achieved == OutcomesAchieved::fully) ++f.fully;
    if (e.outcomes_achieved == OutcomesAchieved::partially) ++f.partially;
    if (e.outcomes_achieved == OutcomesAchieved::not_achieved) ++f.not_achieved;
  }
  const auto open = open_safeguarding(concerns, enquiries, to);
  f.open_concerns =
      std::count_if(open.begin(), open.end(), [](const OpenItem& i) { return i.is_concern; });
  f.open_enquiries = static_cast<long long>(open.size()) - f.open_concerns;
  return f;
}

std::vector<Measure> safeguarding_measures(const SafeguardingFigures& f) {
  return {
      count_measure("safeguarding.concerns_received", f.received),
      count_measure("safeguarding.enquiries_started", f.section_42 + f.other),
      count_measure("safeguarding.enquiries_started.section_42", f.section_42),
      count_measure("safeguarding.enquiries_started.other", f.other),
      rate_measure("safeguarding.conversion_rate", f.section_42 + f.other, f.received),
      rate_measure("safeguarding.risk_reduced_or_removed", f.risk_reduced_or_removed,
                   f.risk_identified),
      rate_measure("safeguarding.concluded_within_3_months", f.within_3_months, f.concluded),
      count_measure("safeguarding.open", f.open_concerns + f.open_enquiries),
      count_measure("safeguarding.open.concerns_awaiting_decision", f.open_concerns),
      count_measure("safeguarding.open.enquiries_open", f.open_enquiries),
      count_measure("safeguarding.msp", f.concluded),
      count_measure("safeguarding.msp.expressed", f.expressed),
      count_measure("safeguarding.msp.not_expressed", f.not_expressed),
      count_measure("safeguarding.msp.not_asked", f.not_asked),
      count_measure("safeguarding.msp.fully", f.fully),
      count_measure("safeguarding.msp.partially", f.partially),
      count_measure("safeguarding.msp.not", f.not_achieved),
  };
}

std::vector<Measure> safeguarding_measures(const std::vector<ConcernFact>& concerns,
                                           const std::vector<EnquiryFact>& enquiries, Date from,
                                           Date to) {
  return safeguarding_measures(safeguarding_figures(concerns, enquiries, from, to));
}

}  // namespace careledger::domain
