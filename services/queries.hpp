#pragma once
// Team leaders' lists and analysts' measures, computed live from the read models.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/configuration.hpp"
#include "domain/measure.hpp"
#include "persistence/figure_source.hpp"
#include "persistence/kept_lists.hpp"
#include "persistence/read_models.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// A person as the casework lists show them beside a row (these lists are only for the roles
// that may see a person's details).
struct PersonSummary {
  std::string name;  // given and family name
  int age = 0;       // as at the list's day
};
using People = std::map<domain::PersonId, PersonSummary>;
// Which items of a list an answer needs, in the list's order (persistence/kept_lists.hpp).
using ListWindow = persistence::ListWindow;
// Each item of the window in order, with the person it is about, given as it is read.
template <typename Item>
using EachListed = std::function<void(const Item&, const PersonSummary&)>;
// A person as a list shows them, aged as at `as_at`.
PersonSummary summary_of(const persistence::PersonName& person, domain::Date as_at);
// ... from the person as the list read them, aged as at `as_at`.
template <typename Item>
persistence::EachListed<Item> aged(const EachListed<Item>& each, domain::Date as_at) {
  return [&each, as_at](const Item& item, const persistence::PersonName& person) {
    each(item, summary_of(person, as_at));
  };
}

// The waiting list as at a day (`as_at`, or today): its items of a window, in the contract's
// order, given to `each`; the list's own fields returned.
struct WaitingList {
  domain::Date as_at;
  long long total = 0;  // distinct people among all matching items
};
WaitingList waiting_list(Context& store, const Actor& actor,
                         const std::optional<domain::Team>& team, std::optional<domain::Date> as_at,
                         std::optional<domain::Priority> priority, const ListWindow& window,
                         const EachListed<domain::WaitingItem>& each);

// Every measure of MEASURES.md, computed on one connection (the caller holds one read
// transaction, so every figure sees the same moment of the log); with `report_extras`, also
// the monthly report's own counts (domain::report_extras).
std::vector<domain::Measure> compute_measures(persistence::FigureSource& source,
                                              const domain::Configuration& config,
                                              domain::Date from, domain::Date to,
                                              bool team_filtered, bool report_extras);
std::vector<domain::Measure> compute_measures(persistence::Connection& db,
                                              const domain::Configuration& config,
                                              domain::Date from, domain::Date to,
                                              const persistence::TeamFilter& teams,
                                              bool team_filtered, bool report_extras);

// Where measures are computed: one snapshot of the live read models, or — with `known_at`, an
// RFC 3339 UTC timestamp — as they were known then (persistence/figure_source.hpp), so a
// published figure can be reproduced after later entries and corrections.
class MeasureDatabase {
 public:
  MeasureDatabase(Context& store, const persistence::TeamFilter& teams, bool team_filtered,
                  const std::optional<std::string>& known_at);
  ~MeasureDatabase();
  MeasureDatabase(const MeasureDatabase&) = delete;
  MeasureDatabase& operator=(const MeasureDatabase&) = delete;

  std::vector<domain::Measure> over(domain::Date from, domain::Date to, bool report_extras);

 private:
  struct Snapshot;  // the reader and its read transaction (queries.cpp)

  Context& store_;
  persistence::TeamFilter teams_;
  bool team_filtered_;
  std::optional<std::string> known_at_;
  std::unique_ptr<Snapshot> snapshot_;
  std::unique_ptr<persistence::FigureSource> source_;
};

// Whose figures an answer gives (API.md 1.1): the team filter asked for, the teams the figures
// cover (the filter, else the caller's own teams, else every team the council has), and
// whether that is the whole council.
struct FigureScope {
  std::optional<domain::Team> team;
  std::vector<domain::Team> teams;
  bool council_wide = false;
  persistence::TeamFilter filter;  // what the queries select: nullopt for every team
};
// Throws Failure(forbidden) when the team asked for is not the caller's.
FigureScope figure_scope(Context& store, const Actor& actor,
                         const std::optional<domain::Team>& team);

struct MeasuresView {
  FigureScope scope;
  std::vector<domain::Measure> measures;
};

// Every measure of MEASURES.md: period measures over [from, to], as-at measures as at `to`.
MeasuresView measures(Context& store, const Actor& actor, domain::Date from, domain::Date to,
                      const std::optional<domain::Team>& team,
                      const std::optional<std::string>& known_at = std::nullopt);

}  // namespace careledger::services
