// Signing in to the dashboard (API.md: Signing in to the dashboard): POST, GET and DELETE
// /v1/session, and the session cookie they set, which authenticates reads in place of the
// bearer token.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "services/failure.hpp"
#include "services/operations.hpp"

namespace careledger::api {

namespace json = boost::json;

namespace {

constexpr std::string_view cookie_name = "careledger_session";

// The cookie's attributes: the browser sends it to this server alone, never to a script, never
// with a request another site starts, and (unless --insecure-cookie) only over HTTPS.
std::string cookie(std::string_view value, std::int64_t max_age, bool secure) {
  std::string out(cookie_name);
  out.append("=").append(value);
  out.append("; Path=/; Max-Age=").append(std::to_string(max_age));
  out.append("; HttpOnly");
  if (secure) out.append("; Secure");
  out.append("; SameSite=Strict");
  return out;
}

json::object session_json(const services::Actor& actor,
                          const std::optional<std::string>& expires_at) {
  json::array teams;
  for (const auto& team : actor.teams) teams.emplace_back(team.str());
  return json::object{
      {"user", actor.name},
      {"role", domain::code_name(actor.role)},
      {"teams", std::move(teams)},
      {"expires_at", expires_at ? json::value(*expires_at) : json::value(nullptr)},
  };
}

}  // namespace

std::optional<std::string> session_cookie(const Request& request) {
  const auto* header = request.header("cookie");
  if (header == nullptr) return std::nullopt;
  std::string_view rest(*header);
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != cookie_name) continue;
    auto value = pair.substr(equals + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    return std::string(value);
  }
  return std::nullopt;
}

void add_session_routes(std::vector<Route>& routes, services::Context& store,
                        const ApiOptions& options) {
  const auto lifetime = options.session_lifetime;
  const bool secure = options.secure_cookie;
  // Signing in is a write: the token comes in the Authorization header, never a cookie.
  routes.push_back(
      {"POST", "/v1/session", services::Purpose::reference, 201,
       [&store, lifetime, secure](Call& call) {
         const auto token = bearer_token(call.request);
         auto session = token ? services::start_session(store, *token, lifetime) : std::nullopt;
         if (!session) {  // disabled, or given a new token, since called() read it
           throw services::Failure(services::Failure::Kind::unauthenticated,
                                   "a valid bearer token is required");
         }
         Response r =
             json_response(call.success_status,
                           session_json(session->signed_in.actor, session->signed_in.expires_at));
         r.headers.emplace_back("Set-Cookie", cookie(session->id, lifetime.count(), secure));
         return r;
       }});
  routes.push_back({"GET", "/v1/session", services::Purpose::reference, 200, [&store](Call& call) {
                      std::optional<std::string> expires_at;
                      if (!bearer_token(call.request)) {
                        if (const auto id = session_cookie(call.request)) {
                          if (auto session = services::session_of(store, *id)) {
                            expires_at = session->expires_at;
                          }
                        }
                      }
                      return json_response(200, session_json(call.actor, expires_at));
                    }});
  // Signing out needs the cookie alone (Route::signs_out): it ends only the session that sent
  // it, and SameSite=Strict keeps other sites from sending it.
  Route sign_out{"DELETE", "/v1/session", services::Purpose::reference, 204,
                 [&store, secure](Call& call) {
                   if (const auto id = session_cookie(call.request)) {
                     services::end_session(store, *id);
                   }
                   Response r{204, "application/json", {}, {}, {}, {}};
                   r.headers.emplace_back("Set-Cookie", cookie("", 0, secure));
                   return r;
                 }};
  sign_out.signs_out = true;
  routes.push_back(std::move(sign_out));
}

}  // namespace careledger::api
