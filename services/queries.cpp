#include "services/queries.hpp"

#include <set>

#include "persistence/figure_source.hpp"
#include "persistence/running_totals.hpp"
#include "persistence/teams.hpp"

#include "domain/assessment_measures.hpp"
#include "domain/deferred_payments.hpp"
#include "domain/reports.hpp"
#include "domain/running_totals.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support_measures.hpp"
#include "services/support.hpp"

namespace careledger::services {

PersonSummary summary_of(const persistence::PersonName& person, domain::Date as_at) {
  return {person.given_name + " " + person.family_name,
          domain::age_on(person.date_of_birth, as_at)};
}

WaitingList waiting_list(Context& store, const Actor& actor,
                         const std::optional<domain::Team>& team, std::optional<domain::Date> asked,
                         std::optional<domain::Priority> priority, const ListWindow& window,
                         const EachListed<domain::WaitingItem>& each) {
  const domain::Date as_at = asked.value_or(store.today());
  const auto teams = team_scope(actor, team, Purpose::casework);
  auto db = store.readers.acquire();
  persistence::Transaction snapshot(*db);
  persistence::waiting_as_at(*db, as_at, teams, priority, window, aged(each, as_at));
  return {as_at, persistence::people_waiting_as_at(*db, as_at, teams, priority)};
}

namespace {

// What the measures are made from, read from the totals (and the signed agreements).
struct Figures {
  domain::AssessmentFigures assessments;
  domain::SupportFigures support;
  domain::SafeguardingFigures safeguarding;
  domain::DeferredPaymentFigures deferred_payments;
  domain::RequestFigures requests;
  domain::LongTermClients long_term;
  long long reviews_recorded = 0;  // the reports' extras alone
};

Figures figures_of(domain::RunningTotals& totals,
                   const std::vector<domain::AgreementState>& agreements,
                   const domain::Configuration& config, domain::Date from, domain::Date to,
                   bool report_extras) {
  Figures f;
  f.assessments = domain::assessment_figures(totals, from, to);
  f.support = domain::support_figures(totals, from, to);
  f.safeguarding = domain::safeguarding_figures(totals, from, to);
  f.deferred_payments = domain::deferred_payment_figures(totals, agreements, config, from, to);
  f.requests = domain::request_figures(totals, from, to);
  f.long_term = domain::long_term_clients_by(totals, to);
  if (report_extras) f.reviews_recorded = domain::reviews_recorded(totals, from, to);
  return f;
}

}  // namespace

std::vector<domain::Measure> compute_measures(persistence::FigureSource& source,
                                              const domain::Configuration& config,
                                              domain::Date from, domain::Date to,
                                              bool team_filtered, bool report_extras) {
  auto& totals = source.totals();
  {  // the figures' asks of the totals, recorded by a run that reads nothing, read together
    domain::AskRecorder asks;
    figures_of(asks, {}, config, from, to, report_extras);
    totals.read_ahead(asks.asks());
  }
  const auto f = figures_of(totals, source.signed_agreements(), config, from, to, report_extras);
  auto out = domain::assessment_measures(f.assessments);
  auto append = [&out](std::vector<domain::Measure> more) {
    out.insert(out.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
  };
  append(domain::review_measures(f.support));
  append(domain::safeguarding_measures(f.safeguarding));
  append(domain::deferred_payment_measures(f.deferred_payments));
  append(domain::ascof_measures(f.support, config.population, team_filtered));
  append(domain::request_measures(f.requests, f.long_term));
  if (report_extras) {
    append(domain::report_extras(f.reviews_recorded, f.safeguarding.concluded,
                                 f.deferred_payments.placements_started));
  }
  return out;
}

std::vector<domain::Measure> compute_measures(persistence::Connection& db,
                                              const domain::Configuration& config,
                                              domain::Date from, domain::Date to,
                                              const persistence::TeamFilter& teams,
                                              bool team_filtered, bool report_extras) {
  persistence::FigureSource source(db, teams);
  return compute_measures(source, config, from, to, team_filtered, report_extras);
}

// One reader held in one read transaction: every figure sees the same moment of the log.
struct MeasureDatabase::Snapshot {
  explicit Snapshot(persistence::Readers& readers)
      : lease(readers.acquire()), transaction(*lease) {}
  persistence::ReadLease lease;
  persistence::Transaction transaction;  // never committed: rolled back, having written nothing
};

MeasureDatabase::MeasureDatabase(Context& store, const persistence::TeamFilter& teams,
                                 bool team_filtered, const std::optional<std::string>& known_at)
    : store_(store),
      teams_(teams),
      team_filtered_(team_filtered),
      known_at_(known_at),
      snapshot_(std::make_unique<Snapshot>(store.readers)) {}

MeasureDatabase::~MeasureDatabase() = default;

std::vector<domain::Measure> MeasureDatabase::over(domain::Date from, domain::Date to,
                                                   bool report_extras) {
  // Made on first use (as known at a moment, it replays the people changed since).
  if (!source_) {
    source_ = std::make_unique<persistence::FigureSource>(*snapshot_->lease, teams_, known_at_);
  }
  return compute_measures(*source_, store_.config, from, to, team_filtered_, report_extras);
}

FigureScope figure_scope(Context& store, const Actor& actor,
                         const std::optional<domain::Team>& team) {
  FigureScope scope;
  scope.team = team;
  scope.filter = team_scope(actor, team, Purpose::measures);
  scope.council_wide = !scope.filter.has_value();
  if (scope.filter) {
    scope.teams = *scope.filter;
  } else {
    auto db = store.readers.acquire();
    for (auto& name : persistence::registered_team_names(*db)) scope.teams.emplace_back(name);
  }
  return scope;
}

MeasuresView measures(Context& store, const Actor& actor, domain::Date from, domain::Date to,
                      const std::optional<domain::Team>& team,
                      const std::optional<std::string>& known_at) {
  auto scope = figure_scope(store, actor, team);
  MeasureDatabase db(store, scope.filter, team.has_value(), known_at);
  auto figures = db.over(from, to, false);
  return {std::move(scope), std::move(figures)};
}

}  // namespace careledger::services
