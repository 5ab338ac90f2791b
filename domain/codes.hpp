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
enum class SupportReason {
  physical_support,
  sensory_support,
  memory_and_cognition,
  learning_disability,
  mental_health,
  social_support
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
  static constexpr std::array<std::pair<SupportReason, std::string_view>, 6> entries{{
      {SupportReason::physical_support, "physical_support"},
      {SupportReason::sensory_support, "sensory_support"},
      {SupportReason::memory_and_cognition, "memory_and_cognition"},
      {SupportReason::learning_disability, "learning_disability"},
      {SupportReason::mental_health, "mental_health"},
      {SupportReason::social_support, "social_support"},
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
