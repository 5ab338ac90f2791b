// Loading a council's earlier Client Level Data files (CLD.md §6): the file is the body, which
// the server has written to a spool as it came (an upload route); the service reads it from
// there twice. Then the import's report, read again by its id.
#include <algorithm>
#include <cctype>
#include <istream>
#include <sstream>

#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/problem.hpp"
#include "api/spool.hpp"
#include "services/cld_import.hpp"

namespace careledger::api {

namespace json = boost::json;
using services::Failure;
using services::Purpose;

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether the body is in Windows-1252: `text/csv` in UTF-8 (said, or not said) or in
// windows-1252 (transcoded by the service); any other type or charset is 415 naming the header.
bool in_windows_1252(const Request& request) {
  auto refuse = [] {
    throw Failure(Failure::Kind::unsupported_media_type,
                  "the body must be a CSV file (text/csv), in UTF-8 or windows-1252",
                  {{"Content-Type", "must be text/csv; charset=utf-8 or charset=windows-1252"}});
  };
  const auto* header = request.header("content-type");
  if (header == nullptr) refuse();
  std::string_view rest(*header);
  auto end = rest.find(';');
  if (lower(trimmed(rest.substr(0, end))) != "text/csv") refuse();
  bool windows_1252 = false;
  while (end != std::string_view::npos) {  // parameters: charset's is the one that matters
    rest.remove_prefix(end + 1);
    end = rest.find(';');
    const auto parameter = trimmed(rest.substr(0, end));
    const auto equals = parameter.find('=');
    if (lower(trimmed(parameter.substr(0, equals))) != "charset") continue;
    auto value = equals == std::string_view::npos ? std::string_view{}
                                                  : trimmed(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    const auto charset = lower(value);
    if (charset == "windows-1252") {
      windows_1252 = true;
    } else if (charset == "utf-8") {
      windows_1252 = false;
    } else {
      refuse();
    }
  }
  return windows_1252;
}

// The import's options from its query and header: checked before any of the body is read (the
// route's `admit`), then again by the handler.
services::CldImportOptions import_options(const Call& call) {
  services::CldImportOptions options;
  options.team = call.query.team();
  if (const auto on_error = call.query.text("on_error")) {
    if (*on_error == "skip_row") {
      options.skip_rows = true;
    } else if (*on_error != "reject_file") {
      QueryParams::bad("on_error", "must be one of: reject_file, skip_row");
    }
  }
  if (const auto dry_run = call.query.text("dry_run")) {
    if (*dry_run == "true") {
      options.dry_run = true;
    } else if (*dry_run != "false") {
      QueryParams::bad("dry_run", "must be true or false");
    }
  }
  options.windows_1252 = in_windows_1252(call.request);
  return options;
}

json::array refused_json(const services::CldImportReport& report) {
  return services::cld_report_json(report).at("refused").as_array();
}

// A file refused whole (on_error=reject_file, the default): 422, as any refusal, with the
// refusals listed as the report lists them. `errors` names each field at fault once, with its
// first refusal; `refused` has the first 1,000, by line, and `refused_total` counts them all.
Response refused_file(const services::CldImportReport& report) {
  std::vector<domain::FieldError> errors;
  for (const auto& refusal : report.refused) {
    const bool named = std::any_of(errors.begin(), errors.end(),
                                   [&](const auto& e) { return e.field == refusal.field; });
    if (!named) {
      errors.push_back(
          {refusal.field, "line " + std::to_string(refusal.line) + ": " + refusal.message});
    }
  }
  const auto count = report.refused_total;
  Response r = problem_response(
      Failure(Failure::Kind::invalid,
              "the file was refused and nothing was recorded: " + std::to_string(count) +
                  (count == 1 ? " refusal" : " refusals") +
                  ", listed in `refused` by line (on_error=skip_row records the rows not refused)",
              std::move(errors)));
  auto body = json::parse(r.body).as_object();
  body["rows"] = report.rows;
  body["refused_total"] = report.refused_total;
  body["refused"] = refused_json(report);
  r.body = json::serialize(body);
  return r;
}

// 201 for a file recorded; 200 for a dry run (nothing recorded) and for a file imported before
// (its first report, nothing recorded again); 422 for a file refused.
Response import_file(services::CldImports& imports, Call& call) {
  const auto options = import_options(call);
  services::OpenFile file;
  if (call.request.upload) {
    file = [upload = call.request.upload] { return upload->open(); };
  } else {  // a server that was not told it is an upload (the fuzz target): the body in memory
    file = [&body = call.request.body]() -> std::unique_ptr<std::istream> {
      return std::make_unique<std::istringstream>(body);
    };
  }
  const auto report = imports.import(call.actor, file, options);
  if (report.rejected) return refused_file(report);
  const int status = report.dry_run || report.repeat ? 200 : call.success_status;
  return json_response(status, services::cld_report_json(report));
}

// The report, then the rows kept as sent because careledger cannot represent them: spooled as
// they are read (a file may have many), then sent between the report's head and tail.
Response read_import(services::CldImports& imports, const std::string& spool_directory,
                     Call& call) {
  const auto& id = call.params.at(0);
  const auto report = imports.find(call.actor, id);
  if (!report) throw Failure(Failure::Kind::not_found, "no such import");
  Spool spool(spool_directory);
  std::string piece;
  bool first = true;
  imports.each_unrepresented(call.actor, id, [&](const services::CldUnrepresented& row) {
    if (!first) piece += ',';
    first = false;
    piece +=
        json::serialize(json::object{{"line", row.line}, {"reason", row.reason}, {"row", row.row}});
    if (piece.size() >= 256 * 1024) {
      spool.write(piece);
      piece.clear();
    }
  });
  spool.write(piece);
  return json_with_spooled_array(services::cld_report_json(*report), "unrepresented_rows", spool);
}

}  // namespace

void add_import_routes(std::vector<Route>& routes, services::CldImports& imports,
                       const std::string& spool_directory) {
  Route upload{"POST", "/v1/imports/cld", Purpose::national_return, 201,
               [&imports](Call& c) { return import_file(imports, c); }};
  upload.upload = true;
  upload.admit = [](const Call& c) { import_options(c); };
  routes.push_back(std::move(upload));
  routes.push_back(
      {"GET", "/v1/imports/cld/{}", Purpose::national_return, 200,
       [&imports, spool_directory](Call& c) { return read_import(imports, spool_directory, c); }});
}

}  // namespace careledger::api
