#pragma once
// Inline projections: each stored event updates the read models in the append's transaction.
// The state change itself is the aggregate's pure evolve function; this file only loads and
// saves the rows it works on.

#include "persistence/connection.hpp"

#include "persistence/event_store.hpp"
#include "persistence/running_totals.hpp"

namespace careledger::persistence {

// The people whose totals the event changes are added to `recount`, which the caller runs
// before it commits (persistence/running_totals.hpp).
void project(Connection& db, const EventRecord& record, Recount& recount);
// The same, recounting at once.
void project(Connection& db, const EventRecord& record);
// The records of one transaction, in log order, projected together: each kind's records' rows
// read at once and saved at once (project() is this for one record).
void project_all(Connection& db, std::vector<const EventRecord*> records, Recount& recount);

// Empties every read model and replays the whole log into it, on the given connection,
// inside the caller's transaction.
void rebuild_read_models(Connection& db);

// Read models as they were known at a moment: the events recorded at or before
// `recorded_at_max` (RFC 3339 UTC) are copied from `source` into `target` (a fresh database,
// e.g. ":memory:", at the current schema) and projected there. The whole log: the reference
// the figures as known at a moment (persistence/figure_source.hpp) are tested against.
void replay_known_at(Connection& source, Connection& target, const std::string& recorded_at_max);
// The same for some people only: their events recorded at or before `recorded_at_max` (each
// record belongs to one person, so theirs are whole).
void replay_people_known_at(Connection& source, Connection& target,
                            const std::vector<domain::PersonId>& people,
                            const std::string& recorded_at_max);

// Every read-model row as text, in a fixed order: equal dumps mean equal read models.
std::string dump_read_models(Connection& db);

}  // namespace careledger::persistence
