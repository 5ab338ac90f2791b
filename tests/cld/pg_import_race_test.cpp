// Two processes importing one CLD file into one PostgreSQL store at once (as two `careledger
// serve` instances, or `cld import` beside one, would): the second waits for the first, then
// finds the file imported and answers as a repeat; no one is registered twice.
#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "domain/cld_export.hpp"
#include "persistence/pg_schema.hpp"
#include "persistence/store_locks.hpp"
#include "persistence/teams.hpp"
#include "services/cld_import.hpp"
#include "services/failure.hpp"
#include "tests/persistence/pg_fixture.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/import.hpp"

namespace careledger {
namespace {

namespace cld = domain::cld;
namespace col = domain::cld::col;
using namespace std::chrono_literals;

// Three people, a long-term service each: none of them yet recorded.
std::string three_people() {
  constexpr const char* valid_nhs_numbers[] = {"9000000203", "9000000211", "9000000238"};
  std::string out;
  cld::append_header(out);
  for (int n = 1; n <= 3; ++n) {
    std::array<std::string, cld::field_count> f;
    f[col::la_code] = "999";
    f[col::reporting_period_start_date] = "01/04/2024";
    f[col::reporting_period_end_date] = "31/12/2024";
    f[col::nhs_number] = valid_nhs_numbers[n - 1];
    f[col::la_person_unique_identifier] = "l-" + std::to_string(n);
    f[col::gender] = "Female";
    f[col::ethnicity] = "White - English, Welsh, Scottish, Northern Irish or British";
    f[col::date_of_birth] = "05/05/1950";
    f[col::client_type] = "Service User";
    f[col::primary_support_reason] = "Physical Support: Personal care support";
    f[col::has_unpaid_carer] = "No";
    f[col::event_type] = "Service";
    f[col::event_reference] = "s-" + std::to_string(n);
    f[col::event_start_date] = "01/01/2024";
    f[col::event_outcome] = "Provision of service";
    f[col::service_type] = "Long Term Support: Community";
    f[col::service_component] = "Direct Payment";
    f[col::delivery_mechanism] = "Direct Payment";
    cld::append_row(out, f);
  }
  return out;
}

class PgCldImportRace : public testing::PgDatabase {
 protected:
  void SetUp() override {
    PgDatabase::SetUp();
    if (HasFatalFailure()) return;
    persistence::pg::install_store(*owner, app_role());
    persistence::insert_team(*app, {"north", "North", "2024-01-01T00:00:00Z", "test"});
    tools::import_user(url_for_app());  // made once, as the first import would
    file = dir.file("council.csv");
    std::ofstream(file, std::ios::binary) << three_people();
  }

  services::CldImportReport import() {
    tools::CldImportFileOptions options;
    options.db_path = url_for_app();
    options.input = file;
    options.la_code = "999";
    options.options.team = domain::Team{"north"};
    return tools::import_cld_file(options);
  }

  // How many sessions wait for an advisory lock, in this database.
  std::int64_t waiting_for_a_lock() {
    return app
        ->query(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'advisory'")
        .integer(0, 0);
  }

  testing::TempDir dir;
  std::string file;
};

TEST_F(PgCldImportRace, TwoImportsOfOneFileAtOnceRecordItOnce) {
  // Both imports are started while the lock is held here, so that both are under way together;
  // each must wait for it before it checks the file against those imported.
  auto held = persistence::lock_cld_imports(url_for_app());
  auto first = std::async(std::launch::async, [&] { return import(); });
  auto second = std::async(std::launch::async, [&] { return import(); });
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (waiting_for_a_lock() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);  // polling the server, not waiting for a guess
  }
  EXPECT_EQ(waiting_for_a_lock(), 2) << "both imports should wait for the import lock";
  held.reset();
  const auto one = first.get();
  const auto two = second.get();

  EXPECT_NE(one.repeat, two.repeat)
      << "one import records the file, the other is its repeat: "
      << boost::json::serialize(services::cld_report_json(one)) << "\n"
      << boost::json::serialize(services::cld_report_json(two));
  const auto& recorded = one.repeat ? two : one;
  const auto& repeat = one.repeat ? one : two;
  EXPECT_EQ(recorded.recorded, 3);
  EXPECT_EQ(repeat.import_id, recorded.import_id);
  EXPECT_EQ(repeat.recorded, 3);  // the first's report, as a repeat answers
  EXPECT_EQ(app->query("SELECT COUNT(*) FROM rm_people").integer(0, 0), 3);
  EXPECT_EQ(
      app->query("SELECT COUNT(*) FROM events WHERE type = 'person_registered'").integer(0, 0), 3);
  EXPECT_EQ(app->query("SELECT COUNT(*) FROM cld_imports").integer(0, 0), 1);
}

// The lock is given up when an import fails, so that the next may run.
TEST_F(PgCldImportRace, AFailedImportGivesUpTheLock) {
  tools::CldImportFileOptions options;
  options.db_path = url_for_app();
  options.input = file;
  options.la_code = "999";  // no team for the people the file adds: refused once it is read
  EXPECT_THROW(tools::import_cld_file(options), services::Failure);
  EXPECT_EQ(app->query("SELECT pg_try_advisory_lock(6513010, 1) AND pg_advisory_unlock(6513010, 1)")
                .text(0, 0),
            "t");
  EXPECT_EQ(import().recorded, 3);
}

}  // namespace
}  // namespace careledger
