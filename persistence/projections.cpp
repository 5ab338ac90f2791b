#include "persistence/projections.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include <SQLiteCpp/Statement.h>

#include "domain/records.hpp"
#include "persistence/read_models.hpp"
#include "persistence/running_totals.hpp"

namespace careledger::persistence {

namespace {

// The record's state from the events of its stream that still stand, with the stream's version.
template <typename State>
State fold_standing(const std::vector<EventRecord>& stream, domain::Version version) {
  State state{};
  for (const auto* record : standing_events(stream)) {
    state = domain::evolve(std::move(state), record->event);
  }
  state.version = version;
  return state;
}

// The families of running totals derived from each kind of record; a person's own record
// (their team, their date of birth, whether they are recorded at all) feeds every family.
template <typename State>
std::vector<Family> families_fed_by() {
  if constexpr (std::is_same_v<State, domain::PersonState>) {
    return {Family::support, Family::safeguarding, Family::assessments, Family::deferred_payments,
            Family::requests};
  } else if constexpr (std::is_same_v<State, domain::SupportEpisodeState>) {
    return {Family::support, Family::requests};
  } else if constexpr (std::is_same_v<State, domain::ReviewState>) {
    return {Family::support};
  } else if constexpr (std::is_same_v<State, domain::RequestState>) {
    return {Family::requests};
  } else if constexpr (std::is_same_v<State, domain::ConcernState>) {
    return {Family::safeguarding};
  } else if constexpr (std::is_same_v<State, domain::AssessmentState>) {
    return {Family::assessments};
  } else if constexpr (std::is_same_v<State, domain::PlacementState>) {
    return {Family::deferred_payments};
  } else {
    return {};
  }
}

// Whether the event can change what its person contributes or the lists kept beside it: a
// registration starts a person's stream (they have no other records yet), and no figure reads a
// person's changes of details or death yet. An allocation changes no figure, but the waiting
// list shows it.
bool may_change_totals(const domain::Event& event) {
  return !std::holds_alternative<domain::PersonRegistered>(event) &&
         !std::holds_alternative<domain::PersonDetailsChanged>(event) &&
         !std::holds_alternative<domain::PersonDied>(event);
}

// The events of records of this kind, in log order: each record's rows are read with the
// others' at once (a stream's first event finds none: its record has none until it is
// projected), the aggregate's pure evolve applied to each event, and each record's rows saved
// once, with the stream's version (the records' own rows by one statement). A correction folds
// the events of its stream that still stand (up to it: in a rebuild, later events of the stream
// come afterwards) afresh. Those not of this kind are left in `records`.
template <typename State>
void project_kind(Connection& db, std::vector<const EventRecord*>& records, Recount& recount) {
  using Id = typename domain::Record<State>::Id;
  std::vector<std::pair<const EventRecord*, Id>> mine;
  std::vector<Id> standing;  // records whose rows may be there already
  std::map<std::string, std::size_t> first_of;
  std::erase_if(records, [&](const EventRecord* record) {
    auto id = domain::stream_subject<State>(record->stream_id);
    if (!id) return false;
    if (first_of.try_emplace(id->str(), mine.size()).second &&
        record->version != domain::Version{1}) {
      standing.push_back(*id);
    }
    mine.emplace_back(record, std::move(*id));
    return true;
  });
  if (mine.empty()) return;

  std::map<std::string, State> before;  // the rows as they stand
  for (auto& state : find_all<State>(db, standing)) {
    std::string id = state.id.str();
    before.emplace(std::move(id), std::move(state));
  }
  std::map<std::string, State> now;
  std::set<std::string> voided_last;  // records whose last event here is a correction
  for (const auto& [record, id] : mine) {
    State state;
    const bool voids = std::holds_alternative<domain::EventVoided>(record->event);
    if (voids) {
      voided_last.insert(id.str());
    } else {
      voided_last.erase(id.str());
    }
    if (voids) {
      state = fold_standing<State>(read_stream(db, record->stream_id, record->version),
                                   record->version);
    } else {
      const auto so_far = now.find(id.str());
      const auto stood = before.find(id.str());
      state = so_far != now.end()     ? std::move(so_far->second)
              : stood != before.end() ? stood->second
                                      : State{};
      state = domain::evolve(std::move(state), record->event);
      state.version = record->version;
    }
    now.insert_or_assign(id.str(), std::move(state));
    if (record->person_id && may_change_totals(record->event)) {
      if constexpr (std::is_same_v<State, domain::AssessmentState>) {
        recount.add_request(*record->person_id, id);
        recount.add(Family::requests, *record->person_id);
      } else {
        for (const auto family : families_fed_by<State>()) recount.add(family, *record->person_id);
      }
    }
  }

  // In the order first projected.
  std::vector<std::pair<std::size_t, const std::string*>> order;
  for (const auto& [id, at] : first_of) order.emplace_back(at, &id);
  std::sort(order.begin(), order.end());
  std::vector<std::pair<const State*, const State*>> saved;
  for (const auto& [at, id] : order) {
    const State& state = now.at(*id);
    const auto stood = before.find(*id);
    const State* as_stood = stood == before.end() ? nullptr : &stood->second;
    // A correction that leaves none of the record's events standing removes its rows.
    if (state.exists || !voided_last.contains(*id)) {
      saved.emplace_back(&state, as_stood);
    } else if (as_stood != nullptr) {
      remove<State>(db, as_stood->id);
    }
  }
  save_all<State>(db, saved);
}

}  // namespace

void project(Connection& db, const EventRecord& record) {
  Recount recount;
  project(db, record, recount);
  recount.run(db);
}

void project(Connection& db, const EventRecord& record, Recount& recount) {
  project_all(db, {&record}, recount);
}

void project_all(Connection& db, std::vector<const EventRecord*> records, Recount& recount) {
  domain::Records::for_each(
      [&](auto kind) { project_kind<typename decltype(kind)::type>(db, records, recount); });
  if (!records.empty()) {
    throw std::logic_error("no kind of record has stream " + records.front()->stream_id);
  }
}

std::string dump_read_models(Connection& db) {
  std::string out;
  for (const auto& table : read_model_tables()) {
    // Each table's rows in one order whatever the engine's: sorted here, as they read.
    std::vector<std::string> rows;
    Prepared q(db, "SELECT * FROM " + table.name);
    while (q->executeStep()) {
      std::string row = table.name;
      for (int i = 0; i < q->getColumnCount(); ++i) row += "|" + q->getColumn(i).getString();
      rows.push_back(std::move(row) + "\n");
    }
    std::sort(rows.begin(), rows.end());
    for (const auto& row : rows) out += row;
  }
  return out;
}

namespace {

// Copies events into `target`'s log and projects them there, in the order given (log order).
class Replay {
 public:
  explicit Replay(Connection& target)
      : target_(target),
        insert_(target,
                "INSERT INTO events (position, event_id, stream_id, version, type, "
                "occurred_on, recorded_at, recorded_by, team, person_id, data, origin) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)") {}

  void add(const EventRecord& r) {
    insert_->reset();
    insert_->clearBindings();
    insert_->bind(1, r.position);
    insert_->bind(2, r.event_id);
    insert_->bind(3, r.stream_id);
    insert_->bind(4, static_cast<std::int64_t>(r.version.value()));
    insert_->bind(5, r.type);
    insert_->bind(6, domain::format_date(r.occurred_on));
    insert_->bind(7, r.recorded_at);
    insert_->bind(8, r.recorded_by);
    insert_->bind(9, r.team.str());
    if (r.person_id) insert_->bind(10, r.person_id->str());
    insert_->bind(11, r.data);
    if (r.origin) insert_->bind(12, *r.origin);
    insert_->exec();
    project(target_, r, recount_);
  }
  void finish() { recount_.run(target_); }

 private:
  Connection& target_;
  Prepared insert_;
  Recount recount_;
};

}  // namespace

void replay_known_at(Connection& source, Connection& target, const std::string& recorded_at_max) {
  constexpr std::size_t chunk = 10000;
  Replay replay(target);
  std::int64_t after = 0;
  for (;;) {
    auto records = read_all_known_at(source, after, chunk, recorded_at_max);
    for (const auto& r : records) replay.add(r);
    if (records.size() < chunk) break;
    after = records.back().position;
  }
  replay.finish();
}

void replay_people_known_at(Connection& source, Connection& target,
                            const std::vector<domain::PersonId>& people,
                            const std::string& recorded_at_max) {
  std::vector<EventRecord> records;
  for (const auto& person : people) {
    auto own = read_person_events_known_at(source, person, recorded_at_max);
    records.insert(records.end(), std::make_move_iterator(own.begin()),
                   std::make_move_iterator(own.end()));
  }
  std::sort(records.begin(), records.end(),
            [](const EventRecord& a, const EventRecord& b) { return a.position < b.position; });
  Replay replay(target);
  for (const auto& r : records) replay.add(r);
  replay.finish();
}

void rebuild_read_models(Connection& db) {
  for (const auto& table : read_model_tables()) db.exec("DELETE FROM " + table.name);
  constexpr std::size_t chunk = 10000;
  std::int64_t after = 0;
  Recount recount;
  for (;;) {
    auto records = read_all(db, after, chunk);
    std::vector<const EventRecord*> each;
    for (const auto& record : records) each.push_back(&record);
    project_all(db, each, recount);  // a chunk's rows of a kind read and saved at once
    if (records.size() < chunk) break;
    after = records.back().position;
  }
  recount.run(db);
}

}  // namespace careledger::persistence
