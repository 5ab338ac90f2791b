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

namespace careledger::services {

struct OpenSafeguardingPage {
  domain::Date as_at;
  long long concerns_awaiting_decision = 0;
  long long enquiries_open = 0;
  std::vector<domain::OpenItem> items;
  std::optional<std::size_t> next_offset;
};

// Thread-safe: holds only the store.
class Safeguarding {
 public:
  explicit Safeguarding(Store& store) : store_(store) {}
  Store& store() { return store_; }

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

  OpenSafeguardingPage open(const Actor& actor, const std::optional<domain::Team>& team,
                            domain::Date as_at, std::size_t offset, std::size_t limit);

 private:
  Store& store_;
};

}  // namespace careledger::services
