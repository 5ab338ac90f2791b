#include "api/api.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <random>
#include <set>
#include <unordered_set>

#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>

#include "api/codecs.hpp"
#include "persistence/access_log.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/pg_connection.hpp"
#include "services/operations.hpp"
#include "services/teams.hpp"

namespace careledger::api {

using services::Failure;

namespace {

// 503 with Retry-After, for a store out of reach (PostgreSQL restarting); never throws.
Response unavailable() noexcept {
  try {
    return store_unavailable_response();
  } catch (...) {
    return Response{503, "text/plain", "the store is out of reach", {}, {}, {}};
  }
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    segments.push_back(path.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return segments;
}

// The path's {} segments if `path` matches `pattern`.
std::optional<std::vector<std::string>> match(std::string_view pattern, std::string_view path) {
  if (path.empty() || path[0] != '/') return std::nullopt;
  const auto want = split_path(pattern);
  const auto have = split_path(path);
  if (want.size() != have.size()) return std::nullopt;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "{}") {
      if (have[i].empty()) return std::nullopt;
      params.emplace_back(have[i]);
    } else if (want[i] != have[i]) {
      return std::nullopt;
    }
  }
  return params;
}

bool is_json_media_type(const std::string* content_type) {
  if (content_type == nullptr) return false;
  std::string_view type(*content_type);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  std::string lower(type);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json";
}

std::optional<std::string> idempotency_key(const Request& request) {
  const auto* key = request.header("idempotency-key");
  if (key == nullptr) return std::nullopt;
  bool printable = !key->empty() && key->size() <= 128;
  for (unsigned char c : *key) printable = printable && c >= 0x20 && c < 0x7f;
  if (!printable) {
    throw Failure(Failure::Kind::bad_request, "Idempotency-Key must be 1-128 printable characters",
                  {{"Idempotency-Key", "must be 1-128 printable characters"}});
  }
  return *key;
}

// `If-Match: "N"` names the version the client last saw; `*` matches any.
std::optional<domain::Version> if_match(const Request& request) {
  const auto* header = request.header("if-match");
  if (header == nullptr || *header == "*") return std::nullopt;
  std::string_view tag(*header);
  std::int64_t version = -1;
  if (tag.size() >= 3 && tag.front() == '"' && tag.back() == '"') {
    auto inner = tag.substr(1, tag.size() - 2);
    auto [ptr, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), version);
    if (ec != std::errc{} || ptr != inner.data() + inner.size()) version = -1;
  }
  if (version < 0) {
    throw Failure(Failure::Kind::precondition_failed, "If-Match names no version of this resource");
  }
  return domain::Version{version};
}

// The query's parameters, decoded, as a JSON object ({} when there are none or it is malformed),
// with the path's ids as "id" (one) or "ids".
std::string query_json(const std::string& query, const std::vector<std::string>& path_ids) {
  boost::json::object out;
  if (path_ids.size() == 1) out["id"] = path_ids[0];
  if (path_ids.size() > 1) out["ids"] = boost::json::value_from(path_ids);
  if (!query.empty()) {
    if (auto params = boost::urls::parse_query(query)) {
      for (const auto& param : *params) {
        const auto key = param.key.decode(), value = param.value.decode();
        if (is_utf8(key)) out[key] = is_utf8(value) ? value : std::string("(not UTF-8)");
      }
    }
  }
  return boost::json::serialize(out);
}

// The distinct people of a list answered as CSV: its person_id column's values (the columns
// before it are ids and codes, never quoted); nullopt without that column. Read a line at a
// time from the pieces, none of them joined. The ids are views into the pieces, kept while they
// are counted, in a hashed set: a std::set of strings took 15% of the overdue list's answer
// (35,000 lines), and a set of strings in one arena the page faults of its new memory.
std::optional<std::int64_t> people_in_csv(const Response& response) {
  auto field = [](std::string_view line, std::size_t index) {
    for (std::size_t i = 0; i < index; ++i) {
      const auto comma = line.find(',');
      if (comma == std::string_view::npos) return std::string_view{};
      line.remove_prefix(comma + 1);
    }
    return line.substr(0, line.find(','));
  };
  std::optional<std::size_t> column;  // once the header is read
  std::deque<std::string> kept;       // the pieces and joined lines the views point into
  std::unordered_set<std::string_view> people;
  std::string carried;  // a line begun in one piece and ended in the next
  auto take = [&](std::string_view line) {
    if (column) {
      if (*column != std::string::npos) people.emplace(field(line, *column));
      return;
    }
    for (std::size_t c = 0; c < 64 && !field(line, c).empty(); ++c) {
      if (field(line, c) == "person_id") column = c;
    }
    if (!column) column = std::string::npos;  // none: no line counts
  };
  auto next = response.stream();
  while (auto piece = next()) {
    std::string_view rest(kept.emplace_back(std::move(*piece)));
    for (auto end = rest.find('\n'); end != std::string_view::npos; end = rest.find('\n')) {
      if (carried.empty()) {
        take(rest.substr(0, end));
      } else {
        take(kept.emplace_back(carried.append(rest.substr(0, end))));
        carried.clear();
      }
      rest.remove_prefix(end + 1);
    }
    carried.append(rest);
  }
  if (!column || *column == std::string::npos) return std::nullopt;
  return static_cast<std::int64_t>(people.size());
}

// The client's X-Request-Id when it is a plain token (1-128 of A-Z a-z 0-9 . _ : -), else a
// new one: 128 random bits in hex.
std::string request_id_of(const Request& request) {
  if (const auto* given = request.header("x-request-id")) {
    const bool plain = !given->empty() && given->size() <= 128 &&
                       std::all_of(given->begin(), given->end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                c == '_' || c == ':' || c == '-';
                       });
    if (plain) return *given;
  }
  thread_local std::mt19937_64 random{std::random_device{}()};
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return text;
}

}  // namespace

std::optional<std::string> bearer_token(const Request& request) {
  const auto* header = request.header("authorization");
  if (header == nullptr) return std::nullopt;
  constexpr std::string_view scheme = "Bearer ";
  if (header->size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), header->begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return std::nullopt;
  }
  return header->substr(scheme.size());
}

namespace {
ApiOptions spooling_in(ApiOptions options, const services::ScratchDirectory* scratch) {
  if (scratch != nullptr) options.spool_directory = scratch->path();
  return options;
}
}  // namespace

Api::Api(services::Context& store, ApiOptions options)
    : store_(store),
      scratch_(options.spool_directory.empty() ? std::make_unique<services::ScratchDirectory>()
                                               : nullptr),
      options_(spooling_in(std::move(options), scratch_.get())),
      casework_(store),
      support_(store),
      requests_(store),
      client_level_data_(store),
      // Its scratch database goes where the spools go: beside the store, on disk, or in the
      // Api's own directory. Eight people recorded at once keep the writer's shared commits full.
      cld_imports_(store, options_.spool_directory, 8),
      safeguarding_(store),
      care_homes_(store),
      corrections_(store) {
  add_people_routes(routes_, casework_);
  add_assessment_routes(routes_, casework_);
  add_request_routes(routes_, requests_);
  add_support_routes(routes_, support_);
  add_safeguarding_routes(routes_, safeguarding_);
  add_care_home_routes(routes_, care_homes_);
  add_report_routes(routes_, store_);
  add_correction_routes(routes_, corrections_);
  add_query_routes(routes_, store_);
  add_cld_routes(routes_, client_level_data_, options_.spool_directory);
  add_import_routes(routes_, cld_imports_, options_.spool_directory);
  add_team_routes(routes_, store_);
  add_user_routes(routes_, store_);
  // Casework is people's records, a correction answers with the event it voids (a person's
  // record), the national return names every person it holds, and the audit names people.
  for (auto& route : routes_) {
    route.personal = route.purpose == services::Purpose::casework ||
                     route.purpose == services::Purpose::corrections ||
                     route.purpose == services::Purpose::national_return;
  }
  add_audit_routes(routes_, store_);
  add_session_routes(routes_, store_, options_);
  add_dashboard_routes(routes_);
  routes_.push_back({"GET", "/metrics", services::Purpose::operations, 200,
                     [this](Call&) { return metrics_text(); }});
}

bool Api::within_rate(std::map<std::string, Bucket>& buckets, const std::string& who,
                      double per_second, double burst) {
  if (per_second <= 0) return true;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(rate_mutex_);
  auto refill = [&](Bucket& bucket) {
    const std::chrono::duration<double> elapsed = now - bucket.last;
    bucket.tokens = std::min(burst, bucket.tokens + elapsed.count() * per_second);
    bucket.last = now;
  };
  // Many callers (addresses, most of all) each leave a bucket: full ones are forgotten, as a
  // new one starts full.
  if (buckets.size() >= 4096) {
    for (auto it = buckets.begin(); it != buckets.end();) {
      refill(it->second);
      it = it->second.tokens >= burst ? buckets.erase(it) : std::next(it);
    }
  }
  auto [it, inserted] = buckets.try_emplace(who, Bucket{burst, now});
  Bucket& bucket = it->second;
  refill(bucket);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

Response Api::handle(const Request& request) noexcept {
  return respond(request, [&](Seen& seen) { return dispatch(request, seen); });
}

Response Api::refuse(const Request& partial, const services::Failure& why) noexcept {
  return respond(partial, [&](Seen& seen) -> Response {
    std::vector<std::string> params;
    std::string allowed;
    if (const Route* route = find_route(partial, params, allowed)) {
      seen.route = route->pattern;
      seen.matched = route;
      seen.params = std::move(params);
      try {  // who asked, for the access log, if their token says
        if (auto signed_in = route->purpose ? caller(partial) : std::nullopt) {
          seen.user = signed_in->actor.name;
          seen.role = signed_in->actor.role;
        }
      } catch (...) {  // the refusal stands without a name
      }
    }
    throw why;
  });
}

std::optional<std::size_t> Api::upload_limit(const Request& header) const noexcept {
  try {
    std::vector<std::string> params;
    std::string allowed;
    const Route* route = find_route(header, params, allowed);
    if (route != nullptr && route->upload) return options_.upload_limit;
  } catch (...) {  // then it is read as any request, under the server's limit
  }
  return std::nullopt;
}

std::optional<Response> Api::admit_upload(const Request& header) noexcept {
  bool admitted = false;
  Response refusal = respond(header, [&](Seen& seen) -> Response {
    std::vector<std::string> params;
    std::string allowed;
    // Not an upload route after all: handle() answers it, as any request.
    if (const Route* route = find_route(header, params, allowed); route && route->upload) {
      called(header, *route, std::move(params), seen);
    }
    admitted = seen.admitted = true;
    return {};
  });
  if (admitted) return std::nullopt;
  return refusal;
}

template <class Dispatch>
Response Api::respond(const Request& request, Dispatch&& dispatch) noexcept {
  const auto started = std::chrono::steady_clock::now();
  Seen seen;
  seen.client = client_of(request);
  Response response = answer(request, seen, [&] { return dispatch(seen); });
  if (seen.admitted) return response;  // answered later, by handle()
  const auto took = std::chrono::steady_clock::now() - started;
  std::string request_id;
  try {
    request_id = request_id_of(request);
  } catch (...) {  // then the entry and the answer go without one
  }
  // Outside the try below: an answer that carries person data goes only with its entry.
  if (seen.matched != nullptr && seen.matched->personal) {
    response = logged_access(request, seen, std::move(response), request_id);  // never throws
  }
  try {
    // Every answer may carry personal data, or say whether a record exists: none is kept.
    response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("X-Request-Id", request_id);
    // No answer but the dashboard's files may run or load anything in a browser.
    const bool has_policy =
        std::any_of(response.headers.begin(), response.headers.end(),
                    [](const auto& h) { return h.first == "Content-Security-Policy"; });
    if (!has_policy) {
      response.headers.emplace_back("Content-Security-Policy",
                                    "default-src 'none'; frame-ancestors 'none'");
    }
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    count_and_log(request_id, seen.user, request.method, seen.route, response.status, took);
  } catch (...) {  // counting and logging must never cost the client its answer
  }
  return response;
}

void Api::count_and_log(std::string_view request_id, const std::optional<std::string>& user,
                        std::string_view method, const std::string& route, int status,
                        std::chrono::steady_clock::duration took) {
  metrics_.observe(route, status, took);
  if (!options_.log_request) return;
  options_.log_request(boost::json::serialize(boost::json::object{
      {"ts", persistence::utc_now_rfc3339()},
      {"request_id", request_id},
      {"user", user ? boost::json::value(*user) : boost::json::value(nullptr)},
      {"method", method},
      {"route", route},
      {"status", status},
      {"ms", std::chrono::duration<double, std::milli>(took).count()},
  }));
}

template <class Dispatch>
Response Api::answer(const Request& request, Seen& seen, Dispatch&& dispatch) noexcept {
  try {
    return dispatch();
  } catch (const Failure& failure) {
    return problem_response(failure);
  } catch (const persistence::pg::Error& e) {
    std::cerr << (e.unavailable() ? "the store is out of reach on " : "internal error on ")
              << request.method << " " << seen.route << ": " << e.what() << "\n";
    if (e.unavailable()) return unavailable();
  } catch (const std::exception& e) {
    std::cerr << "internal error on " << request.method << " " << seen.route << ": " << e.what()
              << "\n";
  } catch (...) {
    std::cerr << "internal error on " << request.method << " " << seen.route << "\n";
  }
  try {
    return problem_response(
        Failure(Failure::Kind::internal, "the server could not complete the request"));
  } catch (...) {
    return Response{500, "text/plain", "internal error", {}, {}, {}};
  }
}

Response Api::logged_access(const Request& request, const Seen& seen, Response response,
                            const std::string& request_id) noexcept {
  try {
    return logged_access_or_throw(request, seen, std::move(response), request_id);
  } catch (const persistence::pg::Error& e) {
    std::cerr << "the access log could not be written; the answer is withheld: " << e.what()
              << "\n";
    if (e.unavailable()) return unavailable();
  } catch (const std::exception& e) {
    std::cerr << "the access log could not be written; the answer is withheld: " << e.what()
              << "\n";
  } catch (...) {
    std::cerr << "the access log could not be written; the answer is withheld\n";
  }
  try {
    return problem_response(
        Failure(Failure::Kind::internal, "the server could not complete the request"));
  } catch (...) {
    return Response{500, "text/plain", "internal error", {}, {}, {}};
  }
}

Response Api::logged_access_or_throw(const Request& request, const Seen& seen, Response response,
                                     const std::string& request_id) {
  persistence::AccessEntry entry;
  entry.at = persistence::utc_now_rfc3339();
  entry.user = seen.user;
  if (seen.role) entry.role = std::string(domain::code_name(*seen.role));
  entry.method = request.method;
  entry.route = seen.route;
  entry.status = response.status;
  entry.request_id = request_id;
  entry.client = seen.client;
  // A list's query, and the ids a single record's path names (so that a refused probe of
  // another team's record is tied to what it asked for).
  entry.filters = query_json(request.query, seen.params);
  // The person a single record belongs to (as its answer names them, or as its path does);
  // for a list, how many people it showed.
  if (seen.route.starts_with("/v1/people/{}") && !seen.params.empty()) {
    entry.person_id = seen.params[0];
  }
  if (response.people_shown) {
    entry.people_shown = response.people_shown;
  } else if (response.stream) {
    entry.people_shown = people_in_csv(response);
  } else if (response.status < 300 && response.content_type == "application/json") {
    boost::system::error_code ec;
    const auto body = boost::json::parse(response.body, ec);
    if (!ec && body.is_object()) {
      const auto& object = body.get_object();
      // A person's own record names them "id"; every other record names its person.
      const char* names_person = seen.route.starts_with("/v1/people") ? "id" : "person_id";
      if (const auto* id = object.if_contains(names_person); id != nullptr && id->is_string()) {
        entry.person_id = std::string(id->get_string());
      }
      if (const auto* items = object.if_contains("items"); items != nullptr && items->is_array()) {
        std::set<std::string_view> people;
        for (const auto& item : items->get_array()) {
          const auto* id = item.is_object() ? item.get_object().if_contains("person_id") : nullptr;
          if (id != nullptr && id->is_string()) people.insert(id->get_string());
        }
        // A list of people's records (not of one person's events) says how many it showed.
        if (!people.empty() || items->get_array().empty()) {
          entry.people_shown = static_cast<std::int64_t>(people.size());
        }
      }
    }
  }
  store_.writer.write_rows(persistence::access_rows(entry));
  return response;
}

std::string Api::client_of(const Request& request) const {
  if (!options_.trusted_proxy || request.peer != *options_.trusted_proxy) return request.peer;
  const auto* forwarded = request.header("x-forwarded-for");
  if (forwarded == nullptr) return request.peer;
  // The proxy appends the address it took the request from: the last one is its own word.
  std::string_view last(*forwarded);
  if (const auto comma = last.rfind(','); comma != std::string_view::npos) {
    last.remove_prefix(comma + 1);
  }
  while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
  while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
  const bool address =
      !last.empty() && last.size() <= 45 && std::all_of(last.begin(), last.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
      });
  return address ? std::string(last) : request.peer;
}

Response Api::metrics_text() {
  return Response{
      200, "text/plain; version=0.0.4", metrics_.render(services::gauges(store_)), {}, {}, {}};
}

std::optional<services::SignedIn> Api::caller(const Request& request) {
  if (const auto token = bearer_token(request)) {
    auto actor = services::authenticate(store_, *token);
    if (!actor) return std::nullopt;
    return services::SignedIn{std::move(*actor), ""};
  }
  // A cookie the browser sends by itself authenticates no write, so no other site can make a
  // signed-in browser record anything (API.md: Signing in to the dashboard).
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const auto session = session_cookie(request, options_.secure_cookie);
  if (!session) return std::nullopt;
  return services::session_of(store_, *session);
}

const Route* Api::find_route(const Request& request, std::vector<std::string>& params,
                             std::string& allowed) const {
  for (const auto& candidate : routes_) {
    auto matched = match(candidate.pattern, request.path);
    if (!matched) continue;
    // HEAD is answered for every GET route: the same answer, whose body the server leaves out.
    if (candidate.method == request.method ||
        (request.method == "HEAD" && candidate.method == "GET")) {
      params = std::move(*matched);
      return &candidate;
    }
    const std::string methods = candidate.method == "GET" ? "GET, HEAD" : candidate.method;
    allowed += allowed.empty() ? methods : ", " + methods;
  }
  return nullptr;
}

Response Api::dispatch(const Request& request, Seen& seen) {
  std::vector<std::string> params;
  std::string allowed;
  const Route* route = find_route(request, params, allowed);
  if (route == nullptr) {
    if (allowed.empty()) throw Failure(Failure::Kind::not_found, "no such resource");
    Response r =
        problem_response(Failure(Failure::Kind::method_not_allowed, "method not allowed here"));
    r.headers.emplace_back("Allow", allowed);
    return r;
  }

  Call call = called(request, *route, std::move(params), seen);
  if (request.method == "POST" && !route->upload) {
    if (!is_json_media_type(request.header("content-type"))) {
      throw Failure(Failure::Kind::unsupported_media_type, "the body must be application/json");
    }
    boost::system::error_code ec;
    auto parsed = boost::json::parse(request.body, ec);
    if (ec) throw Failure(Failure::Kind::bad_request, "the body is not valid JSON");
    if (!parsed.is_object()) {
      throw Failure(Failure::Kind::bad_request, "the body must be a JSON object");
    }
    call.body = std::move(parsed.as_object());
    call.options.idempotency_key = idempotency_key(request);
    call.options.if_match = if_match(request);
    if (call.options.idempotency_key) {
      call.options.request_hash =
          services::sha256_hex(request.method + " " + request.path + "\n" + request.body);
    }
  }
  return route->handler(call);
}

Call Api::called(const Request& request, const Route& route, std::vector<std::string> params,
                 Seen& seen) {
  seen.route = route.pattern;
  seen.matched = &route;
  seen.params = params;
  Call call{request, {}, std::move(params), QueryParams(""), {}, {}, 200, std::nullopt};
  if (route.purpose) {
    auto signed_in = caller(request);
    if (!signed_in) {
      // Guessing tokens is slowed per address, as requests are per user.
      if (!within_rate(addresses_, seen.client, options_.anonymous_per_second,
                       options_.anonymous_burst)) {
        throw Failure(Failure::Kind::too_many_requests, "too many requests; slow down");
      }
      const bool cookie_on_write = request.method != "GET" && request.method != "HEAD" &&
                                   session_cookie(request, options_.secure_cookie).has_value();
      throw Failure(Failure::Kind::unauthenticated,
                    cookie_on_write ? "a valid bearer token is required: the session cookie "
                                      "authenticates GET and HEAD only"
                                    : "a valid bearer token is required");
    }
    call.actor = std::move(signed_in->actor);
    if (!signed_in->expires_at.empty()) call.session_expires_at = signed_in->expires_at;
    seen.user = call.actor.name;
    seen.role = call.actor.role;
    if (!within_rate(users_, call.actor.name, options_.rate_per_second, options_.burst)) {
      throw Failure(Failure::Kind::too_many_requests, "too many requests; slow down");
    }
    services::require_purpose(call.actor, *route.purpose);
  } else if (route.signs_out && !within_rate(addresses_, seen.client, options_.anonymous_per_second,
                                             options_.anonymous_burst)) {
    throw Failure(Failure::Kind::too_many_requests, "too many requests; slow down");
  }
  call.query =
      QueryParams(request.query, QueryBounds{store_.today(), persistence::utc_now_rfc3339()});
  // A team filter names a registered team, on every route (API.md 1.1).
  if (const auto team = call.query.team()) services::require_registered(store_, *team);
  call.success_status = route.success_status;
  if (route.upload && route.admit) route.admit(call);
  return call;
}

Response Api::submit(const services::Actor& actor, Submission submission) noexcept {
  Request request;
  request.method = std::move(submission.method);
  request.path = std::move(submission.path);
  Seen seen;
  return answer(request, seen, [&] {
    std::vector<std::string> params;
    std::string allowed;
    const Route* route = find_route(request, params, allowed);
    if (route == nullptr || route->method != "POST" || !route->purpose || route->upload) {
      throw Failure(Failure::Kind::not_found, "no such write");
    }
    seen.route = route->pattern;
    services::require_purpose(actor, *route->purpose);
    Call call{request, actor, std::move(params), QueryParams(""), std::move(submission.body),
              {},      200,   std::nullopt};
    call.success_status = route->success_status;
    call.options.idempotency_key = std::move(submission.idempotency_key);
    call.options.request_hash = std::move(submission.request_hash);
    return route->handler(call);
  });
}

}  // namespace careledger::api
