#pragma once
// Test data shared by the domain tests ("controls").

#include <vector>

#include "domain/decision.hpp"
#include "domain/person.hpp"

namespace careledger::domain::controls {

inline Date d(const char* text) {
  return parse_date(text).value();
}

// The day the domain tests take as today.
inline const Date today = d("2024-06-30");

// A registered adult in team north.
inline PersonState adult(const char* born = "1940-01-01") {
  PersonState p;
  p.exists = true;
  p.id = PersonId{"per_1"};
  p.team = Team{"north"};
  p.date_of_birth = d(born);
  return p;
}

// The state after the events a decision accepted (the decision must accept).
template <typename State>
State applied(State state, const Decision& decision) {
  for (const auto& e : std::get<std::vector<Event>>(decision)) state = evolve(std::move(state), e);
  return state;
}

}  // namespace careledger::domain::controls
