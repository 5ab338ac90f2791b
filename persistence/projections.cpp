#include "persistence/projections.hpp"

#include <array>
#include <stdexcept>

#include <SQLiteCpp/Statement.h>

#include "domain/streams.hpp"
#include "persistence/read_models.hpp"

namespace careledger::persistence {

namespace {

// Loads the row the event is about, applies the aggregate's pure evolve, saves the row.
template <typename State, typename IdType, typename Find, typename Save>
void evolve_row(SQLite::Database& db, const std::string& id, const EventRecord& record, Find find,
                Save save) {
  auto state = find(db, IdType{id}).value_or(State{});
  save(db, domain::evolve(std::move(state), record.event));
}

struct StreamProjection {
  std::string_view prefix;
  void (*apply)(SQLite::Database&, const std::string& id, const EventRecord&);
};

// One entry per kind of stream.
constexpr std::array<StreamProjection, 6> projections{{
    {domain::person_stream_prefix,
     [](SQLite::Database& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::PersonState, domain::PersonId>(db, id, r, find_person, save_person);
     }},
    {domain::assessment_stream_prefix,
     [](SQLite::Database& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::AssessmentState, domain::AssessmentId>(db, id, r, find_assessment,
                                                                 save_assessment);
       if (const auto* allocation = std::get_if<domain::AssessmentAllocated>(&r.event)) {
         add_allocation(db, domain::AssessmentId{id}, r.position, *allocation);
       }
     }},
    {domain::support_stream_prefix,
     [](SQLite::Database& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::SupportEpisodeState, domain::SupportEpisodeId>(
           db, id, r, find_support_episode, save_support_episode);
     }},
    {domain::review_stream_prefix,
     [](SQLite::Database& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::ReviewState, domain::ReviewId>(db, id, r, find_review, save_review);
     }},
    {domain::concern_stream_prefix,
     [](SQLite::Database& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::ConcernState, domain::ConcernId>(db, id, r, find_concern, save_concern);
     }},
    {domain::placement_stream_prefix,
     [](SQLite::Database& db, const std::string& id, const EventRecord& r) {
       evolve_row<domain::PlacementState, domain::PlacementId>(db, id, r, find_placement,
                                                               save_placement);
     }},
}};

}  // namespace

void project(SQLite::Database& db, const EventRecord& record) {
  for (const auto& projection : projections) {
    if (auto id = domain::stream_subject(record.stream_id, projection.prefix)) {
      projection.apply(db, *id, record);
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

std::string dump_read_models(SQLite::Database& db) {
  std::string out;
  for (const auto& table : read_model_tables()) {
    SQLite::Statement q(db, "SELECT * FROM " + table + " ORDER BY 1, 2");
    while (q.executeStep()) {
      out += table;
      for (int i = 0; i < q.getColumnCount(); ++i) out += "|" + q.getColumn(i).getString();
      out += "\n";
    }
  }
  return out;
}

void rebuild_read_models(SQLite::Database& db) {
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
