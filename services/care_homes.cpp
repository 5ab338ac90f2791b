#include "services/care_homes.hpp"

#include "domain/streams.hpp"
#include "persistence/read_models.hpp"
#include "services/casework.hpp"

namespace careledger::services {

namespace {

Failure not_found(const char* field) {
  if (field == nullptr) return Failure(Failure::Kind::not_found, "no such resource");
  return Failure(Failure::Kind::not_found, "no such resource", {{field, "no such resource"}});
}

Outcome<AgreementView> with_agreement(Outcome<domain::PlacementState> outcome,
                                      const domain::AgreementId& id) {
  return {AgreementView{std::move(outcome.state), id}, outcome.status};
}

// The decide overload for each agreement command, with what it needs besides the state.
domain::Decision decide_on(const domain::PlacementState& s, const domain::SignAgreement& c,
                           const Store& store, domain::Date today) {
  return domain::decide(s, c, store.config.maximum_interest_rates, today);
}
template <typename Command>
domain::Decision decide_on(const domain::PlacementState& s, const Command& c, const Store&,
                           domain::Date today) {
  return domain::decide(s, c, today);
}

}  // namespace

domain::PlacementState CareHomes::visible_placement(const Actor& actor,
                                                    const domain::PlacementId& id,
                                                    const char* field) {
  require_purpose(actor, Purpose::casework);
  auto db = store_.readers.acquire();
  auto found = persistence::find_placement(*db, id);
  if (!found || !actor.sees_casework_of(found->team)) throw not_found(field);
  return *found;
}

Outcome<domain::PlacementState> CareHomes::start(const Actor& actor,
                                                 const domain::PersonId& person_id,
                                                 domain::StartPlacement command,
                                                 const CommandOptions& options) {
  const auto person = visible_person(store_, actor, person_id, "person_id");
  command.placement_id = domain::PlacementId{new_id("plc_")};
  const domain::Date today = store_.today();
  return run_command<domain::PlacementState>(
      store_, actor, domain::placement_stream(command.placement_id), StreamMust::be_new, options,
      [&](const domain::PlacementState& state) {
        return domain::decide(state, command, person, today);
      });
}

Outcome<domain::PlacementState> CareHomes::arrange_self_funding(
    const Actor& actor, const domain::PlacementId& id, const domain::ArrangeSelfFunding& command,
    const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  const domain::Date today = store_.today();
  return run_command<domain::PlacementState>(
      store_, actor, domain::placement_stream(id), StreamMust::exist, options,
      [&](const domain::PlacementState& state) { return domain::decide(state, command, today); });
}

domain::PlacementState CareHomes::placement(const Actor& actor, const domain::PlacementId& id) {
  return visible_placement(actor, id, nullptr);
}

Outcome<AgreementView> CareHomes::offer(const Actor& actor, const domain::PlacementId& placement_id,
                                        domain::OfferAgreement command,
                                        const CommandOptions& options) {
  visible_placement(actor, placement_id, "placement_id");
  command.agreement_id = domain::AgreementId{new_id("dpa_")};
  const domain::Date today = store_.today();
  return with_agreement(
      run_command<domain::PlacementState>(store_, actor, domain::placement_stream(placement_id),
                                          StreamMust::exist, options,
                                          [&](const domain::PlacementState& state) {
                                            return domain::decide(state, command, today);
                                          }),
      command.agreement_id);
}

template <typename Command>
Outcome<AgreementView> CareHomes::act(const Actor& actor, const Command& command,
                                      const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  std::optional<domain::PlacementId> placement_id;
  {
    auto db = store_.readers.acquire();
    placement_id = persistence::placement_of_agreement(*db, command.agreement_id);
  }
  if (!placement_id) throw not_found(nullptr);
  const domain::Date today = store_.today();
  return with_agreement(
      run_command<domain::PlacementState>(store_, actor, domain::placement_stream(*placement_id),
                                          StreamMust::exist, options,
                                          [&](const domain::PlacementState& state) {
                                            return decide_on(state, command, store_, today);
                                          }),
      command.agreement_id);
}

template Outcome<AgreementView> CareHomes::act(const Actor&, const domain::SignAgreement&,
                                               const CommandOptions&);
template Outcome<AgreementView> CareHomes::act(const Actor&, const domain::DeclineAgreement&,
                                               const CommandOptions&);
template Outcome<AgreementView> CareHomes::act(const Actor&, const domain::ChargeAgreement&,
                                               const CommandOptions&);
template Outcome<AgreementView> CareHomes::act(const Actor&, const domain::RepayAgreement&,
                                               const CommandOptions&);
template Outcome<AgreementView> CareHomes::act(const Actor&, const domain::TerminateAgreement&,
                                               const CommandOptions&);

AgreementView CareHomes::agreement(const Actor& actor, const domain::AgreementId& id) {
  require_purpose(actor, Purpose::casework);
  auto db = store_.readers.acquire();
  auto placement_id = persistence::placement_of_agreement(*db, id);
  auto found = placement_id ? persistence::find_placement(*db, *placement_id) : std::nullopt;
  if (!found || !actor.sees_casework_of(found->team)) throw not_found(nullptr);
  return AgreementView{std::move(*found), id};
}

domain::Attention CareHomes::attention(const Actor& actor, const std::optional<domain::Team>& team,
                                       domain::Date as_at, int horizon_days) {
  const auto teams = team_scope(actor, team, Purpose::casework);
  auto db = store_.readers.acquire();
  return domain::attention(persistence::placements(*db, as_at, teams), store_.config, as_at,
                           horizon_days);
}

}  // namespace careledger::services
