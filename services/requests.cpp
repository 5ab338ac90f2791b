#include "services/requests.hpp"

#include "domain/records.hpp"
#include "services/casework.hpp"

namespace careledger::services {

Outcome<domain::RequestState> Requests::receive(const Actor& actor,
                                                const domain::PersonId& person_id,
                                                domain::ReceiveRequest command,
                                                const CommandOptions& options) {
  const auto person = visible_person(store_, actor, person_id, "person_id");
  command.request_id = domain::RequestId{new_id("req_")};
  const domain::Date today = store_.today();
  return run_command<domain::RequestState>(store_, actor, domain::stream_name(command.request_id),
                                           StreamMust::be_new, options,
                                           [&](const domain::RequestState& state) {
                                             return domain::decide(state, command, person, today);
                                           });
}

Outcome<domain::RequestState> Requests::decide(const Actor& actor, const domain::RequestId& id,
                                               domain::DecideRequest command,
                                               const std::optional<AssessmentOrder>& assessment,
                                               const CommandOptions& options) {
  require_purpose(actor, Purpose::casework);
  if (assessment) command.assessment_id = domain::AssessmentId{new_id("asm_")};
  const domain::Date today = store_.today();
  auto started_assessment = [&](const domain::RequestState& request) {
    std::vector<persistence::NewStream> streams;
    if (!command.assessment_id) return streams;
    const auto person = load<domain::PersonState>(store_, domain::stream_name(request.person_id));
    const domain::RequestAssessment order{*command.assessment_id, assessment->kind,
                                          command.decided_on, assessment->priority, request.id};
    auto decision = domain::decide(domain::AssessmentState{}, order, person, today);
    if (auto* rejection = std::get_if<domain::Rejection>(&decision)) {
      for (auto& error : rejection->errors) error.field = "assessment." + error.field;
      throw from_rejection(*rejection);
    }
    domain::AssessmentState started;
    persistence::NewStream stream{domain::stream_name(*command.assessment_id), {}};
    for (const auto& event : std::get<std::vector<domain::Event>>(decision)) {
      started = domain::evolve(std::move(started), event);
      stream.events.push_back({event, started.team, started.person_id});
    }
    streams.push_back(std::move(stream));
    return streams;
  };
  return run_command<domain::RequestState>(
      store_, actor, domain::stream_name(id), StreamMust::exist, options,
      [&](const domain::RequestState& state) { return domain::decide(state, command, today); },
      started_assessment);
}

domain::RequestState Requests::request(const Actor& actor, const domain::RequestId& id) {
  return visible_record(store_, actor, id);
}

}  // namespace careledger::services
