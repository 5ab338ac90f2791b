#include "domain/person.hpp"

#include <algorithm>
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

Decision decide(const PersonState& state, const ChangeDetails& command, Date today) {
  Rejection rejection{Rejection::Kind::invalid, "the change of details breaks a rule", {}};
  if (command.effective_on > today) {
    rejection.errors.push_back({"effective_on", "must not be in the future"});
  } else if (command.effective_on < state.date_of_birth) {
    rejection.errors.push_back({"effective_on", "must not be before the date of birth"});
  }
  if (!command.primary_support_reason && !command.gender && !command.ethnicity &&
      !command.has_unpaid_carer) {
    for (const char* field :
         {"gender", "ethnicity", "has_unpaid_carer", "primary_support_reason"}) {
      rejection.errors.push_back({field, "at least one of the details must be given"});
    }
  }
  if (!rejection.errors.empty()) return rejection;
  return std::vector<Event>{PersonDetailsChanged{command}};
}

Decision decide(const PersonState& state, const RecordDeath& command, Date today) {
  if (state.date_of_death) return conflict("the person's death is already recorded");
  if (command.died_on > today) return invalid("died_on", "must not be in the future");
  if (command.died_on < state.date_of_birth) {
    return invalid("died_on", "must not be before the date of birth");
  }
  return std::vector<Event>{PersonDied{command.died_on}};
}

PersonDetails details_on(const PersonState& person, std::optional<Date> day) {
  PersonDetails details = person;
  std::vector<const DetailsChange*> changes;
  for (const auto& change : person.details_changes) {
    if (!day || change.effective_on <= *day) changes.push_back(&change);
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto* a, const auto* b) { return a->effective_on < b->effective_on; });
  for (const auto* change : changes) {
    if (change->primary_support_reason) {
      details.primary_support_reason = change->primary_support_reason;
    }
    if (change->gender) details.gender = change->gender;
    if (change->ethnicity) details.ethnicity = change->ethnicity;
    if (change->has_unpaid_carer) details.has_unpaid_carer = change->has_unpaid_carer;
  }
  return details;
}

PersonState evolve(PersonState state, const Event& event) {
  if (const auto* e = std::get_if<PersonRegistered>(&event)) {
    state.exists = true;
    state.id = e->person_id;
    static_cast<PersonDetails&>(state) = *e;
  } else if (const auto* change = std::get_if<PersonDetailsChanged>(&event)) {
    state.details_changes.push_back(*change);
  } else if (const auto* death = std::get_if<PersonDied>(&event)) {
    state.date_of_death = death->died_on;
  }
  state.version = state.version.next();
  return state;
}

}  // namespace careledger::domain
