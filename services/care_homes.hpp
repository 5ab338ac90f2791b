#pragma once
// Care-home placements, deferred payment agreements, and the officers' daily attention view.

#include <optional>

#include "domain/deferred_payments.hpp"
#include "domain/placement.hpp"
#include "services/command_runner.hpp"
#include "services/queries.hpp"

namespace careledger::services {

// A placement together with the agreement a request is about.
struct AgreementView {
  domain::PlacementState placement;
  domain::AgreementId agreement_id;
  domain::AgreementPosition position;  // as at a day: today, or the day asked for
  const domain::AgreementState& agreement() const { return *placement.agreement(agreement_id); }
};

// Thread-safe: holds only the store.
class CareHomes {
 public:
  explicit CareHomes(Context& store) : store_(store) {}

  // The placement's id is made here; the team is the person's.
  Outcome<domain::PlacementState> start(const Actor& actor, const domain::PersonId& person_id,
                                        domain::StartPlacement command,
                                        const CommandOptions& options);
  Outcome<domain::PlacementState> arrange_self_funding(const Actor& actor,
                                                       const domain::PlacementId& id,
                                                       const domain::ArrangeSelfFunding& command,
                                                       const CommandOptions& options);
  domain::PlacementState placement(const Actor& actor, const domain::PlacementId& id);

  // The agreement's id is made here.
  Outcome<AgreementView> offer(const Actor& actor, const domain::PlacementId& placement_id,
                               domain::OfferAgreement command, const CommandOptions& options);
  // Sign, decline, charge, repay or terminate the agreement named in the command.
  template <typename Command>
  Outcome<AgreementView> act(const Actor& actor, const Command& command,
                             const CommandOptions& options);
  // As at `as_at`, or today.
  AgreementView agreement(const Actor& actor, const domain::AgreementId& id,
                          std::optional<domain::Date> as_at);

  struct AttentionView {
    domain::Date as_at;
    int horizon_days = domain::default_horizon_days;
    domain::Attention attention;
    People people;
  };
  // As at `as_at`, or today.
  AttentionView attention(const Actor& actor, const std::optional<domain::Team>& team,
                          std::optional<domain::Date> as_at, int horizon_days);

 private:
  domain::PlacementState visible_placement(const Actor& actor, const domain::PlacementId& id,
                                           const char* field);
  Context& store_;
};

}  // namespace careledger::services
