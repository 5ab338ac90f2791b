#include "persistence/projections.hpp"

#include <stdexcept>

#include <SQLiteCpp/Statement.h>

#include "domain/streams.hpp"
#include "persistence/read_models.hpp"

namespace careledger::persistence {

namespace {

void project_person(SQLite::Database& db, const domain::PersonId& id, const EventRecord& record) {
  auto person = find_person(db, id).value_or(domain::PersonState{});
  save_person(db, domain::evolve(std::move(person), record.event));
}

void project_assessment(SQLite::Database& db, const domain::AssessmentId& id,
                        const EventRecord& record) {
  auto assessment = find_assessment(db, id).value_or(domain::AssessmentState{});
  save_assessment(db, domain::evolve(std::move(assessment), record.event));
  if (const auto* allocation = std::get_if<domain::AssessmentAllocated>(&record.event)) {
    add_allocation(db, id, record.position, *allocation);
  }
}

}  // namespace

void project(SQLite::Database& db, const EventRecord& record) {
  if (auto id = domain::stream_subject(record.stream_id, domain::person_stream_prefix)) {
    project_person(db, domain::PersonId{*id}, record);
  } else if (auto aid =
                 domain::stream_subject(record.stream_id, domain::assessment_stream_prefix)) {
    project_assessment(db, domain::AssessmentId{*aid}, record);
  } else {
    throw std::logic_error("no projection for stream " + record.stream_id);
  }
}

const std::vector<std::string>& read_model_tables() {
  static const std::vector<std::string> tables{"rm_people", "rm_assessments", "rm_allocations"};
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
