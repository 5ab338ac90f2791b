#pragma once
// What the figures of some teams are read from: the running totals and the signed agreements,
// as the read models stand or as they were known at a moment (API.md "as known at").
//
// As known at a moment, only the people with something recorded after it differ from the read
// models as they stand. Their events recorded by then are replayed into a small store in memory,
// which then holds how their totals changed (their totals then, less their totals now): the
// figures are the live totals plus that change, and the live agreements of everyone else with
// theirs as then known. The work grows with what was recorded after the moment, not with the
// history before it.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/running_totals.hpp"
#include "persistence/connection.hpp"
#include "persistence/read_models.hpp"
#include "persistence/running_totals.hpp"

namespace careledger::persistence {

class FigureSource {
 public:
  // On `db` (in the caller's read transaction), the teams of `teams` (nullopt: every team);
  // with `known_at` (RFC 3339 UTC, as stored), as known then.
  FigureSource(Connection& db, const TeamFilter& teams,
               const std::optional<std::string>& known_at = std::nullopt);
  ~FigureSource();
  FigureSource(const FigureSource&) = delete;
  FigureSource& operator=(const FigureSource&) = delete;

  domain::RunningTotals& totals() { return *totals_; }
  // The signed agreements, with their movements: read once, for every period a report asks.
  const std::vector<domain::AgreementState>& signed_agreements();

 private:
  Connection& db_;
  TeamFilter teams_;
  std::vector<domain::PersonId> changed_;  // people with something recorded after known_at
  std::unique_ptr<Connection> then_;       // their records as then known, and the change
  std::unique_ptr<StoredTotals> live_;
  std::unique_ptr<StoredTotals> change_;
  std::unique_ptr<domain::SummedTotals> summed_;
  std::optional<std::vector<domain::AgreementState>> agreements_;
  domain::RunningTotals* totals_ = nullptr;
};

}  // namespace careledger::persistence
