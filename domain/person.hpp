#pragma once
// The Person aggregate: who the casework is about.

#include <optional>
#include <string>
#include <vector>

#include "domain/decision.hpp"
#include "domain/events.hpp"

namespace careledger::domain {

// The person as registered (the details as first recorded), the changes recorded since, each
// from its day on, and their death.
struct PersonState : PersonDetails {
  bool exists = false;
  PersonId id;
  std::vector<DetailsChange> details_changes;  // in the order recorded
  std::optional<Date> date_of_death;
  Version version;
  friend bool operator==(const PersonState&, const PersonState&) = default;
};

// The details in force on `day` (every change when no day is given): those registered, then
// each change taking effect on or before it, by its day and, on one day, in the order recorded.
PersonDetails details_on(const PersonState& person, std::optional<Date> day = std::nullopt);

struct RegisterPerson : PersonDetails {
  PersonId person_id;
};
struct ChangeDetails : DetailsChange {};
struct RecordDeath {
  Date died_on;
};

Decision decide(const PersonState& state, const RegisterPerson& command, Date today);
// A change names at least one field; it takes effect on a day from birth to today.
Decision decide(const PersonState& state, const ChangeDetails& command, Date today);
// Once only; on a day from birth to today.
Decision decide(const PersonState& state, const RecordDeath& command, Date today);
PersonState evolve(PersonState state, const Event& event);

}  // namespace careledger::domain
