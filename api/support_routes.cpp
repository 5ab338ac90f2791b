// Support episodes, reviews, and the overdue-review queue.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Purpose;

namespace {

json::value support_episode_json(const domain::SupportEpisodeState& e) {
  return json::object{
      {"id", e.id.str()},
      {"person_id", e.person_id.str()},
      {"team", e.team.str()},
      {"kind", domain::code_name(e.kind)},
      {"setting", domain::code_name(e.setting)},
      {"delivery", domain::code_name(e.delivery)},
      {"started_on", domain::format_date(e.started_on)},
      {"ended_on", date_or_null(e.ended_on)},
      {"sequel", code_or_null(e.sequel)},
      {"short_term_type", code_or_null(e.short_term_type)},
      {"service_component", code_or_null(e.service_component)},
      {"end_reason", code_or_null(e.end_reason)},
      {"version", e.version.value()},
  };
}

json::value review_json(const domain::ReviewState& r) {
  return json::object{
      {"id", r.id.str()},
      {"person_id", r.person_id.str()},
      {"team", r.team.str()},
      {"reviewed_on", domain::format_date(r.reviewed_on)},
      {"planned", r.planned},
      {"outcome", domain::code_name(r.outcome)},
      {"review_reason", code_or_null(r.review_reason)},
      {"outcomes_achieved", code_or_null(r.outcomes_achieved)},
      {"version", r.version.value()},
  };
}

void overdue_item(Fields& out, const domain::OverdueReview& item,
                  const services::PersonSummary* person) {
  out.text("person_id", item.person_id.str());
  out.text("team", item.team.str());
  out.date("last_reviewed_on", item.last_reviewed_on);
  out.date("due_on", item.due_on);
  out.number("days_overdue", item.days_overdue);
  out.boolean("over_three_years", item.over_three_years);
  out.person(person);
}

Response start_support(services::SupportWork& support, Call& call) {
  BodyFields f(call.body);
  const domain::PersonId person_id{f.text("person_id")};
  domain::StartSupport command;
  command.kind = f.code<domain::SupportKind>("kind");
  command.setting = f.code<domain::Setting>("setting");
  command.delivery = f.code<domain::Delivery>("delivery");
  command.started_on = f.date("started_on");
  command.short_term_type = f.optional_code<domain::ShortTermType>("short_term_type");
  command.service_component = f.optional_code<domain::ServiceComponent>("service_component");
  f.done();
  auto outcome = support.start(call.actor, person_id, command, call.options);
  return json_response(call.success_status, support_episode_json(outcome.state),
                       outcome.state.version);
}

Response end_support(services::SupportWork& support, Call& call) {
  BodyFields f(call.body);
  domain::EndSupport command;
  command.ended_on = f.date("ended_on");
  command.sequel = f.optional_code<domain::Sequel>("sequel");
  command.end_reason = f.optional_code<domain::EventOutcome>("end_reason");
  f.done();
  auto outcome =
      support.end(call.actor, domain::SupportEpisodeId{call.params[0]}, command, call.options);
  return json_response(call.success_status, support_episode_json(outcome.state),
                       outcome.state.version);
}

Response get_episode(services::SupportWork& support, Call& call) {
  auto episode = support.episode(call.actor, domain::SupportEpisodeId{call.params[0]});
  return json_response(200, support_episode_json(episode), episode.version);
}

Response record_review(services::SupportWork& support, Call& call) {
  BodyFields f(call.body);
  const domain::PersonId person_id{f.text("person_id")};
  domain::RecordReview command;
  command.reviewed_on = f.date("reviewed_on");
  command.planned = f.boolean("planned");
  command.outcome = f.code<domain::ReviewOutcome>("outcome");
  command.review_reason = f.optional_code<domain::ReviewReason>("review_reason");
  command.outcomes_achieved = f.optional_code<domain::OutcomesMet>("outcomes_achieved");
  f.done();
  auto outcome = support.review(call.actor, person_id, command, call.options);
  return json_response(call.success_status, review_json(outcome.state), outcome.state.version);
}

Response get_review(services::SupportWork& support, Call& call) {
  auto review = support.review(call.actor, domain::ReviewId{call.params[0]});
  return json_response(200, review_json(review), review.version);
}

Response overdue(services::SupportWork& support, Call& call) {
  const auto team = call.query.team();
  const auto as_at = call.query.date("as_at");
  auto read = [&](const services::ListWindow& window, const Emit& emit) {
    const auto list = support.overdue(
        call.actor, team, as_at, window,
        [&](const domain::OverdueReview& item, const services::PersonSummary& person) {
          emit([&](Fields& out) { overdue_item(out, item, &person); });
        });
    return json::object{{"as_at", domain::format_date(list.as_at)},
                        {"total", list.total},
                        {"over_three_years", list.over_three_years}};
  };
  return list_response(call, read, columns_of([](Fields& out) { overdue_item(out, {}, nullptr); }));
}

}  // namespace

void add_support_routes(std::vector<Route>& routes, services::SupportWork& support) {
  auto route = [&](const char* method, const char* pattern, int status,
                   Response (*handler)(services::SupportWork&, Call&)) {
    routes.push_back({method, pattern, Purpose::casework, status,
                      [&support, handler](Call& c) { return handler(support, c); }});
  };
  route("POST", "/v1/support-episodes", 201, start_support);
  route("GET", "/v1/support-episodes/{}", 200, get_episode);
  route("POST", "/v1/support-episodes/{}/end", 200, end_support);
  route("POST", "/v1/reviews", 201, record_review);
  route("GET", "/v1/reviews/overdue", 200, overdue);
  route("GET", "/v1/reviews/{}", 200, get_review);
}

}  // namespace careledger::api
