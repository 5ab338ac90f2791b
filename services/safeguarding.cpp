#include "services/safeguarding.hpp"

#include <algorithm>

#include "domain/records.hpp"
#include "persistence/kept_lists.hpp"
#include "persistence/read_models.hpp"
#include "services/casework.hpp"
#include "services/queries.hpp"

namespace careledger::services {

namespace {
Failure not_found() {
  return Failure(Failure::Kind::not_found, "no such resource");
}
}  // namespace

Outcome<domain::ConcernState> Safeguarding::receive(const Actor& actor,
                                                    const domain::PersonId& person_id,
                                                    domain::ReceiveConcern command,
                                                    const CommandOptions& options) {
  const auto person = visible_person(store_, actor, person_id, "person_id");
  command.concern_id = domain::ConcernId{new_id("sgc_")};
  const domain::Date today = store_.today();
  return run_command<domain::ConcernState>(store_, actor, domain::stream_name(command.concern_id),
                                           StreamMust::be_new, options,
                                           [&](const domain::ConcernState& state) {
                                             return domain::decide(state, command, person, today);
                                           });
}

Outcome<domain::ConcernState> Safeguarding::decide(const Actor& actor, const domain::ConcernId& id,
                                                   domain::DecideConcern command,
                                                   const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  command.enquiry_id = domain::EnquiryId{new_id("sge_")};
  const domain::Date today = store_.today();
  return run_command<domain::ConcernState>(
      store_, actor, domain::stream_name(id), StreamMust::exist, options,
      [&](const domain::ConcernState& state) { return domain::decide(state, command, today); });
}

Outcome<domain::ConcernState> Safeguarding::conclude(const Actor& actor,
                                                     const domain::EnquiryId& id,
                                                     const domain::ConcludeEnquiry& command,
                                                     const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  std::optional<domain::ConcernId> concern;
  {
    auto db = store_.readers.acquire();
    concern = persistence::concern_of_enquiry(*db, id);
  }
  if (!concern) throw not_found();
  const domain::Date today = store_.today();
  return run_command<domain::ConcernState>(
      store_, actor, domain::stream_name(*concern), StreamMust::exist, options,
      [&](const domain::ConcernState& state) { return domain::decide(state, command, today); });
}

domain::ConcernState Safeguarding::concern(const Actor& actor, const domain::ConcernId& id) {
  require_purpose(actor, Purpose::casework);
  auto db = store_.readers.acquire();
  auto found = persistence::find(*db, id);
  if (!found || !actor.sees_casework_of(found->team)) throw not_found();
  return *found;
}

domain::ConcernState Safeguarding::enquiry(const Actor& actor, const domain::EnquiryId& id) {
  require_purpose(actor, Purpose::casework);
  auto db = store_.readers.acquire();
  auto concern = persistence::concern_of_enquiry(*db, id);
  auto found = concern ? persistence::find(*db, *concern) : std::nullopt;
  if (!found || !actor.sees_casework_of(found->team)) throw not_found();
  return *found;
}

OpenSafeguarding Safeguarding::open(const Actor& actor, const std::optional<domain::Team>& team,
                                    std::optional<domain::Date> asked, const ListWindow& window,
                                    const EachListed<domain::OpenItem>& each) {
  const domain::Date as_at = asked.value_or(store_.today());
  const auto teams = team_scope(actor, team, Purpose::casework);
  auto db = store_.readers.acquire();
  persistence::Transaction snapshot(*db);
  persistence::open_safeguarding_as_at(*db, as_at, teams, window, aged(each, as_at));
  const auto counts = persistence::open_safeguarding_counts(*db, as_at, teams);
  return {as_at, counts.concerns_awaiting_decision, counts.enquiries_open};
}

}  // namespace careledger::services
