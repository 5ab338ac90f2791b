#pragma once
// The HTTP contract (docs/API.md): routing and the conventions every endpoint shares. handle()
// takes every request the same one way — route, authenticate, rate limit, authorise, parse,
// call one service, map any refusal through problem_response — and never throws. It is not
// pure: it reads and writes the store and counts metrics.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/http.hpp"
#include "api/input.hpp"
#include "api/metrics.hpp"
#include "services/care_homes.hpp"
#include "services/casework.hpp"
#include "services/cld_import.hpp"
#include "services/client_level_data.hpp"
#include "services/command_runner.hpp"
#include "services/corrections.hpp"
#include "services/operations.hpp"
#include "services/requests.hpp"
#include "services/safeguarding.hpp"
#include "services/scratch_directory.hpp"
#include "services/support.hpp"

namespace careledger::api {

// One request after the shared conventions have been applied.
struct Call {
  const Request& request;
  services::Actor actor;
  std::vector<std::string> params;  // the path's {} segments, in order
  QueryParams query;
  boost::json::object body;  // POST only
  services::CommandOptions options;
  int success_status = 200;  // the route's; a repeated Idempotency-Key answers the same
  // When the caller came with the dashboard's session cookie: when their session expires.
  std::optional<std::string> session_expires_at;
};

struct Route {
  std::string method;
  std::string pattern;                       // "/v1/people/{}": each {} matches one segment
  std::optional<services::Purpose> purpose;  // nullopt: no token needed
  int success_status = 200;
  std::function<Response(Call&)> handler;
  // It returns or addresses a person's record or person ids: each request on it, refusals
  // included, is in the access log before its answer is sent.
  bool personal = false;
  // Its body is a file (a CLD file to import), up to ApiOptions::upload_limit: the server writes
  // it to disk as it comes (Request::upload) instead of reading it into memory, and only once
  // the caller is known and allowed, and `admit` (when set) has found nothing wrong with the
  // header alone (its media type, its parameters). `admit` throws Failure as the handler would.
  bool upload = false;
  std::function<void(const Call&)> admit = nullptr;
  // Signing out: it needs no token, and is limited per client address as requests without a
  // valid token are.
  bool signs_out = false;
};

// A write from a caller already known in-process (a file being loaded): the route's own
// parsing, rules and service call, without HTTP text, a bearer token or the rate limit.
struct Submission {
  std::string method = "POST";
  std::string path;
  boost::json::object body;
  std::optional<std::string> idempotency_key;
  std::string request_hash;  // what a repeat of the key must match
};

struct ApiOptions {
  double rate_per_second = 1000;  // per user; 0 turns the limit off
  double burst = 2000;
  // Requests without a valid token, per client address; 0 turns the limit off.
  double anonymous_per_second = 5;
  double anonymous_burst = 50;
  // A reverse proxy's address: requests from it are taken to come from the address it appends
  // to X-Forwarded-For (for the per-address limit and the access log); from anywhere else, the
  // header is ignored.
  std::optional<std::string> trusted_proxy;
  // Where an answer too large for memory (the CLD file) is spooled, and a CLD import staged:
  // empty for a directory of the Api's own under the temporary directory. The server puts it
  // beside a SQLite database, on disk (a tmpfs /tmp is memory).
  std::string spool_directory;
  // The largest body of an upload route (CLD.md §6: a CLD file, up to 256 MiB), exempt from the
  // server's limit on other bodies.
  std::size_t upload_limit = 256 * 1024 * 1024;
  // The dashboard's sessions: how long one lasts from signing in, and whether its cookie is
  // sent over HTTPS alone (`Secure`; serve --insecure-cookie turns it off, for plain-HTTP
  // development only).
  std::chrono::seconds session_lifetime{std::chrono::hours{8}};
  bool secure_cookie = true;
  // Where the request log's lines go (API.md: one JSON line per request), if anywhere.
  std::function<void(const std::string& line)> log_request;

  // No limit on anyone: for callers in-process (a file being loaded, a fuzz target).
  static ApiOptions unlimited() {
    ApiOptions options;
    options.rate_per_second = 0;
    options.anonymous_per_second = 0;
    return options;
  }
};

// Thread-safe.
class Api {
 public:
  Api(services::Context& store, ApiOptions options = {});
  Response handle(const Request& request) noexcept;
  // A write (see Submission) answered as handle() would answer it; never throws.
  Response submit(const services::Actor& actor, Submission submission) noexcept;
  // The answer to a request the server refuses before any route sees it (too large, badly
  // framed: ServerOptions::refusal), from what was read of it: the refusal, with its request
  // id, in the request log and, on a route that carries person data, the access log, as
  // handle() would give it. Never throws.
  Response refuse(const Request& partial, const services::Failure& why) noexcept;
  // ServerOptions::upload_limit: upload_limit for a request to an upload route, else nullopt.
  std::optional<std::size_t> upload_limit(const Request& header) const noexcept;
  // ServerOptions::admit_upload: the answer refusing an upload from its header alone, as
  // handle() would refuse it (token, role, rate, the route's own `admit`), logged as handle()
  // logs a refusal; nullopt when its body may be read (handle() then answers it, and checks
  // all again). Never throws.
  std::optional<Response> admit_upload(const Request& header) noexcept;
  // Every route, in the order they are matched (the access-matrix test walks them).
  const std::vector<Route>& routes() const { return routes_; }
  // Where it spools and stages: ApiOptions::spool_directory, or when that is empty a directory
  // of this Api's own under the temporary directory (services::ScratchDirectory), removed with
  // it; never one that another process uses.
  const std::string& spool_directory() const { return options_.spool_directory; }

 private:
  const Route* find_route(const Request& request, std::vector<std::string>& params,
                          std::string& allowed) const;
  // By its bearer token, else (on a read) its session cookie.
  // (expires_at is empty for a bearer token.)
  std::optional<services::SignedIn> caller(const Request& request);
  // What the request log says of a request besides its answer.
  struct Seen {
    std::string route = "unmatched";  // the route's pattern
    std::optional<std::string> user;  // the caller, once known
    std::optional<domain::Role> role;
    const Route* matched = nullptr;
    std::vector<std::string> params;
    std::string client;     // the client's address
    bool admitted = false;  // an upload let through to be read: no answer yet, nothing logged
  };
  std::string client_of(const Request& request) const;
  // Makes the access log's entry for the answer durable; if it cannot be, the answer is not
  // given (a 500 instead).
  Response logged_access(const Request& request, const Seen& seen, Response response,
                         const std::string& request_id) noexcept;
  Response logged_access_or_throw(const Request& request, const Seen& seen, Response response,
                                  const std::string& request_id);
  template <class Dispatch>
  Response answer(const Request& request, Seen& seen, Dispatch&& dispatch) noexcept;
  // answer(), then the access log's entry, the shared headers, the metrics and request log.
  template <class Dispatch>
  Response respond(const Request& request, Dispatch&& dispatch) noexcept;
  Response dispatch(const Request& request, Seen& seen);
  // The shared conventions up to the route's handler: who calls (and whether they may), the
  // query, and for an upload the route's `admit`. Throws Failure.
  Call called(const Request& request, const Route& route, std::vector<std::string> params,
              Seen& seen);
  Response metrics_text();
  void count_and_log(std::string_view request_id, const std::optional<std::string>& user,
                     std::string_view method, const std::string& route, int status,
                     std::chrono::steady_clock::duration took);
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last;
  };
  // Takes a token from the bucket of `who` (filling at `per_second` up to `burst`); false when
  // it is empty.
  bool within_rate(std::map<std::string, Bucket>& buckets, const std::string& who,
                   double per_second, double burst);

  services::Context& store_;
  std::unique_ptr<services::ScratchDirectory> scratch_;  // when no spool directory is given
  ApiOptions options_;
  services::Casework casework_;
  services::SupportWork support_;
  services::Requests requests_;
  services::ClientLevelData client_level_data_;
  services::CldImports cld_imports_;
  services::Safeguarding safeguarding_;
  services::CareHomes care_homes_;
  services::Corrections corrections_;
  std::vector<Route> routes_;
  Metrics metrics_;
  std::mutex rate_mutex_;
  std::map<std::string, Bucket> users_;      // by user name
  std::map<std::string, Bucket> addresses_;  // requests without a valid token, by address
};

// The Content-Security-Policy of the dashboard's files: scripts, styles and requests to this
// server alone, nothing inline, no framing. Every other answer has `default-src 'none'`.
inline constexpr std::string_view dashboard_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

// The request's bearer token (Authorization: Bearer ...), if any.
std::optional<std::string> bearer_token(const Request& request);
// The session cookie's name: __Host-careledger_session, or careledger_session when it is not
// `Secure` (serve --insecure-cookie).
std::string_view session_cookie_name(bool secure);
// The value of the request's session cookie, if it has exactly one.
std::optional<std::string> session_cookie(const Request& request, bool secure);

void add_people_routes(std::vector<Route>& routes, services::Casework& casework);
void add_assessment_routes(std::vector<Route>& routes, services::Casework& casework);
void add_request_routes(std::vector<Route>& routes, services::Requests& requests);
void add_cld_routes(std::vector<Route>& routes, services::ClientLevelData& data,
                    const std::string& spool_directory);
void add_import_routes(std::vector<Route>& routes, services::CldImports& imports,
                       const std::string& spool_directory);
void add_query_routes(std::vector<Route>& routes, services::Context& store);
void add_support_routes(std::vector<Route>& routes, services::SupportWork& support);
void add_safeguarding_routes(std::vector<Route>& routes, services::Safeguarding& safeguarding);
void add_care_home_routes(std::vector<Route>& routes, services::CareHomes& care_homes);
void add_report_routes(std::vector<Route>& routes, services::Context& store);
void add_correction_routes(std::vector<Route>& routes, services::Corrections& corrections);
void add_team_routes(std::vector<Route>& routes, services::Context& store);
void add_user_routes(std::vector<Route>& routes, services::Context& store);
void add_audit_routes(std::vector<Route>& routes, services::Context& store);
void add_session_routes(std::vector<Route>& routes, services::Context& store,
                        const ApiOptions& options);
void add_dashboard_routes(std::vector<Route>& routes);

}  // namespace careledger::api
