#pragma once
// Recording support episodes and reviews, and the overdue-review queue.

#include <cstddef>
#include <optional>
#include <vector>

#include "domain/support.hpp"
#include "domain/support_measures.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

struct OverduePage {
  domain::Date as_at;
  long long total = 0;
  long long over_three_years = 0;
  std::vector<domain::OverdueReview> items;
  std::optional<std::size_t> next_offset;
};

// Thread-safe: holds only the store.
class SupportWork {
 public:
  explicit SupportWork(Store& store) : store_(store) {}
  Store& store() { return store_; }

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

  OverduePage overdue(const Actor& actor, const std::optional<domain::Team>& team,
                      domain::Date as_at, std::size_t offset, std::size_t limit);

 private:
  Store& store_;
};

// Every episode and review up to `to` of the teams, grouped by person, for the measures.
domain::SupportByPerson support_by_person(persistence::Connection& db, domain::Date to,
                                          const persistence::TeamFilter& teams);

}  // namespace careledger::services
