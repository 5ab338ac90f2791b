// The Client Level Data return (CLD.md §2, §5): the file, and its data-quality report.
#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/codecs.hpp"
#include "api/lists.hpp"
#include "api/spool.hpp"
#include "services/client_level_data.hpp"

namespace careledger::api {

namespace json = boost::json;
namespace cld = domain::cld;
using services::Purpose;

namespace {

// The period asked for: a quarter with its span (the 12 months to its end unless said), or
// `from` and `to`.
cld::Period period_of(const QueryParams& query) {
  const auto period = cld::period_of(
      {query.text("quarter"), query.code<cld::Span>("span"), query.date("from"), query.date("to")});
  if (const auto* fault = std::get_if<domain::FieldError>(&period)) {
    QueryParams::bad(fault->field, fault->message);
  }
  const auto& asked = std::get<cld::Period>(period);
  if (query.text("quarter")) {
    query.within_bounds("quarter", asked.from);
    query.within_bounds("quarter", asked.to);
  }
  return asked;
}

Response export_file(services::ClientLevelData& data, const std::string& spool_directory,
                     Call& call) {
  const auto period = period_of(call.query);
  Spool spool(spool_directory);
  const auto file =
      data.write_file(call.actor, period, [&spool](std::string_view piece) { spool.write(piece); });
  Response r{200, "text/csv; charset=utf-8", {}, {}, spool.pieces(), file.people};
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file.file_name + "\"");
  return r;
}

json::object item_json(const cld::QualityReport::Item& item) {
  return {
      {"line", item.line},
      {"event_reference", item.event_reference},
      {"event_type", cld::text(item.event_type)},
      {"field", cld::header[item.finding.column]},
      {"status", cld::status_text(item.finding.status)},
      {"check", item.finding.check},
      {"message", item.finding.message},
  };
}

// The items are spooled as they are found (a council with little recorded has several a row),
// then sent between the report's head and tail.
Response data_quality(services::ClientLevelData& data, const std::string& spool_directory,
                      Call& call) {
  const auto period = period_of(call.query);
  const bool csv = wants_csv(call.request);
  Spool spool(spool_directory);
  std::string piece;
  bool first = true;
  auto spooled = [&](const cld::QualityReport::Item& item) {
    if (csv) {
      piece += std::to_string(item.line) + ',' + csv_text(item.event_reference) + ',' +
               std::string(cld::text(item.event_type)) + ',' +
               std::string(cld::header[item.finding.column]) + ',' +
               csv_text(cld::status_text(item.finding.status)) + ',' +
               std::string(item.finding.check) + ',' + csv_text(item.finding.message) + '\n';
    } else {
      if (!first) piece += ',';
      piece += json::serialize(item_json(item));
    }
    first = false;
    if (piece.size() >= 256 * 1024) {
      spool.write(piece);
      piece.clear();
    }
  };
  const auto report = data.quality(call.actor, period, spooled);
  spool.write(piece);
  if (csv) {
    Response r = csv_response({});
    r.stream = spool.pieces("line,event_reference,event_type,field,status,check,message\n");
    return r;
  }
  json::array summary, not_held;
  for (const auto& count : report.summary()) {
    summary.push_back({{"field", cld::header[count.column]},
                       {"status", cld::status_text(count.status)},
                       {"count", count.count}});
  }
  for (const auto& [column, rows] : report.not_held()) {
    not_held.push_back({{"field", cld::header[column]}, {"rows_where_mandatory", rows}});
  }
  const json::object head{{"from", domain::format_date(period.from)},
                          {"to", domain::format_date(period.to)},
                          {"rows", report.rows()},
                          {"summary", std::move(summary)},
                          {"not_held", std::move(not_held)}};
  return json_with_spooled_array(head, "items", spool);
}

}  // namespace

void add_cld_routes(std::vector<Route>& routes, services::ClientLevelData& data,
                    const std::string& spool_directory) {
  routes.push_back(
      {"GET", "/v1/exports/cld", Purpose::national_return, 200,
       [&data, spool_directory](Call& c) { return export_file(data, spool_directory, c); }});
  routes.push_back(
      {"GET", "/v1/exports/cld/data-quality", Purpose::data_quality, 200,
       [&data, spool_directory](Call& c) { return data_quality(data, spool_directory, c); }});
}

}  // namespace careledger::api
