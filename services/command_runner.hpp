#pragma once
// The one way a command is carried out, for every aggregate:
// load the stream -> check access and If-Match -> decide -> append with the expected version.
// Idempotency-Key repeats answer with the resource as the first request left it.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "domain/configuration.hpp"
#include "domain/records.hpp"
#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/read_models.hpp"
#include "services/access.hpp"
#include "services/clock.hpp"
#include "services/failure.hpp"

namespace careledger::services {

// What every service works with: the store (its one writer and its readers), the clock, the
// council's configuration and the kept answers. Thread-safe as its parts are.
struct Context {
  persistence::Appender& writer;
  persistence::Readers& readers;
  Today today;
  domain::Configuration config;
};

struct CommandOptions {
  std::optional<std::string> idempotency_key;
  std::string request_hash;  // of the request as sent, to tell a repeat from a reuse of the key
  std::optional<domain::Version> if_match;
};

template <typename State>
struct Outcome {
  State state;
  bool repeated = false;  // an Idempotency-Key repeat: nothing new was recorded
};

using domain::Subject;
using domain::subject_of;

// The aggregate from its stream: the events that still stand, folded; its version is the
// stream's, corrections included, so that expected versions and ETags follow the log.
template <typename State>
State fold(const std::vector<persistence::EventRecord>& records) {
  State state{};
  for (const auto* record : persistence::standing_events(records)) {
    state = domain::evolve(std::move(state), record->event);
  }
  if (!records.empty()) state.version = records.back().version;
  return state;
}

template <typename State>
State load(Context& store, const std::string& stream_id,
           std::optional<domain::Version> up_to = std::nullopt) {
  auto db = store.readers.acquire();
  return fold<State>(persistence::read_stream(*db, stream_id, up_to));
}

// The record an id names, if the actor may work on its casework; otherwise Failure(not_found).
template <typename Tag>
domain::StateOf<domain::Id<Tag>> visible_record(Context& store, const Actor& actor,
                                                const domain::Id<Tag>& id) {
  require_purpose(actor, Purpose::casework);
  auto db = store.readers.acquire();
  auto found = persistence::find(*db, id);
  if (!found || !actor.sees_casework_of(subject_of(*found).team)) {
    throw Failure(Failure::Kind::not_found, "no such resource");
  }
  return *found;
}

// The claim an Idempotency-Key makes, if the request has one.
inline std::optional<persistence::IdempotencyClaim> idempotency_claim(
    const Actor& actor, const CommandOptions& options) {
  if (!options.idempotency_key) return std::nullopt;
  return persistence::IdempotencyClaim{actor.name, *options.idempotency_key, options.request_hash};
}

// What an earlier request with this key was answered, if any; refuses (422) a key reused for
// a different request.
inline std::optional<persistence::IdempotencyRecord> earlier_answer(Context& store,
                                                                    const Actor& actor,
                                                                    const CommandOptions& options) {
  if (!options.idempotency_key) return std::nullopt;
  auto db = store.readers.acquire();
  return persistence::find_idempotency(*db, actor.name, *options.idempotency_key);
}
inline const persistence::IdempotencyRecord& same_request(
    const persistence::IdempotencyRecord& first, const CommandOptions& options) {
  if (first.request_hash != options.request_hash) {
    throw invalid_field("Idempotency-Key", "already used for a different request");
  }
  return first;
}

enum class StreamMust { be_new, exist };

// Records no stream beside the command's own.
struct NoNewStreams {
  template <typename State>
  std::vector<persistence::NewStream> operator()(const State&) const {
    return {};
  }
};

// `decide` maps the current state to a domain::Decision; `new_streams` maps the state after it
// to the streams started in the same transaction (a request's outcome starting an assessment).
template <typename State, typename Decide, typename NewStreams = NoNewStreams>
Outcome<State> run_command(Context& store, const Actor& actor, const std::string& stream_id,
                           StreamMust must, const CommandOptions& options, Decide&& decide,
                           NewStreams&& new_streams = {}) {
  auto replay = [&](const persistence::IdempotencyRecord& first) {
    same_request(first, options);
    return Outcome<State>{load<State>(store, first.stream_id, first.version), true};
  };
  if (auto first = earlier_answer(store, actor, options)) return replay(*first);
  const auto claim = idempotency_claim(actor, options);
  constexpr int attempts = 3;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    // A new stream's id was made by the server just before (new_id): nothing can be recorded
    // under it yet, so the first try decides on the empty state without reading the log. Were
    // the append to find it taken (its expected version is no stream), the next try reads it.
    State state = must == StreamMust::be_new && attempt == 0 ? fold<State>({})
                                                             : load<State>(store, stream_id);
    if (must == StreamMust::exist &&
        (!state.exists || !actor.sees_casework_of(subject_of(state).team))) {
      throw Failure(Failure::Kind::not_found, "no such resource");
    }
    if (options.if_match && *options.if_match != state.version) {
      throw Failure(Failure::Kind::precondition_failed,
                    "the resource has changed since that version");
    }
    domain::Decision decision = decide(state);
    if (auto* rejection = std::get_if<domain::Rejection>(&decision))
      throw from_rejection(*rejection);
    auto& events = std::get<std::vector<domain::Event>>(decision);

    State after = state;
    persistence::AppendRequest request{stream_id,
                                       state.version == domain::Version{}
                                           ? persistence::ExpectedVersion::no_stream()
                                           : persistence::ExpectedVersion::exact(state.version),
                                       {},
                                       actor.name,
                                       claim,
                                       {},
                                       std::nullopt,
                                       {}};
    for (const auto& event : events) {
      after = domain::evolve(std::move(after), event);
      const Subject subject = subject_of(after);
      request.events.push_back({event, subject.team, subject.person_id});
    }
    request.new_streams = new_streams(after);
    auto result = store.writer.append(std::move(request));
    if (std::holds_alternative<persistence::Appended>(result)) {
      return Outcome<State>{std::move(after), false};
    }
    if (auto* repeat = std::get_if<persistence::IdempotentRepeat>(&result)) {
      return replay(repeat->first);
    }
    if (options.if_match) {
      throw Failure(Failure::Kind::precondition_failed,
                    "the resource has changed since that version");
    }
    // Another request moved the stream on between our read and our append: decide again.
  }
  throw Failure(Failure::Kind::conflict, "the resource is changing too fast; try again");
}

}  // namespace careledger::services
