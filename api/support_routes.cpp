// Support episodes, reviews, and the overdue-review queue.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Purpose;

namespace {

Response start_support(services::SupportWork& support, Call& call) {
  BodyFields f(call.body);
  const domain::PersonId person_id{f.text("person_id")};
  domain::StartSupport command;
  command.kind = f.code<domain::SupportKind>("kind");
  command.setting = f.code<domain::Setting>("setting");
  command.delivery = f.code<domain::Delivery>("delivery");
  command.started_on = f.date("started_on");
  f.done();
  auto outcome = support.start(call.actor, person_id, command, call.options);
  return json_response(outcome.status, support_episode_json(outcome.state), outcome.state.version);
}

Response end_support(services::SupportWork& support, Call& call) {
  BodyFields f(call.body);
  domain::EndSupport command;
  command.ended_on = f.date("ended_on");
  command.sequel = f.optional_code<domain::Sequel>("sequel");
  f.done();
  auto outcome =
      support.end(call.actor, domain::SupportEpisodeId{call.params[0]}, command, call.options);
  return json_response(outcome.status, support_episode_json(outcome.state), outcome.state.version);
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
  f.done();
  auto outcome = support.review(call.actor, person_id, command, call.options);
  return json_response(outcome.status, review_json(outcome.state), outcome.state.version);
}

Response get_review(services::SupportWork& support, Call& call) {
  auto review = support.review(call.actor, domain::ReviewId{call.params[0]});
  return json_response(200, review_json(review), review.version);
}

Response overdue(services::SupportWork& support, services::Store& store, Call& call) {
  const domain::Date as_at = call.query.date("as_at").value_or(store.today());
  auto page = support.overdue(call.actor, call.query.team(), as_at, call.query.offset(),
                              call.query.limit());
  json::array items;
  for (const auto& item : page.items) items.push_back(overdue_item_json(item));
  return json_response(200, json::object{
                                {"as_at", domain::format_date(as_at)},
                                {"total", page.total},
                                {"over_three_years", page.over_three_years},
                                {"items", std::move(items)},
                                {"next_cursor", next_cursor_json(page.next_offset)},
                            });
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
  routes.push_back({"GET", "/v1/reviews/overdue", Purpose::casework, 200,
                    [&support](Call& c) { return overdue(support, support.store(), c); }, true});
  route("GET", "/v1/reviews/{}", 200, get_review);
}

}  // namespace careledger::api
