#pragma once
// Test data shared by the domain tests ("controls").

#include "domain/person.hpp"

namespace careledger::domain::controls {

inline Date day(const char* text) {
  return parse_date(text).value();
}

// A registered adult in team north.
inline PersonState adult(const char* born = "1940-01-01") {
  PersonState p;
  p.exists = true;
  p.id = PersonId{"per_1"};
  p.team = Team{"north"};
  p.date_of_birth = day(born);
  return p;
}

}  // namespace careledger::domain::controls
