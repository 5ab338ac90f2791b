#pragma once
// The Person aggregate: who the casework is about.

#include <optional>
#include <string>

#include "domain/decision.hpp"
#include "domain/events.hpp"

namespace careledger::domain {

struct PersonState {
  bool exists = false;
  PersonId id;
  std::string given_name;
  std::string family_name;
  Date date_of_birth;
  Team team;
  std::optional<std::string> nhs_number;
  ClientType client_type = ClientType::service_user;
  std::optional<SupportReason> primary_support_reason;
  Version version;
  friend bool operator==(const PersonState&, const PersonState&) = default;
};

struct RegisterPerson {
  PersonId person_id;
  std::string given_name;
  std::string family_name;
  Date date_of_birth;
  Team team;
  std::optional<std::string> nhs_number;
  ClientType client_type = ClientType::service_user;
  std::optional<SupportReason> primary_support_reason;
};

Decision decide(const PersonState& state, const RegisterPerson& command, Date today);
PersonState evolve(PersonState state, const Event& event);

}  // namespace careledger::domain
