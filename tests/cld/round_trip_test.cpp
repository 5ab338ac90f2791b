// The round trip (issue 14 item 6; CLD.md §8 item 7): a generated council's year exported, the
// file imported into an empty store, and the measures CLD can carry compared; its own export
// imported into its own store records nothing; and the second store's export is the first's,
// ids aside.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "domain/cld_export.hpp"
#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/teams.hpp"
#include "services/client_level_data.hpp"
#include "services/queries.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/import.hpp"
#include "tools/synthetic.hpp"

namespace careledger {
namespace {

namespace cld = domain::cld;

const domain::FinancialYear year{2023};

std::string export_year(const std::string& db_path) {
  std::string out;
  auto db = persistence::open_reader(db_path);
  const auto quarter = *cld::parse_quarter("2023-24-Q4");
  services::write_cld_file(*db, cld::span_of(quarter, cld::Span::year_to_date), "999",
                           [&](std::string_view piece) { out += piece; });
  return out;
}

std::map<std::string, domain::Measure> measures_of(const std::string& db_path) {
  auto db = persistence::open_reader(db_path);
  std::map<std::string, domain::Measure> out;
  for (auto& m : services::compute_measures(*db, {}, year.start(), year.end(), {}, false, false)) {
    out[m.id] = m;
  }
  return out;
}

// The file's rows with the person's and the event's ids blanked, sorted: what two stores' files
// share when only their ids differ.
std::vector<std::string> without_ids(const std::string& file) {
  std::vector<std::string> rows;
  cld::CsvReader reader;
  reader.feed(file);
  reader.finish();
  cld::CsvRecord record;
  bool header = true;
  while (reader.next(record) == cld::CsvReader::Status::record) {
    if (header) {
      header = false;
      continue;
    }
    record.fields[cld::col::la_person_unique_identifier].clear();
    record.fields[cld::col::event_reference].clear();
    std::string line;
    for (const auto& f : record.fields) line += f + "\x1f";
    rows.push_back(line);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

struct Stores {
  testing::TempDir dir;
  std::string a;
  std::string b;
  std::string a_file;
};

class RoundTrip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stores_ = new Stores;
    std::ostringstream generated;
    tools::generate(tools::GenerateOptions{0.05, 2, 20240331, year}, generated);
    stores_->a = stores_->dir.file("a.db");
    std::istringstream in(generated.str());
    std::ostringstream errors;
    const auto loaded = tools::import_lines(stores_->a, in, errors, [](std::size_t) {});
    ASSERT_EQ(loaded.refused, 0u) << errors.str().substr(0, 2000);
    stores_->a_file = export_year(stores_->a);
    std::ofstream(stores_->dir.file("a.csv"), std::ios::binary) << stores_->a_file;

    stores_->b = stores_->dir.file("b.db");
    auto db = persistence::open_writer(stores_->b);
    persistence::insert_team(*db, {"imported", "Imported", "2024-04-01T00:00:00Z", "test"});
  }
  static void TearDownTestSuite() { delete stores_; }

  // Through `careledger cld import`'s bulk loader, one person at a time.
  static services::CldImportReport import_into(const std::string& db,
                                               std::optional<domain::Team> team) {
    tools::CldImportFileOptions options;
    options.db_path = db;
    options.input = stores_->dir.file("a.csv");
    options.la_code = "999";
    options.options.team = std::move(team);
    return tools::import_cld_file(options);
  }

  // As the server imports: its writer, its readers, eight people at once.
  static services::CldImportReport import_into(const std::string& db, domain::Team team,
                                               const char* file) {
    persistence::EventWriter writer(db);
    persistence::ReaderPool readers(db);
    domain::Configuration config;
    config.la_code = "999";
    services::Context store{writer, readers, services::london_today, config};
    services::CldImports imports(store, stores_->dir.path().string(), 8);
    services::CldImportOptions options;
    options.team = std::move(team);
    const std::string path = stores_->dir.file(file);
    return imports.import(
        services::Actor{"tester", domain::Role::admin, {}},
        [&]() -> std::unique_ptr<std::istream> {
          return std::make_unique<std::ifstream>(path, std::ios::binary);
        },
        options);
  }

  static Stores* stores_;
};
Stores* RoundTrip::stores_ = nullptr;

TEST_F(RoundTrip, ItsOwnExportImportedIntoItsOwnStoreRecordsNothing) {
  const auto before = [] {
    auto db = persistence::open_reader(stores_->a);
    return persistence::event_count(*db);
  }();
  const auto report = import_into(stores_->a, std::nullopt);
  EXPECT_FALSE(report.rejected);
  EXPECT_TRUE(report.refused.empty());
  EXPECT_EQ(report.recorded, 0);
  EXPECT_EQ(report.unrepresented, 0);
  EXPECT_EQ(report.unchanged, report.rows);
  auto db = persistence::open_reader(stores_->a);
  EXPECT_EQ(persistence::event_count(*db), before);
}

// The measures CLD carries (CLD.md §8's and the cross-check's, and those made of the dates and
// codes the file holds).
bool carried_by_cld(const std::string& id) {
  for (const char* prefix :
       {"requests.", "support.long_term_clients", "ascof.2a", "ascof.2b", "ascof.2c", "ascof.3d",
        "reviews.long_term_12_months_reviewed", "reviews.completed", "assessments.completed",
        "assessments.average_days_to_complete"}) {
    if (id.starts_with(prefix)) return true;
  }
  return false;
}

// A row's fields with those that may differ blanked (see below).
std::string loosened(const std::string& row) {
  std::vector<std::string> fields;
  std::size_t from = 0;
  for (std::size_t at; (at = row.find('\x1f', from)) != std::string::npos; from = at + 1) {
    fields.push_back(row.substr(from, at - from));
  }
  fields[cld::col::client_type].clear();
  fields[cld::col::primary_support_reason].clear();
  fields[cld::col::event_description].clear();
  std::string out;
  for (const auto& f : fields) out += f + "\x1f";
  return out;
}

bool is_type(const std::string& row, std::string_view type) {
  return row.find(std::string("\x1f") + std::string(type) + "\x1f") != std::string::npos;
}

TEST_F(RoundTrip, ImportedIntoAnEmptyStoreItGivesTheSameMeasuresAndTheSameFile) {
  const auto report = import_into(stores_->b, domain::Team{"imported"}, "a.csv");
  ASSERT_FALSE(report.rejected) << (report.refused.empty() ? "" : report.refused[0].message);
  EXPECT_TRUE(report.refused.empty());
  EXPECT_EQ(report.unrepresented, 0);
  EXPECT_EQ(report.recorded + report.unchanged, report.rows);

  // The file again in other bytes (LF line ends): each row is found by its key.
  std::string lf;
  for (char c : stores_->a_file) {
    if (c != '\r') lf += c;
  }
  std::ofstream(stores_->dir.file("a-lf.csv"), std::ios::binary) << lf;
  const auto again = import_into(stores_->b, domain::Team{"imported"}, "a-lf.csv");
  EXPECT_FALSE(again.repeat);
  EXPECT_EQ(again.recorded, 0);
  EXPECT_EQ(again.unchanged, report.rows);

  const auto a = measures_of(stores_->a);
  const auto b = measures_of(stores_->b);
  std::vector<std::string> differ;
  int compared = 0;
  for (const auto& [id, m] : a) {
    if (!carried_by_cld(id)) continue;
    ++compared;
    const auto found = b.find(id);
    ASSERT_NE(found, b.end()) << id;
    if (m.value != found->second.value) {
      differ.push_back(id);
      std::printf("differs %s: %s vs %s\n", id.c_str(),
                  std::to_string(m.value.value_or(-1)).c_str(),
                  std::to_string(found->second.value.value_or(-1)).c_str());
    }
  }
  EXPECT_GT(compared, 20);
  // Two differ, each for a reason CLD's file cannot carry:
  // - requests.completed.derived: a request derived from an assessment that was closed without
  //   completion (CLD leaves closed assessments out) comes back as a request of its own;
  // - requests.new_clients: a carer's request whose assessment the file does not show completed
  //   comes back as a request of the person (Service User when they have service-user rows).
  for (const auto& id : differ) {
    EXPECT_TRUE(id == "requests.completed.derived" || id.starts_with("requests.new_clients")) << id;
  }
  EXPECT_LT(b.at("requests.completed.derived").value, a.at("requests.completed.derived").value);
  EXPECT_GE(b.at("requests.new_clients").value, a.at("requests.new_clients").value);

  // The second store's file is the first's, ids aside, but for the same two and a third: a
  // needs assessment of a person registered as a carer is written Client_Type Carer (CLD.md §3)
  // and read back as a carer's assessment (§6), so its Primary_Support_Reason becomes Support to
  // Carer. Those rows differ in Client_Type, Primary_Support_Reason and Event_Description only,
  // and only requests and assessments do.
  const auto b_file = export_year(stores_->b);
  const auto a_rows = without_ids(stores_->a_file);
  const auto b_rows = without_ids(b_file);
  EXPECT_EQ(a_rows.size(), b_rows.size());
  std::vector<std::string> only_a, only_b;
  std::set_difference(a_rows.begin(), a_rows.end(), b_rows.begin(), b_rows.end(),
                      std::back_inserter(only_a));
  std::set_difference(b_rows.begin(), b_rows.end(), a_rows.begin(), a_rows.end(),
                      std::back_inserter(only_b));
  std::printf("rows %zu, differing %zu of them\n", a_rows.size(), only_a.size());
  std::vector<std::string> loose_a, loose_b;
  for (const auto& r : only_a) {
    EXPECT_TRUE(is_type(r, "Request") || is_type(r, "Assessment")) << r;
    loose_a.push_back(loosened(r));
  }
  for (const auto& r : only_b) loose_b.push_back(loosened(r));
  std::sort(loose_a.begin(), loose_a.end());
  std::sort(loose_b.begin(), loose_b.end());
  EXPECT_EQ(loose_a, loose_b);
  EXPECT_LT(only_a.size(), a_rows.size() / 10);
}

}  // namespace
}  // namespace careledger
