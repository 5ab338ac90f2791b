#include "services/care_homes.hpp"

#include "domain/records.hpp"
#include "persistence/kept_lists.hpp"
#include "persistence/read_models.hpp"
#include "services/casework.hpp"

namespace careledger::services {

namespace {

Failure not_found(const char* field) {
  if (field == nullptr) return Failure(Failure::Kind::not_found, "no such resource");
  return Failure(Failure::Kind::not_found, "no such resource", {{field, "no such resource"}});
}

AgreementView agreement_view(domain::PlacementState placement, const domain::AgreementId& id,
                             const domain::Configuration& config, domain::Date as_at) {
  const auto* agreement = placement.agreement(id);
  if (agreement == nullptr) throw Failure(Failure::Kind::not_found, "no such resource");
  auto position = domain::position_as_at(*agreement, config, as_at);
  return AgreementView{std::move(placement), id, std::move(position)};
}

Outcome<AgreementView> with_agreement(Outcome<domain::PlacementState> outcome,
                                      const domain::AgreementId& id, const Context& store) {
  return {agreement_view(std::move(outcome.state), id, store.config, store.today()),
          outcome.repeated};
}

// The decide overload for each agreement command, with the interest-rate caps when it needs
// them (to check a rate, or a balance on a day).
template <typename Command>
domain::Decision decide_on(const domain::PlacementState& s, const Command& c, const Context& store,
                           domain::Date today) {
  const auto& caps = store.config.maximum_interest_rates;
  if constexpr (requires { domain::decide(s, c, caps, today); }) {
    return domain::decide(s, c, caps, today);
  } else {
    return domain::decide(s, c, today);
  }
}

}  // namespace

domain::PlacementState CareHomes::visible_placement(const Actor& actor,
                                                    const domain::PlacementId& id,
                                                    const char* field) {
  require_purpose(actor, Purpose::casework);
  auto db = store_.readers.acquire();
  auto found = persistence::find(*db, id);
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
      store_, actor, domain::stream_name(command.placement_id), StreamMust::be_new, options,
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
      store_, actor, domain::stream_name(id), StreamMust::exist, options,
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
  auto outcome = run_command<domain::PlacementState>(
      store_, actor, domain::stream_name(placement_id), StreamMust::exist, options,
      [&](const domain::PlacementState& state) { return domain::decide(state, command, today); });
  // A repeat answers with the agreement the first request offered: the last one on the
  // placement as that request left it, not the id made for this one.
  const auto id = outcome.repeated && !outcome.state.agreements.empty()
                      ? outcome.state.agreements.back().id
                      : command.agreement_id;
  return with_agreement(std::move(outcome), id, store_);
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
      run_command<domain::PlacementState>(store_, actor, domain::stream_name(*placement_id),
                                          StreamMust::exist, options,
                                          [&](const domain::PlacementState& state) {
                                            return decide_on(state, command, store_, today);
                                          }),
      command.agreement_id, store_);
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

AgreementView CareHomes::agreement(const Actor& actor, const domain::AgreementId& id,
                                   std::optional<domain::Date> as_at) {
  require_purpose(actor, Purpose::casework);
  auto db = store_.readers.acquire();
  auto placement_id = persistence::placement_of_agreement(*db, id);
  auto found = placement_id ? persistence::find(*db, *placement_id) : std::nullopt;
  if (!found || !actor.sees_casework_of(found->team)) throw not_found(nullptr);
  return agreement_view(std::move(*found), id, store_.config, as_at.value_or(store_.today()));
}

CareHomes::AttentionView CareHomes::attention(const Actor& actor,
                                              const std::optional<domain::Team>& team,
                                              std::optional<domain::Date> asked, int horizon_days) {
  const domain::Date as_at = asked.value_or(store_.today());
  const auto teams = team_scope(actor, team, Purpose::casework);
  auto db = store_.readers.acquire();
  const auto listed = persistence::placements_for_attention(*db, as_at, teams);
  AttentionView view{as_at,
                     horizon_days,
                     domain::attention(listed.placements, store_.config, as_at, horizon_days),
                     {}};
  for (const auto& person : listed.people) {
    if (!view.people.contains(person.id)) view.people.emplace(person.id, summary_of(person, as_at));
  }
  return view;
}

}  // namespace careledger::services
