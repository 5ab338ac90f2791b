// A test-only harness that runs NHS England's CLD transformation code (T-SQL, ported step by
// step to SQLite under tests/cld/nhse/) on CLD files, so careledger's figures can be checked
// against the national method rather than against a second reading of it by us.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace careledger::cld_port {

// One CLD file as NHS England would have imported it (CLD.md §2: 48 columns, RFC 4180).
struct cld_file {
  std::string csv;
  // ImportDate of the submission (ISO yyyy-mm-dd). Empty: the day after the file's
  // Reporting_Period_End_Date (first data row), i.e. submitted as soon as the period closed.
  std::string import_date;
};

// The values NHS England hard-codes at the top of each script (ISO yyyy-mm-dd).
struct params {
  std::string period_start;  // @StartDate; for LTS001a/b/c the financial year's 1 April
  std::string period_end;    // @EndDate / @SnapshotDate; ASCOF 2B/2C: the year's last day
  std::string today;         // GETDATE(): open events end "today"; never the clock
  // The submission window's close (STS/ASCOF 2A: ImportDate <= it; LTS001: ImportDate <= it;
  // ASCOF 2B/2C: ImportDate < it). Empty: period_end + 2 months.
  std::string import_cutoff;
};

enum class script { sts001, sts002a, sts002b, lts001a, lts001b, lts001c, ascof_2a, ascof_2b2c };

// One result: the column names and each row's values (NULL as nullopt).
struct result_table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

struct sts001_figures {
  long total = 0;                                // rows of #STS001 (one per new-client request)
  std::map<std::string, long> by_route;          // ROUTE_Of_ACCESS ("NULL" when blank)
  std::map<std::string, long> by_sequel;         // FINAL_OUTCOME
  std::map<std::string, long> by_sequel_mapped;  // FINAL_OUTCOME_MAPPED
  std::map<int, long> by_record_type;            // Record_Type 1..5
};

struct sts002a_figures {
  long total = 0;  // rows of #STS002a (one per ST-Max cluster ending in the period)
  std::map<std::string, long> by_sequel_mapped;
  std::map<int, long> by_record_type;
};

struct ascof_2a_figures {
  long numerator = 0;
  long denominator = 0;
};

// LTS001a/b/c tables 1a (18-64) and 1b (65+): distinct people, and by SALT category of
// setting/delivery ("Nursing", "Community: Direct Payment", ...; the script's REF table).
struct lts_figures {
  long age_18_64 = 0;
  long age_65_plus = 0;
  std::map<std::string, long> age_18_64_by_setting;
  std::map<std::string, long> age_65_plus_by_setting;
};

// The scripts produce the numerators only (denominators are ONS population estimates).
struct ascof_2b2c_figures {
  long numerator_2b_18_64 = 0;
  long numerator_2c_65_plus = 0;
};

// Parses CLD files into a fresh in-memory database as NHS England's [DHSC_ASC].[CLD_R1_Raw]
// (plus the fields it derives on load) and runs the ported scripts on it.
class nhse_port {
 public:
  explicit nhse_port(const std::vector<cld_file>& files);

  // Runs one ported script (STS002a and ASCOF 2A first run STS001, whose ST-Max cohort they
  // read; ASCOF 2A's body is STS002a's) and returns the results of its published queries.
  std::vector<result_table> run(script which, const params& p);

  // Any table after a run (e.g. "STS001", "STS002a", "LTS001b_T1b_Final").
  result_table table(const std::string& name);

  sts001_figures sts001(const params& p);
  sts002a_figures sts002a(const params& p);
  long sts002b(const params& p);  // ST-Max clusters of existing clients
  ascof_2a_figures ascof_2a(const params& p);
  lts_figures lts001a(const params& p);
  lts_figures lts001b(const params& p);
  lts_figures lts001c(const params& p);
  ascof_2b2c_figures ascof_2b2c(const params& p);

  SQLite::Database& database() { return db_; }

 private:
  SQLite::Database db_;
};

// The CLD file's header (CLD.md §2), in order.
const std::vector<std::string>& cld_header();

// RFC 4180 records: comma, CRLF (LF accepted), quoted fields with "" escapes. Each record's
// fields and the line it starts on (1-based).
struct csv_record {
  std::size_t line = 0;
  std::vector<std::string> fields;
};
std::vector<csv_record> parse_csv(const std::string& text);

// Reads a whole file (throws if it cannot).
std::string read_file(const std::string& path);

// Where the .sql files and the hand-built CLD files are (compiled in).
std::string sql_dir();
std::string files_dir();

}  // namespace careledger::cld_port
