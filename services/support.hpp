#pragma once
// Recording support episodes and reviews, and the overdue-review queue.

#include <cstddef>
#include <optional>
#include <vector>

#include "domain/support.hpp"
#include "domain/support_measures.hpp"
#include "services/command_runner.hpp"
#include "services/queries.hpp"

namespace careledger::services {

// The overdue-review list as at a day: the counts of the whole list.
struct OverdueList {
  domain::Date as_at;
  long long total = 0;
  long long over_three_years = 0;
};

// Thread-safe: holds only the store.
class SupportWork {
 public:
  explicit SupportWork(Context& store) : store_(store) {}

  // The episode's id is made here; the team is the person's.
  Outcome<domain::SupportEpisodeState> start(const Actor& actor, const domain::PersonId& person_id,
                                             domain::StartSupport command,
                                             const CommandOptions& options);
  Outcome<domain::SupportEpisodeState> end(const Actor& actor, const domain::SupportEpisodeId& id,
                                           const domain::EndSupport& command,
                                           const CommandOptions& options);
  domain::SupportEpisodeState episode(const Actor& actor, const domain::SupportEpisodeId& id);

  // The person must be in long-term support on reviewed_on.
  Outcome<domain::ReviewState> review(const Actor& actor, const domain::PersonId& person_id,
                                      domain::RecordReview command, const CommandOptions& options);
  domain::ReviewState review(const Actor& actor, const domain::ReviewId& id);

  // As at `as_at`, or today.
  OverdueList overdue(const Actor& actor, const std::optional<domain::Team>& team,
                      std::optional<domain::Date> as_at, const ListWindow& window,
                      const EachListed<domain::OverdueReview>& each);

 private:
  Context& store_;
};

}  // namespace careledger::services
