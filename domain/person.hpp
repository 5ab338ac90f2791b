#pragma once
// The Person aggregate: who the casework is about.

#include <optional>
#include <string>

#include "domain/decision.hpp"
#include "domain/events.hpp"

namespace careledger::domain {

struct PersonState : PersonDetails {
  bool exists = false;
  PersonId id;
  Version version;
  friend bool operator==(const PersonState&, const PersonState&) = default;
};

struct RegisterPerson : PersonDetails {
  PersonId person_id;
};

Decision decide(const PersonState& state, const RegisterPerson& command, Date today);
PersonState evolve(PersonState state, const Event& event);

}  // namespace careledger::domain
