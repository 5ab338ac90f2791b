#include "domain/person.hpp"

#include <type_traits>

#include "domain/nhs_number.hpp"

namespace careledger::domain {

Decision decide(const PersonState& state, const RegisterPerson& command, Date today) {
  if (state.exists) return conflict("the person is already registered");
  Rejection rejection{Rejection::Kind::invalid, "the person's details break a rule", {}};
  if (command.given_name.empty()) rejection.errors.push_back({"given_name", "must not be empty"});
  if (command.family_name.empty()) {
    rejection.errors.push_back({"family_name", "must not be empty"});
  }
  if (command.date_of_birth > today) {
    rejection.errors.push_back({"date_of_birth", "must not be in the future"});
  } else if (command.date_of_birth < Date{date::year{1900} / 1 / 1}) {
    rejection.errors.push_back({"date_of_birth", "must not be before 1900-01-01"});
  }
  if (command.team.empty()) rejection.errors.push_back({"team", "must not be empty"});
  if (command.nhs_number && !is_valid_nhs_number(*command.nhs_number)) {
    rejection.errors.push_back(
        {"nhs_number", "must be 10 digits with a valid Modulus 11 check digit"});
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{
      PersonRegistered{static_cast<const PersonDetails&>(command), command.person_id, today}};
}

PersonState evolve(PersonState state, const Event& event) {
  if (const auto* e = std::get_if<PersonRegistered>(&event)) {
    state.exists = true;
    state.id = e->person_id;
    static_cast<PersonDetails&>(state) = *e;
  }
  state.version = state.version.next();
  return state;
}

}  // namespace careledger::domain
