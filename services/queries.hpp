#pragma once
// Team leaders' lists and analysts' measures, computed live from the read models.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Transaction.h>

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

// Where a page of `size` items starts and ends, and where the next page starts, if there is one.
struct PageRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::optional<std::size_t> next_offset;
};
inline PageRange page_range(std::size_t size, Page page) {
  const std::size_t begin = std::min(page.offset, size);
  const std::size_t end = std::min(begin + page.limit, size);
  return {begin, end, end < size ? std::optional<std::size_t>(end) : std::nullopt};
}

// Keeps the page's items (from `offset`, at most `limit`) and returns where the next page
// starts, if there is one.
template <typename T>
std::optional<std::size_t> keep_page(std::vector<T>& items, Page page) {
  const auto range = page_range(items.size(), page);
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(range.end), items.end());
  items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(range.begin));
  return range.next_offset;
}

WaitingListPage waiting_list(Store& store, const Actor& actor,
                             const std::optional<domain::Team>& team, domain::Date as_at,
                             std::optional<domain::Priority> priority, Page page);

// Every measure of MEASURES.md, computed on one connection (the caller holds one read
// transaction, so every figure sees the same moment of the log); with `report_extras`, also
// the monthly report's own counts (domain::report_extras).
std::vector<domain::Measure> compute_measures(persistence::Connection& db,
                                              const domain::Configuration& config,
                                              domain::Date from, domain::Date to,
                                              const persistence::TeamFilter& teams,
                                              bool team_filtered, bool report_extras);

// Where measures are computed: one snapshot of the live read models, or — with `known_at`, an
// RFC 3339 UTC timestamp — read models replayed in memory from the events recorded at or before
// it, so a published figure can be reproduced after later entries and corrections. Results are
// kept in the store's ResultCache under the snapshot's log position.
class MeasureDatabase {
 public:
  MeasureDatabase(Store& store, const persistence::TeamFilter& teams, bool team_filtered,
                  const std::optional<std::string>& known_at);

  std::vector<domain::Measure> over(domain::Date from, domain::Date to, bool report_extras);

 private:
  persistence::Connection& connection();  // replays on first use when known_at

  Store& store_;
  persistence::TeamFilter teams_;
  bool team_filtered_;
  std::optional<std::string> known_at_;
  persistence::ReaderPool::Lease lease_;
  SQLite::Transaction snapshot_;
  std::int64_t position_;
  std::unique_ptr<persistence::Connection> replay_;
};

// Every measure of MEASURES.md implemented so far: period measures over [from, to], as-at
// measures as at `to`.
std::vector<domain::Measure> measures(Store& store, const Actor& actor, domain::Date from,
                                      domain::Date to, const std::optional<domain::Team>& team,
                                      const std::optional<std::string>& known_at = std::nullopt);

}  // namespace careledger::services
