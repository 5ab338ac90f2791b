#pragma once
// The coded values of the casework, each with its exact spelling in the API and the store.
// A new code list is an enum plus one CodeTable specialisation.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace careledger::domain {

enum class Priority { urgent, high, medium, low };  // in this order: urgent ranks first
enum class AssessmentKind { needs, carer };
enum class ClosureReason { withdrawn, deceased, moved_away, declined, duplicate };
enum class ClientType { service_user, carer };
// The Client Level Data list (CLD.md §3); the first six are the coarser reasons recorded before
// it, still accepted (their CLD text is Unknown).
enum class SupportReason {
  physical_support,
  sensory_support,
  memory_and_cognition,
  learning_disability,
  mental_health,
  social_support,
  physical_access_mobility,
  physical_personal_care,
  sensory_visual,
  sensory_hearing,
  sensory_dual,
  social_substance_misuse,
  social_asylum_seeker,
  social_isolation_other,
  social_support_to_carer,
  unknown
};
enum class Role { admin, team_leader, practitioner, analyst };
enum class SupportKind { long_term, short_term };
enum class Setting { community, residential, nursing };
enum class Delivery {
  direct_payment,
  managed_personal_budget,
  individual_service_fund,
  council_arranged
};
enum class Sequel { no_ongoing_support, lower_level_support, long_term_support, other };
enum class ReviewOutcome { no_change, support_changed, support_ended };

enum class ConcernSource {
  customer_services,
  hospital,
  practitioner,
  police,
  health,
  provider,
  family,
  self,
  other
};
enum class AbuseType {
  physical,
  sexual,
  psychological,
  financial,
  discriminatory,
  organisational,
  neglect,
  domestic,
  sexual_exploitation,
  modern_slavery,
  self_neglect
};
enum class RiskLocation { own_home, care_home, hospital, community, other };
enum class ConcernOutcome { section_42_enquiry, other_enquiry, no_further_action };
enum class EnquiryKind { section_42, other };
enum class RiskIdentified { yes, no, inconclusive };
enum class RiskOutcome { removed, reduced, remains };
enum class OutcomesAsked { expressed, not_expressed, not_asked };
enum class OutcomesAchieved { fully, partially, not_achieved };
enum class TerminationReason { deceased, property_sold, left_care_home, other };

// What Client Level Data asks of a person, an episode, a review and a request (CLD.md §3).
enum class Gender { male, female, other, unknown };
enum class Ethnicity {
  white_british,
  white_irish,
  white_gypsy_irish_traveller,
  white_roma,
  white_other,
  mixed_white_black_caribbean,
  mixed_white_black_african,
  mixed_white_asian,
  mixed_other,
  asian_indian,
  asian_pakistani,
  asian_bangladeshi,
  asian_chinese,
  asian_other,
  black_african,
  black_caribbean,
  black_other,
  arab,
  other_ethnic_group,
  refused,
  not_known
};
enum class UnpaidCarer { yes, no, unknown };
// A short-term episode's kind; ST-Max unless recorded otherwise.
enum class ShortTermType { st_max, ongoing_low_level, other_short_term };
enum class ServiceComponent {
  reablement,
  short_term_residential,
  short_term_nursing,
  other_short_term_support,
  equipment,
  home_support,
  community_supported_living,
  extra_care_housing,
  shared_lives,
  direct_payment,
  long_term_residential,
  long_term_nursing
};
// Its position is stored (the key of the new-clients counter, domain/running_totals.hpp):
// append, never reorder.
enum class RouteOfAccess {
  planned_entry_transition,
  discharge_from_hospital,
  diversion_from_hospital,
  community_other,
  prison,
  self_funder,
  discharge_from_reablement,
  transfer_from_other_la
};
// Why an unplanned review happened (a planned review's reason is Planned).
enum class ReviewReason {
  unplanned_hospital,
  unplanned_carer,
  unplanned_safeguarding,
  unplanned_other,
  unplanned_provider_failure,
  unplanned_commissioning_change
};
// How far a planned review found the person's outcomes met.
enum class OutcomesMet { fully_met, partially_met, not_met };
// The outcome of a request, an assessment or an episode's end, in CLD's vocabulary (CLD.md §3).
enum class EventOutcome {
  progress_to_reablement,
  progress_to_assessment,
  admitted_to_hospital,
  progress_to_reassessment,
  progress_to_support_planning,
  progress_to_end_of_life_care,
  no_change_in_package,
  service_ended_as_planned,
  progress_to_financial_assessment,
  provision_of_service,
  nfa_deceased,
  nfa_moved_to_another_la,
  nfa_nhs_funded,
  nfa_information_advice,
  nfa_self_funded,
  nfa_support_declined,
  nfa_support_ended_other,
  nfa_no_services_other,
  nfa_other
};

template <typename E>
struct CodeTable;

template <>
struct CodeTable<Priority> {
  static constexpr std::array<std::pair<Priority, std::string_view>, 4> entries{{
      {Priority::urgent, "urgent"},
      {Priority::high, "high"},
      {Priority::medium, "medium"},
      {Priority::low, "low"},
  }};
};
template <>
struct CodeTable<AssessmentKind> {
  static constexpr std::array<std::pair<AssessmentKind, std::string_view>, 2> entries{{
      {AssessmentKind::needs, "needs"},
      {AssessmentKind::carer, "carer"},
  }};
};
template <>
struct CodeTable<ClosureReason> {
  static constexpr std::array<std::pair<ClosureReason, std::string_view>, 5> entries{{
      {ClosureReason::withdrawn, "withdrawn"},
      {ClosureReason::deceased, "deceased"},
      {ClosureReason::moved_away, "moved_away"},
      {ClosureReason::declined, "declined"},
      {ClosureReason::duplicate, "duplicate"},
  }};
};
template <>
struct CodeTable<ClientType> {
  static constexpr std::array<std::pair<ClientType, std::string_view>, 2> entries{{
      {ClientType::service_user, "service_user"},
      {ClientType::carer, "carer"},
  }};
};
template <>
struct CodeTable<SupportReason> {
  static constexpr std::array<std::pair<SupportReason, std::string_view>, 16> entries{{
      {SupportReason::physical_support, "physical_support"},
      {SupportReason::sensory_support, "sensory_support"},
      {SupportReason::memory_and_cognition, "memory_and_cognition"},
      {SupportReason::learning_disability, "learning_disability"},
      {SupportReason::mental_health, "mental_health"},
      {SupportReason::social_support, "social_support"},
      {SupportReason::physical_access_mobility, "physical_access_mobility"},
      {SupportReason::physical_personal_care, "physical_personal_care"},
      {SupportReason::sensory_visual, "sensory_visual"},
      {SupportReason::sensory_hearing, "sensory_hearing"},
      {SupportReason::sensory_dual, "sensory_dual"},
      {SupportReason::social_substance_misuse, "social_substance_misuse"},
      {SupportReason::social_asylum_seeker, "social_asylum_seeker"},
      {SupportReason::social_isolation_other, "social_isolation_other"},
      {SupportReason::social_support_to_carer, "social_support_to_carer"},
      {SupportReason::unknown, "unknown"},
  }};
};
template <>
struct CodeTable<Role> {
  static constexpr std::array<std::pair<Role, std::string_view>, 4> entries{{
      {Role::admin, "admin"},
      {Role::team_leader, "team_leader"},
      {Role::practitioner, "practitioner"},
      {Role::analyst, "analyst"},
  }};
};

template <>
struct CodeTable<SupportKind> {
  static constexpr std::array<std::pair<SupportKind, std::string_view>, 2> entries{{
      {SupportKind::long_term, "long_term"},
      {SupportKind::short_term, "short_term"},
  }};
};
template <>
struct CodeTable<Setting> {
  static constexpr std::array<std::pair<Setting, std::string_view>, 3> entries{{
      {Setting::community, "community"},
      {Setting::residential, "residential"},
      {Setting::nursing, "nursing"},
  }};
};
template <>
struct CodeTable<Delivery> {
  static constexpr std::array<std::pair<Delivery, std::string_view>, 4> entries{{
      {Delivery::direct_payment, "direct_payment"},
      {Delivery::managed_personal_budget, "managed_personal_budget"},
      {Delivery::individual_service_fund, "individual_service_fund"},
      {Delivery::council_arranged, "council_arranged"},
  }};
};
template <>
struct CodeTable<Sequel> {
  static constexpr std::array<std::pair<Sequel, std::string_view>, 4> entries{{
      {Sequel::no_ongoing_support, "no_ongoing_support"},
      {Sequel::lower_level_support, "lower_level_support"},
      {Sequel::long_term_support, "long_term_support"},
      {Sequel::other, "other"},
  }};
};
template <>
struct CodeTable<ReviewOutcome> {
  static constexpr std::array<std::pair<ReviewOutcome, std::string_view>, 3> entries{{
      {ReviewOutcome::no_change, "no_change"},
      {ReviewOutcome::support_changed, "support_changed"},
      {ReviewOutcome::support_ended, "support_ended"},
  }};
};

template <>
struct CodeTable<ConcernSource> {
  static constexpr std::array<std::pair<ConcernSource, std::string_view>, 9> entries{{
      {ConcernSource::customer_services, "customer_services"},
      {ConcernSource::hospital, "hospital"},
      {ConcernSource::practitioner, "practitioner"},
      {ConcernSource::police, "police"},
      {ConcernSource::health, "health"},
      {ConcernSource::provider, "provider"},
      {ConcernSource::family, "family"},
      {ConcernSource::self, "self"},
      {ConcernSource::other, "other"},
  }};
};
template <>
struct CodeTable<AbuseType> {
  static constexpr std::array<std::pair<AbuseType, std::string_view>, 11> entries{{
      {AbuseType::physical, "physical"},
      {AbuseType::sexual, "sexual"},
      {AbuseType::psychological, "psychological"},
      {AbuseType::financial, "financial"},
      {AbuseType::discriminatory, "discriminatory"},
      {AbuseType::organisational, "organisational"},
      {AbuseType::neglect, "neglect"},
      {AbuseType::domestic, "domestic"},
      {AbuseType::sexual_exploitation, "sexual_exploitation"},
      {AbuseType::modern_slavery, "modern_slavery"},
      {AbuseType::self_neglect, "self_neglect"},
  }};
};
template <>
struct CodeTable<RiskLocation> {
  static constexpr std::array<std::pair<RiskLocation, std::string_view>, 5> entries{{
      {RiskLocation::own_home, "own_home"},
      {RiskLocation::care_home, "care_home"},
      {RiskLocation::hospital, "hospital"},
      {RiskLocation::community, "community"},
      {RiskLocation::other, "other"},
  }};
};
template <>
struct CodeTable<ConcernOutcome> {
  static constexpr std::array<std::pair<ConcernOutcome, std::string_view>, 3> entries{{
      {ConcernOutcome::section_42_enquiry, "section_42_enquiry"},
      {ConcernOutcome::other_enquiry, "other_enquiry"},
      {ConcernOutcome::no_further_action, "no_further_action"},
  }};
};
template <>
struct CodeTable<EnquiryKind> {
  static constexpr std::array<std::pair<EnquiryKind, std::string_view>, 2> entries{{
      {EnquiryKind::section_42, "section_42"},
      {EnquiryKind::other, "other"},
  }};
};
template <>
struct CodeTable<RiskIdentified> {
  static constexpr std::array<std::pair<RiskIdentified, std::string_view>, 3> entries{{
      {RiskIdentified::yes, "yes"},
      {RiskIdentified::no, "no"},
      {RiskIdentified::inconclusive, "inconclusive"},
  }};
};
template <>
struct CodeTable<RiskOutcome> {
  static constexpr std::array<std::pair<RiskOutcome, std::string_view>, 3> entries{{
      {RiskOutcome::removed, "removed"},
      {RiskOutcome::reduced, "reduced"},
      {RiskOutcome::remains, "remains"},
  }};
};
template <>
struct CodeTable<OutcomesAsked> {
  static constexpr std::array<std::pair<OutcomesAsked, std::string_view>, 3> entries{{
      {OutcomesAsked::expressed, "expressed"},
      {OutcomesAsked::not_expressed, "not_expressed"},
      {OutcomesAsked::not_asked, "not_asked"},
  }};
};
template <>
struct CodeTable<OutcomesAchieved> {
  static constexpr std::array<std::pair<OutcomesAchieved, std::string_view>, 3> entries{{
      {OutcomesAchieved::fully, "fully"},
      {OutcomesAchieved::partially, "partially"},
      {OutcomesAchieved::not_achieved, "not"},
  }};
};

template <>
struct CodeTable<TerminationReason> {
  static constexpr std::array<std::pair<TerminationReason, std::string_view>, 4> entries{{
      {TerminationReason::deceased, "deceased"},
      {TerminationReason::property_sold, "property_sold"},
      {TerminationReason::left_care_home, "left_care_home"},
      {TerminationReason::other, "other"},
  }};
};

template <>
struct CodeTable<Gender> {
  static constexpr std::array<std::pair<Gender, std::string_view>, 4> entries{{
      {Gender::male, "male"},
      {Gender::female, "female"},
      {Gender::other, "other"},
      {Gender::unknown, "unknown"},
  }};
};
template <>
struct CodeTable<Ethnicity> {
  static constexpr std::array<std::pair<Ethnicity, std::string_view>, 21> entries{{
      {Ethnicity::white_british, "white_british"},
      {Ethnicity::white_irish, "white_irish"},
      {Ethnicity::white_gypsy_irish_traveller, "white_gypsy_irish_traveller"},
      {Ethnicity::white_roma, "white_roma"},
      {Ethnicity::white_other, "white_other"},
      {Ethnicity::mixed_white_black_caribbean, "mixed_white_black_caribbean"},
      {Ethnicity::mixed_white_black_african, "mixed_white_black_african"},
      {Ethnicity::mixed_white_asian, "mixed_white_asian"},
      {Ethnicity::mixed_other, "mixed_other"},
      {Ethnicity::asian_indian, "asian_indian"},
      {Ethnicity::asian_pakistani, "asian_pakistani"},
      {Ethnicity::asian_bangladeshi, "asian_bangladeshi"},
      {Ethnicity::asian_chinese, "asian_chinese"},
      {Ethnicity::asian_other, "asian_other"},
      {Ethnicity::black_african, "black_african"},
      {Ethnicity::black_caribbean, "black_caribbean"},
      {Ethnicity::black_other, "black_other"},
      {Ethnicity::arab, "arab"},
      {Ethnicity::other_ethnic_group, "other_ethnic_group"},
      {Ethnicity::refused, "refused"},
      {Ethnicity::not_known, "not_known"},
  }};
};
template <>
struct CodeTable<UnpaidCarer> {
  static constexpr std::array<std::pair<UnpaidCarer, std::string_view>, 3> entries{{
      {UnpaidCarer::yes, "yes"},
      {UnpaidCarer::no, "no"},
      {UnpaidCarer::unknown, "unknown"},
  }};
};
template <>
struct CodeTable<ShortTermType> {
  static constexpr std::array<std::pair<ShortTermType, std::string_view>, 3> entries{{
      {ShortTermType::st_max, "st_max"},
      {ShortTermType::ongoing_low_level, "ongoing_low_level"},
      {ShortTermType::other_short_term, "other_short_term"},
  }};
};
template <>
struct CodeTable<ServiceComponent> {
  static constexpr std::array<std::pair<ServiceComponent, std::string_view>, 12> entries{{
      {ServiceComponent::reablement, "reablement"},
      {ServiceComponent::short_term_residential, "short_term_residential"},
      {ServiceComponent::short_term_nursing, "short_term_nursing"},
      {ServiceComponent::other_short_term_support, "other_short_term_support"},
      {ServiceComponent::equipment, "equipment"},
      {ServiceComponent::home_support, "home_support"},
      {ServiceComponent::community_supported_living, "community_supported_living"},
      {ServiceComponent::extra_care_housing, "extra_care_housing"},
      {ServiceComponent::shared_lives, "shared_lives"},
      {ServiceComponent::direct_payment, "direct_payment"},
      {ServiceComponent::long_term_residential, "long_term_residential"},
      {ServiceComponent::long_term_nursing, "long_term_nursing"},
  }};
};
template <>
struct CodeTable<RouteOfAccess> {
  static constexpr std::array<std::pair<RouteOfAccess, std::string_view>, 8> entries{{
      {RouteOfAccess::planned_entry_transition, "planned_entry_transition"},
      {RouteOfAccess::discharge_from_hospital, "discharge_from_hospital"},
      {RouteOfAccess::diversion_from_hospital, "diversion_from_hospital"},
      {RouteOfAccess::community_other, "community_other"},
      {RouteOfAccess::prison, "prison"},
      {RouteOfAccess::self_funder, "self_funder"},
      {RouteOfAccess::discharge_from_reablement, "discharge_from_reablement"},
      {RouteOfAccess::transfer_from_other_la, "transfer_from_other_la"},
  }};
};
template <>
struct CodeTable<ReviewReason> {
  static constexpr std::array<std::pair<ReviewReason, std::string_view>, 6> entries{{
      {ReviewReason::unplanned_hospital, "unplanned_hospital"},
      {ReviewReason::unplanned_carer, "unplanned_carer"},
      {ReviewReason::unplanned_safeguarding, "unplanned_safeguarding"},
      {ReviewReason::unplanned_other, "unplanned_other"},
      {ReviewReason::unplanned_provider_failure, "unplanned_provider_failure"},
      {ReviewReason::unplanned_commissioning_change, "unplanned_commissioning_change"},
  }};
};
template <>
struct CodeTable<OutcomesMet> {
  static constexpr std::array<std::pair<OutcomesMet, std::string_view>, 3> entries{{
      {OutcomesMet::fully_met, "fully_met"},
      {OutcomesMet::partially_met, "partially_met"},
      {OutcomesMet::not_met, "not_met"},
  }};
};
template <>
struct CodeTable<EventOutcome> {
  static constexpr std::array<std::pair<EventOutcome, std::string_view>, 19> entries{{
      {EventOutcome::progress_to_reablement, "progress_to_reablement"},
      {EventOutcome::progress_to_assessment, "progress_to_assessment"},
      {EventOutcome::admitted_to_hospital, "admitted_to_hospital"},
      {EventOutcome::progress_to_reassessment, "progress_to_reassessment"},
      {EventOutcome::progress_to_support_planning, "progress_to_support_planning"},
      {EventOutcome::progress_to_end_of_life_care, "progress_to_end_of_life_care"},
      {EventOutcome::no_change_in_package, "no_change_in_package"},
      {EventOutcome::service_ended_as_planned, "service_ended_as_planned"},
      {EventOutcome::progress_to_financial_assessment, "progress_to_financial_assessment"},
      {EventOutcome::provision_of_service, "provision_of_service"},
      {EventOutcome::nfa_deceased, "nfa_deceased"},
      {EventOutcome::nfa_moved_to_another_la, "nfa_moved_to_another_la"},
      {EventOutcome::nfa_nhs_funded, "nfa_nhs_funded"},
      {EventOutcome::nfa_information_advice, "nfa_information_advice"},
      {EventOutcome::nfa_self_funded, "nfa_self_funded"},
      {EventOutcome::nfa_support_declined, "nfa_support_declined"},
      {EventOutcome::nfa_support_ended_other, "nfa_support_ended_other"},
      {EventOutcome::nfa_no_services_other, "nfa_no_services_other"},
      {EventOutcome::nfa_other, "nfa_other"},
  }};
};

// What an outcome is recorded on, and whether it may be (CLD.md §3's outcome table: R, A, S).
// The outcomes marked "import" are recorded only by an import of CLD files.
enum class OutcomeOf { request, assessment, episode_end };
bool outcome_allowed(EventOutcome outcome, OutcomeOf of);

template <typename E>
std::optional<E> parse_code(std::string_view text) {
  for (const auto& [value, name] : CodeTable<E>::entries) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename E>
std::string_view code_name(E value) {
  for (const auto& [v, name] : CodeTable<E>::entries) {
    if (v == value) return name;
  }
  return {};
}

// The accepted spellings, for an error message ("one of: a, b, c").
template <typename E>
std::string_view code_list() {
  static const std::string list = [] {
    std::string out;
    for (const auto& [v, name] : CodeTable<E>::entries) {
      if (!out.empty()) out += ", ";
      out += name;
    }
    return out;
  }();
  return list;
}

}  // namespace careledger::domain
