#pragma once
// Recording safeguarding concerns, decisions and enquiries, and the open safeguarding work.
// These are the most sensitive records: only casework roles of the person's team see them;
// analysts get counts through the measures and nothing else.

#include <cstddef>
#include <optional>
#include <vector>

#include "domain/safeguarding.hpp"
#include "domain/safeguarding_measures.hpp"
#include "services/command_runner.hpp"
#include "services/queries.hpp"

namespace careledger::services {

// The concerns awaiting a decision and enquiries open as at a day, longest open first: the
// counts of the whole list.
struct OpenSafeguarding {
  domain::Date as_at;
  long long concerns_awaiting_decision = 0;
  long long enquiries_open = 0;
};

// Thread-safe: holds only the store.
class Safeguarding {
 public:
  explicit Safeguarding(Context& store) : store_(store) {}

  // The concern's id is made here; the team is the person's.
  Outcome<domain::ConcernState> receive(const Actor& actor, const domain::PersonId& person_id,
                                        domain::ReceiveConcern command,
                                        const CommandOptions& options);
  // An enquiry id is made here for a decision that starts one.
  Outcome<domain::ConcernState> decide(const Actor& actor, const domain::ConcernId& id,
                                       domain::DecideConcern command,
                                       const CommandOptions& options);
  Outcome<domain::ConcernState> conclude(const Actor& actor, const domain::EnquiryId& id,
                                         const domain::ConcludeEnquiry& command,
                                         const CommandOptions& options);
  domain::ConcernState concern(const Actor& actor, const domain::ConcernId& id);
  // The concern that holds the enquiry.
  domain::ConcernState enquiry(const Actor& actor, const domain::EnquiryId& id);

  // As at `as_at`, or today.
  OpenSafeguarding open(const Actor& actor, const std::optional<domain::Team>& team,
                        std::optional<domain::Date> as_at, const ListWindow& window,
                        const EachListed<domain::OpenItem>& each);

 private:
  Context& store_;
};

}  // namespace careledger::services
