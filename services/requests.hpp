#pragma once
// Recording requests for support and their outcomes (CLD.md §4).

#include <optional>

#include "domain/assessment.hpp"
#include "domain/request.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// The assessment a request's outcome starts: its kind and priority (it is requested on the day
// the request is decided, for the request's person and team).
struct AssessmentOrder {
  domain::AssessmentKind kind = domain::AssessmentKind::needs;
  domain::Priority priority = domain::Priority::medium;
};

// Thread-safe: holds only the store.
class Requests {
 public:
  explicit Requests(Context& store) : store_(store) {}

  // The request's id is made here; the team is the person's.
  Outcome<domain::RequestState> receive(const Actor& actor, const domain::PersonId& person_id,
                                        domain::ReceiveRequest command,
                                        const CommandOptions& options);
  // With an assessment exactly when the outcome is progress to assessment: the assessment is
  // recorded in the same transaction as the outcome, or neither is.
  Outcome<domain::RequestState> decide(const Actor& actor, const domain::RequestId& id,
                                       domain::DecideRequest command,
                                       const std::optional<AssessmentOrder>& assessment,
                                       const CommandOptions& options);
  domain::RequestState request(const Actor& actor, const domain::RequestId& id);

 private:
  Context& store_;
};

}  // namespace careledger::services
