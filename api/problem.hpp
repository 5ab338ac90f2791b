#pragma once
// Refusals as HTTP: the one mapping from services::Failure to a status and a problem+json body.

#include "api/http.hpp"
#include "services/failure.hpp"

namespace careledger::api {

// The status, title and problem+json body of a refusal, with the headers its status calls for
// (WWW-Authenticate on 401, Retry-After on 429). `detail` and `errors` are escaped as JSON.
Response problem_response(const services::Failure& failure);

// 503 with Retry-After: the store is out of reach for now (PostgreSQL restarting). What was asked
// may or may not have been kept; a write sent again with its Idempotency-Key is answered once.
Response store_unavailable_response();

}  // namespace careledger::api
