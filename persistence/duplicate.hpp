#pragma once
// A row that is already there: its unique key taken by another write, perhaps one made at the
// same moment on another instance. The writes that may meet one raise it alike on both engines
// (an INSERT ... ON CONFLICT DO NOTHING that inserted nothing), so the services answer a race
// as they answer a sequential duplicate.

#include <stdexcept>

namespace careledger::persistence {

class Duplicate : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace careledger::persistence
