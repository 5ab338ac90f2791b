#pragma once
// Team leaders' lists and analysts' measures, computed live from the read models.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/configuration.hpp"
#include "domain/measure.hpp"
#include "persistence/read_models.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

struct WaitingListPage {
  domain::Date as_at;
  long long total = 0;  // distinct people among all matching items
  std::vector<persistence::WaitingItem> items;
  std::optional<std::size_t> next_offset;
};

struct Page {
  std::size_t offset = 0;
  std::size_t limit = 100;
};

// Keeps the page's items (from `offset`, at most `limit`) and returns where the next page
// starts, if there is one.
template <typename T>
std::optional<std::size_t> keep_page(std::vector<T>& items, Page page) {
  const std::size_t begin = std::min(page.offset, items.size());
  const std::size_t end = std::min(begin + page.limit, items.size());
  const bool more = end < items.size();
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(end), items.end());
  items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(begin));
  return more ? std::optional<std::size_t>(end) : std::nullopt;
}

WaitingListPage waiting_list(Store& store, const Actor& actor,
                             const std::optional<domain::Team>& team, domain::Date as_at,
                             std::optional<domain::Priority> priority, Page page);

// Every measure of MEASURES.md, computed on one connection in one read transaction; with
// `report_extras`, also the monthly report's own counts (domain::report_extras).
std::vector<domain::Measure> compute_measures(persistence::Connection& db,
                                              const domain::Configuration& config,
                                              domain::Date from, domain::Date to,
                                              const persistence::TeamFilter& teams,
                                              bool team_filtered, bool report_extras);

// Where measures are computed: the live read models, or — with `known_at`, an RFC 3339 UTC
// timestamp — read models replayed in memory from the events recorded at or before it, so a
// published figure can be reproduced after later entries and corrections.
class MeasureDatabase {
 public:
  MeasureDatabase(Store& store, const std::optional<std::string>& known_at);
  persistence::Connection& operator*() { return replay_ ? *replay_ : **lease_; }

 private:
  std::optional<persistence::ReaderPool::Lease> lease_;
  std::unique_ptr<persistence::Connection> replay_;
};

// Every measure of MEASURES.md implemented so far: period measures over [from, to], as-at
// measures as at `to`.
std::vector<domain::Measure> measures(Store& store, const Actor& actor, domain::Date from,
                                      domain::Date to, const std::optional<domain::Team>& team,
                                      const std::optional<std::string>& known_at = std::nullopt);

}  // namespace careledger::services
