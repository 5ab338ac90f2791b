#pragma once
// The one vocabulary of refusals that services raise; the API maps each kind to an HTTP status
// in one place. `detail` and `errors` are written for the client; internal causes never are.

#include <stdexcept>
#include <string>
#include <vector>

#include <boost/describe/enum.hpp>

#include "domain/decision.hpp"

namespace careledger::services {

struct Failure : std::runtime_error {
  enum class Kind {
    bad_request,          // malformed input (query string, header)
    unauthenticated,      // no or unknown token
    forbidden,            // role or team not allowed
    not_found,            // unknown id, or one the caller may not see
    conflict,             // transition not allowed in the current state
    precondition_failed,  // If-Match does not match
    invalid,              // a field missing, of the wrong type, an unknown code, or breaking a rule
    // Refusals of the request as a whole, before any service sees it.
    method_not_allowed,      // the path exists, not with this method
    unsupported_media_type,  // a body that is not JSON
    payload_too_large,       // a body over the server's limit
    headers_too_large,       // request headers over the server's limit
    too_many_requests,       // over the caller's rate
    internal,                // the server failed; the cause is logged, never sent
  };
  BOOST_DESCRIBE_NESTED_ENUM(Kind, bad_request, unauthenticated, forbidden, not_found, conflict,
                             precondition_failed, invalid, method_not_allowed,
                             unsupported_media_type, payload_too_large, headers_too_large,
                             too_many_requests, internal)
  Failure(Kind k, std::string d, std::vector<domain::FieldError> e = {})
      : std::runtime_error(d), kind(k), detail(std::move(d)), errors(std::move(e)) {}
  Kind kind;
  std::string detail;
  std::vector<domain::FieldError> errors;
};

inline Failure invalid_field(std::string field, std::string message) {
  return Failure(Failure::Kind::invalid, message, {{std::move(field), message}});
}

inline Failure from_rejection(const domain::Rejection& rejection) {
  return Failure(rejection.kind == domain::Rejection::Kind::conflict ? Failure::Kind::conflict
                                                                     : Failure::Kind::invalid,
                 rejection.detail, rejection.errors);
}

}  // namespace careledger::services
