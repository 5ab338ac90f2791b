#pragma once
// Corrections: a team leader or admin voids a mistaken event. Nothing is erased; the log keeps
// the event and the correction (who, when, why), and everything computed from the log behaves
// as if the event had never happened.

#include <string>

#include "persistence/event_store.hpp"
#include "services/casework.hpp"
#include "services/command_runner.hpp"

namespace careledger::services {

struct Correction {
  HistoryItem correction;  // the event_voided record
  domain::EventVoided voided_by;
  HistoryItem voided;
};

// Thread-safe: holds only the store.
class Corrections {
 public:
  explicit Corrections(Context& store) : store_(store) {}

  // Only the latest event still standing in its stream may be voided (void later ones first),
  // and a person's registration only when nothing else about them stands: anything else would
  // leave a record resting on an event that never happened (409).
  Outcome<Correction> void_event(const Actor& actor, const std::string& event_id,
                                 const std::string& reason, const CommandOptions& options);

 private:
  Correction load_correction(const std::string& stream_id, domain::Version version);
  Context& store_;
};

}  // namespace careledger::services
