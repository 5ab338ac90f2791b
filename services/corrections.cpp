#include "services/corrections.hpp"

#include "domain/records.hpp"

namespace careledger::services {

namespace {

Failure unknown_event() {
  return Failure(Failure::Kind::not_found, "no such event", {{"event_id", "no such event"}});
}

// Another stream about this person still has an event standing.
bool others_stand(persistence::Connection& db, const persistence::EventRecord& registration) {
  if (!registration.person_id) return false;
  std::int64_t after = 0;
  for (;;) {
    auto page = persistence::read_person_events(db, *registration.person_id, after, 1000);
    for (const auto& r : page) {
      if (r.stream_id == registration.stream_id) continue;
      const auto stream = persistence::read_stream(db, r.stream_id);
      if (!persistence::standing_events(stream).empty()) return true;
    }
    if (page.size() < 1000) return false;
    after = page.back().position;
  }
}

}  // namespace

Correction Corrections::load_correction(const std::string& stream_id, domain::Version version) {
  auto db = store_.readers.acquire();
  auto stream = persistence::read_stream(*db, stream_id, version);
  const auto& voided_by = std::get<domain::EventVoided>(stream.back().event);
  return Correction{history_item(stream.back()), voided_by,
                    history_item(persistence::find_event(*db, voided_by.event_id).value())};
}

Outcome<Correction> Corrections::void_event(const Actor& actor, const std::string& event_id,
                                            const std::string& reason,
                                            const CommandOptions& options) {
  require_purpose(actor, Purpose::corrections);
  auto replay = [&](const persistence::IdempotencyRecord& first) {
    same_request(first, options);
    return Outcome<Correction>{load_correction(first.stream_id, first.version), true};
  };
  if (auto first = earlier_answer(store_, actor, options)) return replay(*first);
  const auto claim = idempotency_claim(actor, options);
  for (int attempt = 0; attempt < 3; ++attempt) {
    persistence::AppendRequest request;
    {
      auto db = store_.readers.acquire();
      auto target = persistence::find_event(*db, event_id);
      if (!target || !actor.sees_casework_of(target->team)) throw unknown_event();
      if (std::holds_alternative<domain::EventVoided>(target->event)) {
        throw Failure(Failure::Kind::conflict, "a correction cannot itself be voided");
      }
      const auto stream = persistence::read_stream(*db, target->stream_id);
      const auto standing = persistence::standing_events(stream);
      const bool stands = std::any_of(standing.begin(), standing.end(),
                                      [&](const auto* r) { return r->event_id == event_id; });
      if (!stands) throw Failure(Failure::Kind::conflict, "the event is already voided");
      if (standing.back()->event_id != event_id) {
        throw Failure(Failure::Kind::conflict,
                      "later events of this record rest on this one; void them first");
      }
      // A request's outcome and the assessment it started were recorded together: the
      // assessment goes first, or the request would be open with an assessment still waiting.
      if (const auto* decided = std::get_if<domain::RequestDecided>(&target->event);
          decided != nullptr && decided->assessment_id &&
          !persistence::standing_events(
               persistence::read_stream(*db, domain::stream_name(*decided->assessment_id)))
               .empty()) {
        throw Failure(Failure::Kind::conflict,
                      "the assessment this outcome started stands; void its assessment_requested "
                      "event first");
      }
      if (domain::stream_subject<domain::PersonState>(target->stream_id) &&
          others_stand(*db, *target)) {
        throw Failure(Failure::Kind::conflict,
                      "other records about this person stand; void them first");
      }
      const domain::Version version = stream.back().version;
      if (options.if_match && *options.if_match != version) {
        throw Failure(Failure::Kind::precondition_failed,
                      "the record has changed since that version");
      }
      request = persistence::AppendRequest{target->stream_id,
                                           persistence::ExpectedVersion::exact(version),
                                           {{domain::EventVoided{event_id, reason, store_.today()},
                                             target->team, target->person_id}},
                                           actor.name,
                                           claim,
                                           {},
                                           std::nullopt,
                                           {}};
    }
    auto result = store_.writer.append(std::move(request));
    if (auto* appended = std::get_if<persistence::Appended>(&result)) {
      return Outcome<Correction>{
          load_correction(appended->records.back().stream_id, appended->version), false};
    }
    if (auto* repeat = std::get_if<persistence::IdempotentRepeat>(&result)) {
      return replay(repeat->first);
    }
    // The stream moved on between reading and appending: look again.
  }
  throw Failure(Failure::Kind::conflict, "the record is changing too fast; try again");
}

}  // namespace careledger::services
