// The dashboard (API.md: The dashboard): its static files at / and /dashboard/{name}, with a
// Content-Security-Policy that lets a page run only the scripts and styles served here, and
// talk to this server alone.
#include <algorithm>

#include "api/api.hpp"
#include "api/dashboard_files.hpp"
#include "services/failure.hpp"

namespace careledger::api {

namespace {

std::string_view media_type(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto extension = dot == std::string_view::npos ? std::string_view() : name.substr(dot);
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  return "application/octet-stream";
}

Response file(std::string_view name) {
  const auto& files = dashboard_files();
  const auto found = std::find_if(files.begin(), files.end(),
                                  [&](const DashboardFile& f) { return f.name == name; });
  if (found == files.end()) {
    throw services::Failure(services::Failure::Kind::not_found, "no such resource");
  }
  Response r{200, std::string(media_type(name)), std::string(found->content), {}, {}, {}};
  r.headers.emplace_back("Content-Security-Policy", std::string(dashboard_policy));
  return r;
}

}  // namespace

void add_dashboard_routes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/", std::nullopt, 200, [](Call&) { return file("index.html"); }});
  routes.push_back({"GET", "/dashboard/{}", std::nullopt, 200,
                    [](Call& call) { return file(call.params.at(0)); }});
}

}  // namespace careledger::api
