#include "services/support.hpp"

#include "domain/records.hpp"
#include "persistence/kept_lists.hpp"
#include "persistence/read_models.hpp"
#include "persistence/running_totals.hpp"

#include "services/casework.hpp"
#include "services/queries.hpp"

namespace careledger::services {

Outcome<domain::SupportEpisodeState> SupportWork::start(const Actor& actor,
                                                        const domain::PersonId& person_id,
                                                        domain::StartSupport command,
                                                        const CommandOptions& options) {
  const auto person = visible_person(store_, actor, person_id, "person_id");
  command.episode_id = domain::SupportEpisodeId{new_id("sup_")};
  const domain::Date today = store_.today();
  return run_command<domain::SupportEpisodeState>(
      store_, actor, domain::stream_name(command.episode_id), StreamMust::be_new, options,
      [&](const domain::SupportEpisodeState& state) {
        return domain::decide(state, command, person, today);
      });
}

Outcome<domain::SupportEpisodeState> SupportWork::end(const Actor& actor,
                                                      const domain::SupportEpisodeId& id,
                                                      const domain::EndSupport& command,
                                                      const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  const domain::Date today = store_.today();
  return run_command<domain::SupportEpisodeState>(store_, actor, domain::stream_name(id),
                                                  StreamMust::exist, options,
                                                  [&](const domain::SupportEpisodeState& state) {
                                                    return domain::decide(state, command, today);
                                                  });
}

domain::SupportEpisodeState SupportWork::episode(const Actor& actor,
                                                 const domain::SupportEpisodeId& id) {
  return visible_record(store_, actor, id);
}

Outcome<domain::ReviewState> SupportWork::review(const Actor& actor,
                                                 const domain::PersonId& person_id,
                                                 domain::RecordReview command,
                                                 const CommandOptions& options) {
  const auto person = visible_person(store_, actor, person_id, "person_id");
  command.review_id = domain::ReviewId{new_id("rev_")};
  bool in_support = false;
  {
    auto db = store_.readers.acquire();
    in_support = domain::in_long_term_support_on(persistence::long_term_episodes_of(*db, person_id),
                                                 command.reviewed_on);
  }
  const domain::Date today = store_.today();
  return run_command<domain::ReviewState>(
      store_, actor, domain::stream_name(command.review_id), StreamMust::be_new, options,
      [&](const domain::ReviewState& state) {
        return domain::decide(state, command, person, in_support, today);
      });
}

domain::ReviewState SupportWork::review(const Actor& actor, const domain::ReviewId& id) {
  return visible_record(store_, actor, id);
}

OverdueList SupportWork::overdue(const Actor& actor, const std::optional<domain::Team>& team,
                                 std::optional<domain::Date> asked, const ListWindow& window,
                                 const EachListed<domain::OverdueReview>& each) {
  const domain::Date as_at = asked.value_or(store_.today());
  const auto teams = team_scope(actor, team, Purpose::casework);
  auto db = store_.readers.acquire();
  persistence::Transaction snapshot(*db);
  persistence::overdue_reviews_as_at(*db, as_at, teams, window, aged(each, as_at));
  const auto counts = persistence::overdue_counts_as_at(*db, as_at, teams);
  return {as_at, counts.total, counts.over_three_years};
}

}  // namespace careledger::services
