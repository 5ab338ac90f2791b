#pragma once
// Recording and reading people and their Care Act assessments.

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/assessment.hpp"
#include "domain/person.hpp"
#include "persistence/event_store.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

// The person, if the actor may work on their casework; otherwise Failure(not_found), naming
// `field` when the id came in a body field.
domain::PersonState visible_person(Context& store, const Actor& actor, const domain::PersonId& id,
                                   const char* field);

// One event as a person's history shows it: what happened, when, recorded by whom, in which
// record, and its data as stored (JSON).
struct HistoryItem {
  std::string event_id;
  std::string type;
  domain::Date occurred_on;
  std::string recorded_at;  // RFC 3339, UTC
  std::string recorded_by;
  std::string stream;
  domain::Version version;
  std::string data;
};
HistoryItem history_item(const persistence::EventRecord& record);

struct HistoryPage {
  std::vector<HistoryItem> items;
  std::optional<std::int64_t> next_after;  // position to continue after, if there is more
};

// Thread-safe: holds only the store.
class Casework {
 public:
  explicit Casework(Context& store) : store_(store) {}

  // The person's id is made here; any id in `command` is ignored.
  Outcome<domain::PersonState> register_person(const Actor& actor, domain::RegisterPerson command,
                                               const CommandOptions& options);
  domain::PersonState person(const Actor& actor, const domain::PersonId& id);
  Outcome<domain::PersonState> change_details(const Actor& actor, const domain::PersonId& id,
                                              const domain::ChangeDetails& command,
                                              const CommandOptions& options);
  Outcome<domain::PersonState> record_death(const Actor& actor, const domain::PersonId& id,
                                            const domain::RecordDeath& command,
                                            const CommandOptions& options);
  HistoryPage person_history(const Actor& actor, const domain::PersonId& id,
                             std::int64_t after_position, std::size_t limit);

  // The assessment's id is made here; the team is the person's.
  Outcome<domain::AssessmentState> request_assessment(const Actor& actor,
                                                      const domain::PersonId& person_id,
                                                      domain::RequestAssessment command,
                                                      const CommandOptions& options);
  Outcome<domain::AssessmentState> allocate(const Actor& actor, const domain::AssessmentId& id,
                                            const domain::AllocateAssessment& command,
                                            const CommandOptions& options);
  Outcome<domain::AssessmentState> complete(const Actor& actor, const domain::AssessmentId& id,
                                            const domain::CompleteAssessment& command,
                                            const CommandOptions& options);
  Outcome<domain::AssessmentState> close(const Actor& actor, const domain::AssessmentId& id,
                                         const domain::CloseAssessment& command,
                                         const CommandOptions& options);
  domain::AssessmentState assessment(const Actor& actor, const domain::AssessmentId& id);

 private:
  template <typename Command>
  Outcome<domain::AssessmentState> transition(const Actor& actor, const domain::AssessmentId& id,
                                              const Command& command,
                                              const CommandOptions& options);
  template <typename Command>
  Outcome<domain::PersonState> change_person(const Actor& actor, const domain::PersonId& id,
                                             const Command& command, const CommandOptions& options);
  Context& store_;
};

}  // namespace careledger::services
