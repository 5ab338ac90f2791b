#pragma once
// The dashboard's static files (api/dashboard/), built into the binary by
// api/embed_dashboard.cmake.

#include <string_view>
#include <vector>

namespace careledger::api {

struct DashboardFile {
  std::string_view name;  // "index.html", "app.js"
  std::string_view content;
};

const std::vector<DashboardFile>& dashboard_files();

}  // namespace careledger::api
