#include "services/casework.hpp"

#include "domain/records.hpp"
#include "persistence/read_models.hpp"
#include "persistence/teams.hpp"

namespace careledger::services {

namespace {
Failure not_found(const char* field) {
  if (field == nullptr) return Failure(Failure::Kind::not_found, "no such resource");
  return Failure(Failure::Kind::not_found, "no such person", {{field, "no such person"}});
}
}  // namespace

domain::PersonState visible_person(Context& store, const Actor& actor, const domain::PersonId& id,
                                   const char* field) {
  require_purpose(actor, Purpose::casework);
  auto db = store.readers.acquire();
  auto person = persistence::find(*db, id);
  if (!person || !actor.sees_casework_of(person->team)) throw not_found(field);
  return *person;
}

Outcome<domain::PersonState> Casework::register_person(const Actor& actor,
                                                       domain::RegisterPerson command,
                                                       const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  if (!command.team.empty() && !actor.sees_casework_of(command.team)) {
    throw Failure(Failure::Kind::forbidden, "you may not record casework for this team",
                  {{"team", "not one of your teams"}});
  }
  command.person_id = domain::PersonId{new_id("per_")};
  const domain::Date today = store_.today();
  bool registered = true;  // an unregistered team is named with the other fields at fault
  if (!command.team.empty()) {
    auto db = store_.readers.acquire();
    registered = persistence::team_registered(*db, command.team.str());
  }
  return run_command<domain::PersonState>(
      store_, actor, domain::stream_name(command.person_id), StreamMust::be_new, options,
      [&](const domain::PersonState& state) {
        auto decision = domain::decide(state, command, today);
        if (registered) return decision;
        const domain::FieldError unregistered{"team", "is not a registered team"};
        auto* rejection = std::get_if<domain::Rejection>(&decision);
        if (rejection == nullptr) {
          return domain::Decision{domain::Rejection{
              domain::Rejection::Kind::invalid, "the person breaks a rule", {unregistered}}};
        }
        if (rejection->kind == domain::Rejection::Kind::invalid) {
          rejection->errors.push_back(unregistered);
        }
        return decision;
      });
}

domain::PersonState Casework::person(const Actor& actor, const domain::PersonId& id) {
  return visible_person(store_, actor, id, nullptr);
}

HistoryItem history_item(const persistence::EventRecord& r) {
  return {r.event_id,    r.type,      r.occurred_on, r.recorded_at,
          r.recorded_by, r.stream_id, r.version,     r.data};
}

HistoryPage Casework::person_history(const Actor& actor, const domain::PersonId& id,
                                     std::int64_t after_position, std::size_t limit) {
  visible_person(store_, actor, id, nullptr);
  auto db = store_.readers.acquire();
  auto records = persistence::read_person_events(*db, id, after_position, limit + 1);
  HistoryPage page;
  if (records.size() > limit) {
    records.resize(limit);
    page.next_after = records.back().position;
  }
  for (const auto& record : records) page.items.push_back(history_item(record));
  return page;
}

Outcome<domain::AssessmentState> Casework::request_assessment(const Actor& actor,
                                                              const domain::PersonId& person_id,
                                                              domain::RequestAssessment command,
                                                              const CommandOptions& options) {
  const domain::PersonState person = visible_person(store_, actor, person_id, "person_id");
  command.assessment_id = domain::AssessmentId{new_id("asm_")};
  const domain::Date today = store_.today();
  return run_command<domain::AssessmentState>(
      store_, actor, domain::stream_name(command.assessment_id), StreamMust::be_new, options,
      [&](const domain::AssessmentState& state) {
        return domain::decide(state, command, person, today);
      });
}

template <typename Command>
Outcome<domain::AssessmentState> Casework::transition(const Actor& actor,
                                                      const domain::AssessmentId& id,
                                                      const Command& command,
                                                      const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  const domain::Date today = store_.today();
  return run_command<domain::AssessmentState>(
      store_, actor, domain::stream_name(id), StreamMust::exist, options,
      [&](const domain::AssessmentState& state) { return domain::decide(state, command, today); });
}

Outcome<domain::AssessmentState> Casework::allocate(const Actor& actor,
                                                    const domain::AssessmentId& id,
                                                    const domain::AllocateAssessment& command,
                                                    const CommandOptions& options) {
  return transition(actor, id, command, options);
}
Outcome<domain::AssessmentState> Casework::complete(const Actor& actor,
                                                    const domain::AssessmentId& id,
                                                    const domain::CompleteAssessment& command,
                                                    const CommandOptions& options) {
  return transition(actor, id, command, options);
}
Outcome<domain::AssessmentState> Casework::close(const Actor& actor, const domain::AssessmentId& id,
                                                 const domain::CloseAssessment& command,
                                                 const CommandOptions& options) {
  return transition(actor, id, command, options);
}

domain::AssessmentState Casework::assessment(const Actor& actor, const domain::AssessmentId& id) {
  return visible_record(store_, actor, id);
}

template <typename Command>
Outcome<domain::PersonState> Casework::change_person(const Actor& actor, const domain::PersonId& id,
                                                     const Command& command,
                                                     const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  const domain::Date today = store_.today();
  return run_command<domain::PersonState>(
      store_, actor, domain::stream_name(id), StreamMust::exist, options,
      [&](const domain::PersonState& state) { return domain::decide(state, command, today); });
}

Outcome<domain::PersonState> Casework::change_details(const Actor& actor,
                                                      const domain::PersonId& id,
                                                      const domain::ChangeDetails& command,
                                                      const CommandOptions& options) {
  return change_person(actor, id, command, options);
}

Outcome<domain::PersonState> Casework::record_death(const Actor& actor, const domain::PersonId& id,
                                                    const domain::RecordDeath& command,
                                                    const CommandOptions& options) {
  return change_person(actor, id, command, options);
}

}  // namespace careledger::services
