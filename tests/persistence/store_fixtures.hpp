#pragma once
// Test data for the persistence tests ("controls"): events of a small casework.

#include <string>

#include "domain/events.hpp"
#include "domain/records.hpp"
#include "persistence/event_store.hpp"

namespace careledger::testing {

inline domain::Date day(const char* text) {
  return domain::parse_date(text).value();
}

inline persistence::PendingEvent registered(const std::string& person, const std::string& team) {
  domain::PersonRegistered e;
  e.person_id = domain::PersonId{person};
  e.given_name = "Given";
  e.family_name = "Family";
  e.date_of_birth = day("1950-01-01");
  e.team = domain::Team{team};
  e.registered_on = day("2024-01-01");
  return {e, e.team, e.person_id};
}

inline persistence::PendingEvent requested(const std::string& assessment, const std::string& person,
                                           const std::string& team, const char* on,
                                           domain::Priority priority = domain::Priority::high) {
  domain::AssessmentRequested e{domain::AssessmentId{assessment},
                                domain::PersonId{person},
                                domain::Team{team},
                                domain::AssessmentKind::needs,
                                day(on),
                                priority,
                                std::nullopt};
  return {e, e.team, e.person_id};
}

inline persistence::PendingEvent then(const domain::Event& e, const std::string& person,
                                      const std::string& team) {
  return {e, domain::Team{team}, domain::PersonId{person}};
}

inline persistence::AppendRequest append(std::string stream, persistence::ExpectedVersion expected,
                                         std::vector<persistence::PendingEvent> events) {
  return {std::move(stream), expected, std::move(events), "tester",
          std::nullopt,      {},       std::nullopt,      {}};
}

}  // namespace careledger::testing
