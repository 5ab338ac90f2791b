#include "services/queries.hpp"

#include <set>

#include "persistence/projections.hpp"

#include <SQLiteCpp/Transaction.h>

#include "domain/assessment_measures.hpp"
#include "domain/deferred_payments.hpp"
#include "domain/reports.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support_measures.hpp"
#include "services/support.hpp"

namespace careledger::services {

WaitingListPage waiting_list(Store& store, const Actor& actor,
                             const std::optional<domain::Team>& team, domain::Date as_at,
                             std::optional<domain::Priority> priority, Page page) {
  const auto teams = team_scope(actor, team, Purpose::casework);
  auto db = store.readers.acquire();
  auto items = persistence::waiting_as_at(*db, as_at, teams, priority);

  WaitingListPage result;
  result.as_at = as_at;
  std::set<domain::PersonId> people;
  for (const auto& item : items) people.insert(item.person_id);
  result.total = static_cast<long long>(people.size());
  result.next_offset = keep_page(items, page);
  result.items = std::move(items);
  return result;
}

std::vector<domain::Measure> compute_measures(persistence::Connection& db,
                                              const domain::Configuration& config,
                                              domain::Date from, domain::Date to,
                                              const persistence::TeamFilter& teams,
                                              bool team_filtered, bool report_extras) {
  // One read transaction, so every figure sees the same moment of the log.
  SQLite::Transaction snapshot(db);
  domain::AssessmentFigures figures;
  std::vector<domain::OpenRequest> open;
  for (auto& item : persistence::waiting_as_at(db, to, teams, std::nullopt)) {
    open.push_back({std::move(item.person_id), item.requested_on, item.priority});
  }
  figures.waiting = domain::summarise_waiting(open, to);
  figures.completions = domain::completion_stats(persistence::completion_days(db, from, to, teams));
  figures.requested = persistence::count_requested(db, from, to, teams);
  const auto people = support_by_person(db, to, teams);
  const auto support = domain::support_figures(people, from, to);
  const auto enquiries = persistence::enquiry_facts(db, from, to, teams);
  auto safeguarding = domain::safeguarding_measures(persistence::concern_facts(db, from, to, teams),
                                                    enquiries, from, to);
  const auto placements = persistence::placements(db, to, teams);
  auto deferred_payments = domain::deferred_payment_measures(placements, config, from, to);
  snapshot.commit();

  auto out = domain::assessment_measures(figures);
  auto append = [&out](std::vector<domain::Measure> more) {
    out.insert(out.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  };
  append(domain::review_measures(support));
  append(std::move(safeguarding));
  append(std::move(deferred_payments));
  append(domain::ascof_measures(support, config.population, team_filtered));
  if (report_extras) append(domain::report_extras(people, enquiries, placements, from, to));
  return out;
}

MeasureDatabase::MeasureDatabase(Store& store, const std::optional<std::string>& known_at) {
  if (!known_at) {
    lease_.emplace(store.readers.acquire());
    return;
  }
  replay_ = persistence::open_writer(":memory:");
  auto source = store.readers.acquire();
  SQLite::Transaction read(*source);  // one consistent view of the log
  SQLite::Transaction write(*replay_);
  persistence::replay_known_at(*source, *replay_, *known_at);
  write.commit();
}

std::vector<domain::Measure> measures(Store& store, const Actor& actor, domain::Date from,
                                      domain::Date to, const std::optional<domain::Team>& team,
                                      const std::optional<std::string>& known_at) {
  const auto teams = team_scope(actor, team, Purpose::measures);
  MeasureDatabase db(store, known_at);
  return compute_measures(*db, store.config, from, to, teams, team.has_value(), false);
}

}  // namespace careledger::services
