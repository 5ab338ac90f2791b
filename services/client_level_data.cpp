#include "services/client_level_data.hpp"

#include "persistence/cld_facts.hpp"

namespace careledger::services {

namespace {
// Pieces of about this size go to the writer.
constexpr std::size_t piece_bytes = 256 * 1024;
}  // namespace

std::string ClientLevelData::la_code() const {
  if (!store_.config.la_code) {
    throw Failure(Failure::Kind::conflict, "the council's code for the return is not configured",
                  {{"cld.la_code", "is not set in the configuration"}});
  }
  return *store_.config.la_code;
}

namespace {
// Each row of the file, in order.
void each_row(persistence::Connection& db, const domain::cld::Period& period,
              const std::string& la_code,
              const std::function<void(const domain::cld::Row&)>& each) {
  persistence::for_each_person_facts(db, period.to, [&](const domain::cld::PersonFacts& facts) {
    for (const auto& row : domain::cld::rows_of(facts, period, la_code)) each(row);
  });
}
}  // namespace

CldFile write_cld_file(persistence::Connection& db, const domain::cld::Period& period,
                       const std::string& la_code,
                       const std::function<void(std::string_view)>& write) {
  CldFile file{domain::cld::file_name(la_code, period), 0, 0};
  std::string piece;
  domain::cld::append_header(piece);
  std::string last_person;
  each_row(db, period, la_code, [&](const domain::cld::Row& row) {
    domain::cld::append_row(piece, row.fields);
    ++file.rows;
    const auto& person = row.fields[domain::cld::col::la_person_unique_identifier];
    if (person != last_person) {
      ++file.people;
      last_person = person;
    }
    if (piece.size() >= piece_bytes) {
      write(piece);
      piece.clear();
    }
  });
  if (!piece.empty()) write(piece);
  return file;
}

domain::cld::QualityReport cld_quality(
    persistence::Connection& db, const domain::cld::Period& period, const std::string& la_code,
    std::function<void(const domain::cld::QualityReport::Item&)> each) {
  domain::cld::QualityReport report(std::move(each));
  each_row(db, period, la_code, [&](const domain::cld::Row& row) { report.add(row); });
  return report;
}

CldFile ClientLevelData::write_file(const Actor& actor, const domain::cld::Period& period,
                                    const std::function<void(std::string_view)>& write) {
  require_purpose(actor, Purpose::national_return);
  const std::string council = la_code();
  auto db = store_.readers.acquire();
  return write_cld_file(*db, period, council, write);
}

domain::cld::QualityReport ClientLevelData::quality(
    const Actor& actor, const domain::cld::Period& period,
    std::function<void(const domain::cld::QualityReport::Item&)> each) {
  require_purpose(actor, Purpose::data_quality);
  const std::string council = la_code();
  auto db = store_.readers.acquire();
  return cld_quality(*db, period, council, std::move(each));
}

}  // namespace careledger::services
