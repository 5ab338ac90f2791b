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

// The cookie's attributes: the browser sends it to this server alone, never to a script, never
// with a request another site starts, and (unless --insecure-cookie) only over HTTPS. A Secure
// cookie's name has the __Host- prefix, so the browser keeps none that another host of the
// same domain sets with a Domain or a narrower Path, and such a cookie cannot stand in for it.
std::string cookie(std::string_view value, std::int64_t max_age, bool secure) {
  std::string out(session_cookie_name(secure));
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

std::string_view session_cookie_name(bool secure) {
  return secure ? "__Host-careledger_session" : "careledger_session";
}

std::optional<std::string> session_cookie(const Request& request, bool secure) {
  const auto name = session_cookie_name(secure);
  std::optional<std::string> found;
  for (const auto& [header, text] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest(text);
    while (!rest.empty()) {
      const auto end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto equals = pair.find('=');
      if (equals == std::string_view::npos || pair.substr(0, equals) != name) continue;
      // Two of them: one was not set by this server as it sets its own. Neither is trusted.
      if (found) return std::nullopt;
      auto value = pair.substr(equals + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      found = std::string(value);
    }
  }
  return found;
}

void add_session_routes(std::vector<Route>& routes, services::Context& store,
                        const ApiOptions& options) {
  const auto lifetime = options.session_lifetime;
  const bool secure = options.secure_cookie;
  // Signing in is a write: the token comes in the Authorization header, never a cookie. A
  // session the browser already had is ended, so signing in again replaces it.
  routes.push_back(
      {"POST", "/v1/session", services::Purpose::reference, 201,
       [&store, lifetime, secure](Call& call) {
         const auto token = bearer_token(call.request);
         auto session = token ? services::start_session(store, *token, lifetime) : std::nullopt;
         if (!session) {  // disabled, or given a new token, since called() read it
           throw services::Failure(services::Failure::Kind::unauthenticated,
                                   "a valid bearer token is required");
         }
         if (const auto earlier = session_cookie(call.request, secure)) {
           services::end_session(store, *earlier);
         }
         Response r =
             json_response(call.success_status,
                           session_json(session->signed_in.actor, session->signed_in.expires_at));
         r.headers.emplace_back("Set-Cookie", cookie(session->id, lifetime.count(), secure));
         return r;
       }});
  // The caller as called() found them: with the cookie, its session's expiry.
  routes.push_back({"GET", "/v1/session", services::Purpose::reference, 200, [](Call& call) {
                      return json_response(200, session_json(call.actor, call.session_expires_at));
                    }});
  // Signing out needs no token: holding the cookie is all the authority needed to end its
  // session, and it must work when the session has already ended (expired, or the user given a
  // new token). Limited per address as requests without a token are (Route::signs_out).
  Route sign_out{"DELETE", "/v1/session", std::nullopt, 204, [&store, secure](Call& call) {
                   if (const auto id = session_cookie(call.request, secure)) {
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
