#pragma once
// What a Client Level Data file reads of each person (CLD.md §4), walked person by person.

#include <functional>

#include "domain/cld_export.hpp"
#include "persistence/connection.hpp"

namespace careledger::persistence {

// Calls `each` with the facts of every person with a record of casework begun on or before
// `up_to`, in order of their id, one person at a time (memory: one person's records), every
// table read in one transaction so that the people and their records agree.
void for_each_person_facts(Connection& db, domain::Date up_to,
                           const std::function<void(const domain::cld::PersonFacts&)>& each);

}  // namespace careledger::persistence
