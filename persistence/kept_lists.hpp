#pragma once
// The casework lists as at any day (the waiting list, reviews overdue, open safeguarding, and
// the placements the deferred payments needing attention are worked out from), kept
// as the spells of days each item is on its list. They are written in the appending
// transaction when the person's running totals are derived (persistence/running_totals.cpp),
// with the name and date of birth the list shows beside the item.
//
// A spell is stored once for each month it covers (short spells: the waiting list, open
// safeguarding) or each year (long ones: reviews overdue, attention), or once while it is still
// open. A list's table is keyed in the list's own order: the items on a list on a day are the
// spells of that day's month or year and the open ones, read in order, so a first page reads
// its own rows, whatever the length of the history (a later page also steps over the rows
// before it). The counts read the same rows, or the running totals that count the same spells.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/assessment_measures.hpp"
#include "domain/deferred_payments.hpp"
#include "domain/person.hpp"
#include "domain/running_totals.hpp"
#include "domain/safeguarding_measures.hpp"
#include "domain/support_measures.hpp"
#include "persistence/connection.hpp"
#include "persistence/read_models.hpp"

namespace careledger::persistence {

// Declared with the other read models: rebuilt, dumped and verified with them.
std::vector<TableSchema> kept_list_tables();
std::vector<std::string> kept_list_indexes();

// Which items of a list to read, in the list's order: `limit` of them from `offset`, or all of
// them from it.
struct ListWindow {
  std::size_t offset = 0;
  std::optional<std::size_t> limit;
};

// Each item of the window in order, with the person it is about as the list shows them: given
// to the caller as it is read, so that a whole list is never held.
template <typename Item>
using EachListed = std::function<void(const Item&, const PersonName&)>;

// The items and people of a window, held (for the tests).
template <typename Item>
struct ListRows {
  std::vector<Item> items;
  std::vector<PersonName> people;
};

// The waiting list as at a day: urgent first, then longest wait, then assessment id.
void waiting_as_at(Connection& db, domain::Date as_at, const TeamFilter& teams,
                   std::optional<domain::Priority> priority, const ListWindow& window,
                   const EachListed<domain::WaitingItem>& each);
ListRows<domain::WaitingItem> waiting_as_at(Connection& db, domain::Date as_at,
                                            const TeamFilter& teams,
                                            std::optional<domain::Priority> priority,
                                            const ListWindow& window);
// Distinct people among all its items.
long long people_waiting_as_at(Connection& db, domain::Date as_at, const TeamFilter& teams,
                               std::optional<domain::Priority> priority);

// The people whose review is overdue as at a day (reading 5), most overdue first, then by person.
void overdue_reviews_as_at(Connection& db, domain::Date as_at, const TeamFilter& teams,
                           const ListWindow& window, const EachListed<domain::OverdueReview>& each);
ListRows<domain::OverdueReview> overdue_reviews_as_at(Connection& db, domain::Date as_at,
                                                      const TeamFilter& teams,
                                                      const ListWindow& window = {});
struct OverdueCounts {
  long long total = 0;
  long long over_three_years = 0;
};
OverdueCounts overdue_counts_as_at(Connection& db, domain::Date as_at, const TeamFilter& teams);

// Concerns awaiting a decision and enquiries open as at a day, longest open first, then by id.
void open_safeguarding_as_at(Connection& db, domain::Date as_at, const TeamFilter& teams,
                             const ListWindow& window, const EachListed<domain::OpenItem>& each);
ListRows<domain::OpenItem> open_safeguarding_as_at(Connection& db, domain::Date as_at,
                                                   const TeamFilter& teams,
                                                   const ListWindow& window = {});
struct OpenCounts {
  long long concerns_awaiting_decision = 0;
  long long enquiries_open = 0;
};
OpenCounts open_safeguarding_counts(Connection& db, domain::Date as_at, const TeamFilter& teams);

// The placements that may need attention as at a day (domain::attention_spells), by id, and
// their people's names as the list keeps them (a person's once for each run of their rows).
struct AttentionPlacements {
  std::vector<domain::PlacementState> placements;
  std::vector<PersonName> people;
};
AttentionPlacements placements_for_attention(Connection& db, domain::Date as_at,
                                             const TeamFilter& teams);

// The waiting list's spells of the people recounted, rewritten together when written: each
// person's are their requests' (each with its own team) and allocations, read then: those of the
// requests named alone, or all of theirs (none when the person is not recorded).
class WaitingWrites {
 public:
  // `state` (nullptr: not recorded) is read when written, and must stand until then.
  void add(const domain::PersonId& person, const domain::PersonState* state,
           const std::optional<std::set<domain::AssessmentId>>& requests);
  // Deletes their rows, reads their requests and inserts their rows, a statement each for all
  // of them; forgets them.
  void write(Connection& db);

 private:
  struct Asked {
    const domain::PersonState* state;
    std::optional<std::set<domain::AssessmentId>> requests;  // nullopt: all of theirs
  };
  std::map<domain::PersonId, Asked> asked_;
};

// Replaces one person's spells on each of the other lists (with no record of the person: none).
void save_overdue(Connection& db, const domain::PersonId& person, const domain::PersonState* state,
                  const std::vector<domain::OverdueSpell>& spells);
void save_attention(Connection& db, const domain::PersonId& person,
                    const domain::PersonState* state,
                    const std::vector<domain::PlacementState>& placements);
void save_open_safeguarding(Connection& db, const domain::PersonId& person,
                            const domain::PersonState* state,
                            const std::vector<domain::ConcernFact>& concerns,
                            const std::vector<domain::EnquiryFact>& enquiries);

}  // namespace careledger::persistence
