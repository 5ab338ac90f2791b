#include "domain/codes.hpp"

// Every code table must be complete: each enumerator spelled once.
namespace careledger::domain {
static_assert(CodeTable<Priority>::entries.size() == 4);
static_assert(CodeTable<ClosureReason>::entries.size() == 5);
static_assert(CodeTable<SupportReason>::entries.size() == 16);
static_assert(CodeTable<Gender>::entries.size() == 4);
static_assert(CodeTable<Ethnicity>::entries.size() == 21);
static_assert(CodeTable<UnpaidCarer>::entries.size() == 3);
static_assert(CodeTable<ShortTermType>::entries.size() == 3);
static_assert(CodeTable<ServiceComponent>::entries.size() == 12);
static_assert(CodeTable<RouteOfAccess>::entries.size() == 8);
static_assert(CodeTable<ReviewReason>::entries.size() == 6);
static_assert(CodeTable<OutcomesMet>::entries.size() == 3);
static_assert(CodeTable<EventOutcome>::entries.size() == 19);

bool outcome_allowed(EventOutcome outcome, OutcomeOf of) {
  using enum EventOutcome;
  switch (outcome) {
    case progress_to_reablement:
    case nfa_information_advice:
    case nfa_no_services_other:
    case nfa_other:
      return of == OutcomeOf::request || of == OutcomeOf::assessment;
    case progress_to_assessment:
      return of == OutcomeOf::request;
    case admitted_to_hospital:
    case progress_to_support_planning:
    case progress_to_end_of_life_care:
    case nfa_deceased:
    case nfa_moved_to_another_la:
    case nfa_nhs_funded:
    case nfa_self_funded:
    case nfa_support_declined:
      return true;
    case service_ended_as_planned:
    case nfa_support_ended_other:
      return of == OutcomeOf::episode_end;
    case progress_to_reassessment:
    case progress_to_financial_assessment:
    case no_change_in_package:
    case provision_of_service:
      return false;
  }
  return false;
}

}  // namespace careledger::domain
