// Corrections: voiding a mistaken event.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "services/corrections.hpp"

namespace careledger::api {

namespace json = boost::json;

namespace {

json::value correction_json(const services::Correction& c) {
  return json::object{
      {"id", c.correction.event_id},
      {"event_id", c.voided_by.event_id},
      {"reason", c.voided_by.reason},
      {"stream", c.correction.stream},
      {"version", c.correction.version.value()},
      {"recorded_at", c.correction.recorded_at},
      {"recorded_by", c.correction.recorded_by},
      {"voided", history_item_json(c.voided)},
  };
}

}  // namespace

void add_correction_routes(std::vector<Route>& routes, services::Corrections& corrections) {
  routes.push_back(
      {"POST", "/v1/corrections", services::Purpose::corrections, 201, [&corrections](Call& call) {
         BodyFields f(call.body);
         const auto event_id = f.text("event_id");
         const auto reason = f.text("reason", 1000);
         f.done();
         auto outcome = corrections.void_event(call.actor, event_id, reason, call.options);
         return json_response(call.success_status, correction_json(outcome.state),
                              outcome.state.correction.version);
       }});
}

}  // namespace careledger::api
