#include "persistence/figure_source.hpp"

#include <set>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/projections.hpp"

namespace careledger::persistence {

FigureSource::FigureSource(Connection& db, const TeamFilter& teams,
                           const std::optional<std::string>& known_at)
    : db_(db), teams_(teams) {
  if (!known_at) {
    live_ = std::make_unique<StoredTotals>(db, teams);
    totals_ = live_.get();
    return;
  }
  changed_ = people_recorded_after(db, *known_at);
  then_ = open_writer(":memory:");
  {
    Transaction write(*then_);
    replay_people_known_at(db, *then_, changed_, *known_at);
    subtract_contributions(db, *then_, changed_);
    write.commit();
  }
  // Every team: those of the live people, and those the changed people were in then.
  std::vector<domain::Team> scopes;
  if (teams) {
    scopes = *teams;
  } else {
    std::set<domain::Team> all;
    for (auto* store : {&db, then_.get()}) {
      for (auto& team : known_teams(*store)) all.insert(std::move(team));
    }
    scopes.assign(all.begin(), all.end());
  }
  live_ = std::make_unique<StoredTotals>(db, scopes);
  change_ = std::make_unique<StoredTotals>(*then_, scopes);
  summed_ = std::make_unique<domain::SummedTotals>(*live_, *change_);
  totals_ = summed_.get();
}

FigureSource::~FigureSource() = default;

const std::vector<domain::AgreementState>& FigureSource::signed_agreements() {
  if (!agreements_) {
    agreements_ = persistence::signed_agreements(db_, teams_, changed_);
    if (then_) {
      for (auto& a : persistence::signed_agreements(*then_, teams_)) {
        agreements_->push_back(std::move(a));
      }
    }
  }
  return *agreements_;
}

}  // namespace careledger::persistence
