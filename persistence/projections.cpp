#include "persistence/projections.hpp"

#include <array>
#include <stdexcept>

#include <SQLiteCpp/Statement.h>

#include "domain/streams.hpp"
#include "persistence/read_models.hpp"

namespace careledger::persistence {

namespace {

// Loads the row the event is about, applies the aggregate's pure evolve, saves the row with the
// stream's version.
template <typename State, typename IdType, typename Find, typename Save>
void evolve_row(Connection& db, const std::string& id, const EventRecord& record, Find find,
                Save save) {
  auto state = domain::evolve(find(db, IdType{id}).value_or(State{}), record.event);
  state.version = record.version;
  save(db, state);
}

struct StreamProjection {
  std::string_view prefix;
  const char* main_table;  // holds the aggregate's row, with its version
  void (*apply)(Connection&, const std::string& id, const EventRecord&);
  void (*remove)(Connection&, const std::string& id);
};

void delete_where(Connection& db, const char* sql, const std::string& id) {
  Prepared q(db, sql);
  q->bind(1, id);
  q->exec();
}

// One entry per kind of stream.
constexpr std::array<StreamProjection, 6> projections{{
    {domain::person_stream_prefix, "rm_people",
     [](Connection& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::PersonState, domain::PersonId>(db, id, r, find_person, save_person);
     },
     [](Connection& db, const std::string& id) {
       delete_where(db, "DELETE FROM rm_people WHERE id = ?", id);
     }},
    {domain::assessment_stream_prefix, "rm_assessments",
     [](Connection& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::AssessmentState, domain::AssessmentId>(db, id, r, find_assessment,
                                                                 save_assessment);
       if (const auto* allocation = std::get_if<domain::AssessmentAllocated>(&r.event)) {
         add_allocation(db, domain::AssessmentId{id}, r.position, *allocation);
       }
     },
     [](Connection& db, const std::string& id) {
       delete_where(db, "DELETE FROM rm_assessments WHERE id = ?", id);
       delete_where(db, "DELETE FROM rm_allocations WHERE assessment_id = ?", id);
     }},
    {domain::support_stream_prefix, "rm_support_episodes",
     [](Connection& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::SupportEpisodeState, domain::SupportEpisodeId>(
           db, id, r, find_support_episode, save_support_episode);
     },
     [](Connection& db, const std::string& id) {
       delete_where(db, "DELETE FROM rm_support_episodes WHERE id = ?", id);
     }},
    {domain::review_stream_prefix, "rm_reviews",
     [](Connection& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::ReviewState, domain::ReviewId>(db, id, r, find_review, save_review);
     },
     [](Connection& db, const std::string& id) {
       delete_where(db, "DELETE FROM rm_reviews WHERE id = ?", id);
     }},
    {domain::concern_stream_prefix, "rm_concerns",
     [](Connection& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::ConcernState, domain::ConcernId>(db, id, r, find_concern, save_concern);
     },
     [](Connection& db, const std::string& id) {
       delete_where(db, "DELETE FROM rm_concerns WHERE id = ?", id);
       delete_where(db, "DELETE FROM rm_enquiries WHERE concern_id = ?", id);
     }},
    {domain::placement_stream_prefix, "rm_placements",
     [](Connection& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::PlacementState, domain::PlacementId>(db, id, r, find_placement,
                                                               save_placement);
     },
     [](Connection& db, const std::string& id) {
       delete_where(db,
                    "DELETE FROM rm_agreement_movements WHERE agreement_id IN "
                    "(SELECT id FROM rm_agreements WHERE placement_id = ?)",
                    id);
       delete_where(db, "DELETE FROM rm_agreements WHERE placement_id = ?", id);
       delete_where(db, "DELETE FROM rm_placements WHERE id = ?", id);
     }},
}};

// A correction: the aggregate's rows are rebuilt from the events of its stream that still
// stand, and take the stream's version.
void reproject(Connection& db, const StreamProjection& projection, const std::string& id,
               const EventRecord& correction) {
  projection.remove(db, id);
  // Only up to the correction: in a rebuild, later events of the stream come afterwards.
  const auto stream = read_stream(db, correction.stream_id, correction.version);
  for (const auto* record : standing_events(stream)) projection.apply(db, id, *record);
  Prepared q(db, std::string("UPDATE ") + projection.main_table + " SET version = ? WHERE id = ?");
  q->bind(1, static_cast<std::int64_t>(correction.version.value()));
  q->bind(2, id);
  q->exec();
}

}  // namespace

void project(Connection& db, const EventRecord& record) {
  for (const auto& projection : projections) {
    if (auto id = domain::stream_subject(record.stream_id, projection.prefix)) {
      if (std::holds_alternative<domain::EventVoided>(record.event)) {
        reproject(db, projection, *id, record);
      } else {
        projection.apply(db, *id, record);
      }
      return;
    }
  }
  throw std::logic_error("no projection for stream " + record.stream_id);
}

const std::vector<std::string>& read_model_tables() {
  static const std::vector<std::string> tables{
      "rm_people",     "rm_assessments",        "rm_allocations", "rm_support_episodes",
      "rm_reviews",    "rm_concerns",           "rm_enquiries",   "rm_placements",
      "rm_agreements", "rm_agreement_movements"};
  return tables;
}

std::string dump_read_models(Connection& db) {
  std::string out;
  for (const auto& table : read_model_tables()) {
    Prepared q(db, "SELECT * FROM " + table + " ORDER BY 1, 2");
    while (q->executeStep()) {
      out += table;
      for (int i = 0; i < q->getColumnCount(); ++i) out += "|" + q->getColumn(i).getString();
      out += "\n";
    }
  }
  return out;
}

void replay_known_at(Connection& source, Connection& target, const std::string& recorded_at_max) {
  constexpr std::size_t chunk = 10000;
  Prepared insert(target,
                  "INSERT INTO events (position, event_id, stream_id, version, type, "
                  "occurred_on, recorded_at, recorded_by, team, person_id, data) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  std::int64_t after = 0;
  for (;;) {
    auto records = read_all_known_at(source, after, chunk, recorded_at_max);
    for (const auto& r : records) {
      insert->reset();
      insert->clearBindings();
      insert->bind(1, r.position);
      insert->bind(2, r.event_id);
      insert->bind(3, r.stream_id);
      insert->bind(4, static_cast<std::int64_t>(r.version.value()));
      insert->bind(5, r.type);
      insert->bind(6, domain::format_date(r.occurred_on));
      insert->bind(7, r.recorded_at);
      insert->bind(8, r.recorded_by);
      insert->bind(9, r.team.str());
      if (r.person_id) insert->bind(10, r.person_id->str());
      insert->bind(11, r.data);
      insert->exec();
      project(target, r);
    }
    if (records.size() < chunk) break;
    after = records.back().position;
  }
}

void rebuild_read_models(Connection& db) {
  for (const auto& table : read_model_tables()) db.exec("DELETE FROM " + table);
  constexpr std::size_t chunk = 10000;
  std::int64_t after = 0;
  for (;;) {
    auto records = read_all(db, after, chunk);
    for (const auto& record : records) project(db, record);
    if (records.size() < chunk) break;
    after = records.back().position;
  }
}

}  // namespace careledger::persistence
