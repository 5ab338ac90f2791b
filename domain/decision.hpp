#pragma once
// What a decide function returns: the events to record, or why the command is refused.

#include <string>
#include <variant>
#include <vector>

#include "domain/events.hpp"

namespace careledger::domain {

struct FieldError {
  std::string field;
  std::string message;
};

struct Rejection {
  enum class Kind {
    invalid,   // a field breaks a rule (a date in the future, completion before request)
    conflict,  // the transition is not allowed in the current state
  };
  Kind kind = Kind::invalid;
  std::string detail;
  std::vector<FieldError> errors;
};

using Decision = std::variant<std::vector<Event>, Rejection>;

inline Rejection invalid(std::string field, std::string message) {
  return Rejection{Rejection::Kind::invalid, message, {{std::move(field), message}}};
}
inline Rejection conflict(std::string detail) {
  return Rejection{Rejection::Kind::conflict, std::move(detail), {}};
}

}  // namespace careledger::domain
