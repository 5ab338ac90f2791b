// The cross-check (issue 14 item 7; CLD.md §8 items 9-13): NHS England's CLD transformation code,
// ported (tests/cld/nhse), run on careledger's own export of a generated council, figure by figure
// against careledger's live measures of the same year.
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "domain/cld.hpp"
#include "persistence/database.hpp"
#include "services/client_level_data.hpp"
#include "services/queries.hpp"
#include "tests/cld/nhse_port.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/import.hpp"
#include "tools/synthetic.hpp"

namespace careledger::cld_port {
namespace {

// The financial year 2023-24, the generated council's last.
constexpr const char* kYearStart = "2023-04-01";
constexpr const char* kYearEnd = "2024-03-31";

struct Council {
  testing::TempDir dir;
  std::string db_path;
  // The year-to-date file for 2023-24-Q4 (which is also its rolling 12 months): what NHS
  // England's scripts read, LTS001a/b/c included (they take only files starting 1 April).
  std::string year_file;
  std::map<std::string, domain::Measure> measures;
};

// One line of the table for the closing note.
struct TableRow {
  std::string figure;
  std::string careledger;
  std::string nhse;
  std::string verdict;
};

class CrossCheck : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    council_ = new Council;
    std::ostringstream generated;
    tools::generate(tools::GenerateOptions{0.05, 2, 20240331, domain::FinancialYear{2023}},
                    generated);
    council_->db_path = council_->dir.file("council.db");
    std::istringstream in(generated.str());
    std::ostringstream errors;
    const auto report =
        tools::import_lines(council_->dir.file("council.db"), in, errors, [](std::size_t) {});
    ASSERT_EQ(report.refused, 0u) << errors.str().substr(0, 2000);

    auto db = persistence::open_reader(council_->dir.file("council.db"));
    const auto quarter = *domain::cld::parse_quarter("2023-24-Q4");
    services::write_cld_file(*db, domain::cld::span_of(quarter, domain::cld::Span::year_to_date),
                             "999", [](std::string_view piece) { council_->year_file += piece; });
    const auto year = domain::FinancialYear{2023};
    for (auto& m : services::compute_measures(*db, {}, year.start(), year.end(), std::nullopt,
                                              false, false)) {
      council_->measures[m.id] = m;
    }
  }

  static void TearDownTestSuite() {
    std::string out = "\n| figure | careledger | NHS England's code | equal or why not |\n";
    out += "|---|---|---|---|\n";
    for (const auto& r : table_) {
      out += "| " + r.figure + " | " + r.careledger + " | " + r.nhse + " | " + r.verdict + " |\n";
    }
    std::fputs(out.c_str(), stdout);
    delete council_;
    council_ = nullptr;
  }

  static params year_params() {
    // "today" a fortnight after the year: open requests would end then (none are open in a
    // file: CLD.md §4 writes decided requests only).
    return params{kYearStart, kYearEnd, "2024-04-15", ""};
  }

  static long measure(const std::string& id, bool numerator = false, bool denominator = false) {
    const auto found = council_->measures.find(id);
    if (found == council_->measures.end()) throw std::runtime_error("no measure " + id);
    const auto& m = found->second;
    const auto& v = numerator ? m.numerator : denominator ? m.denominator : m.value;
    if (!v) throw std::runtime_error("measure " + id + " has no value");
    return static_cast<long>(*v);
  }

  static void note(std::string figure, long careledger, long nhse, std::string verdict) {
    table_.push_back(
        {std::move(figure), std::to_string(careledger), std::to_string(nhse), std::move(verdict)});
  }

  static void note(std::string figure, std::string careledger, std::string nhse,
                   std::string verdict) {
    table_.push_back(
        {std::move(figure), std::move(careledger), std::move(nhse), std::move(verdict)});
  }

  static nhse_port year_port() { return nhse_port({cld_file{council_->year_file, ""}}); }

  static Council* council_;
  static std::vector<TableRow> table_;
};

Council* CrossCheck::council_ = nullptr;
std::vector<TableRow> CrossCheck::table_;

// -- Per-person comparison ------------------------------------------------------------------
//
// Each figure is restated per person on careledger's side (from its own read models, attached
// to the port's database as `cl`, and the file's rows), and that restatement's total is first
// checked against careledger's live measure, so that a per-person comparison with NHS England's
// tables speaks for the measure. A person whose figures differ must break one of CLD.md §8's
// named conditions; the test fails, naming them, for anyone else.

using PerPerson = std::map<std::string, long>;  // NHS number -> figure
// CLD.md §8's conditions a figure needs, each with the people (NHS numbers) who break it, in
// the order a difference is put down to them (the first a person breaks).
struct Breaks {
  std::vector<std::pair<std::string, std::set<std::string>>> conditions;
  std::set<std::string>& operator[](const std::string& name) {
    for (auto& [condition, who] : conditions) {
      if (condition == name) return who;
    }
    return conditions.emplace_back(name, std::set<std::string>{}).second;
  }
};

constexpr const char* kDay = "'2024-03-31'";  // D: the year's last day, as SQL

PerPerson per_person(SQLite::Database& db, const std::string& sql) {
  PerPerson out;
  SQLite::Statement q(db, sql);
  while (q.executeStep()) out[q.getColumn(0).getString()] += q.getColumn(1).getInt64();
  return out;
}

std::set<std::string> people(SQLite::Database& db, const std::string& sql) {
  std::set<std::string> out;
  SQLite::Statement q(db, sql);
  while (q.executeStep()) out.insert(q.getColumn(0).getString());
  return out;
}

long total(const PerPerson& figures) {
  long n = 0;
  for (const auto& [id, v] : figures) n += v;
  return n;
}

// Exact age in whole years of an ISO date of birth on an ISO day (both SQL expressions).
std::string age_sql(const std::string& dob, const std::string& day) {
  return "(CAST(strftime('%Y', " + day + ") AS INTEGER) - CAST(strftime('%Y', " + dob +
         ") AS INTEGER) - (strftime('%m-%d', " + day + ") < strftime('%m-%d', " + dob + ")))";
}

// The port on the year's file, careledger's database attached as `cl`.
nhse_port attached_port(const std::string& csv, const std::string& db_path) {
  nhse_port port({cld_file{csv, ""}});
  SQLite::Statement attach(port.database(), "ATTACH DATABASE ? AS cl");
  attach.bind(1, db_path);
  attach.exec();
  return port;
}

// What a figure's comparison found: the verdict for the table.
std::string compare(const std::string& figure, const PerPerson& careledger, const PerPerson& nhse,
                    const Breaks& breaks, const std::string& item) {
  std::set<std::string> everyone;
  for (const auto& [id, v] : careledger) everyone.insert(id);
  for (const auto& [id, v] : nhse) everyone.insert(id);
  std::map<std::string, std::pair<long, long>> explained;  // condition -> (people, difference)
  std::string unexplained;
  for (const auto& id : everyone) {
    const long a = careledger.contains(id) ? careledger.at(id) : 0;
    const long b = nhse.contains(id) ? nhse.at(id) : 0;
    if (a == b) continue;
    std::string why;
    for (const auto& [condition, who] : breaks.conditions) {
      if (who.contains(id)) {
        why = condition;
        break;
      }
    }
    if (why.empty()) {
      unexplained +=
          " " + id + " (careledger " + std::to_string(a) + ", NHSE " + std::to_string(b) + ")";
      continue;
    }
    ++explained[why].first;
    explained[why].second += a - b;
  }
  EXPECT_EQ(unexplained, "") << figure << ": people whose figures differ for no reason CLD.md §8 "
                             << item << " names:" << unexplained;
  if (explained.empty() && unexplained.empty()) return "equal";
  std::string verdict;
  for (const auto& [condition, n] : explained) {
    verdict += (verdict.empty() ? "" : "; ") + std::to_string(n.first) + " " + condition +
               " (careledger " + (n.second >= 0 ? "+" : "") + std::to_string(n.second) + ")";
  }
  if (!unexplained.empty()) verdict += (verdict.empty() ? "" : "; ") + std::string("UNEXPLAINED");
  return verdict + " (CLD.md §8 " + item + ")";
}

TEST_F(CrossCheck, Sts001IsRequestsNewClients) {
  auto port = attached_port(council_->year_file, council_->db_path);
  const auto f = port.sts001(year_params());
  auto& db = port.database();
  // requests.new_clients restated: the file's Service User request rows (each decided, or
  // derived and requested, in the year) whose person had no long-term episode open on its start.
  const std::string new_client_rows =
      "FROM CLD_R1_Raw r WHERE r.Event_Type = 'Request' AND r.Client_Type = 'Service User' "
      "AND NOT EXISTS (SELECT 1 FROM cl.rm_support_episodes e WHERE e.person_id = "
      "r.LA_Person_Unique_Identifier AND e.kind = 'long_term' AND e.started_on <= "
      "r.Event_Start_Date AND (e.ended_on IS NULL OR e.ended_on > r.Event_Start_Date))";
  const auto careledger =
      per_person(db, "SELECT r.NHS_Number, count(*) " + new_client_rows + " GROUP BY 1");
  EXPECT_EQ(total(careledger), measure("requests.new_clients"));
  const auto nhse = per_person(db, "SELECT ID, count(*) FROM STS001 GROUP BY 1");
  EXPECT_EQ(total(nhse), f.total);
  Breaks breaks;
  // NHSE merges a person's requests when one starts at most 4 days after the one before ends
  // (STS001 lines 317-360).
  breaks["with two requests within 4 days"] = people(
      db,
      "SELECT a.NHS_Number FROM CLD_R1_Raw a JOIN CLD_R1_Raw b ON a.NHS_Number = b.NHS_Number "
      "AND a.Der_Unique_Record_ID <> b.Der_Unique_Record_ID WHERE a.Event_Type = 'Request' AND "
      "b.Event_Type = 'Request' AND a.Client_Type = 'Service User' AND b.Client_Type = "
      "'Service User' AND a.Event_Start_Date <= b.Event_Start_Date AND a.Event_End_Date >= "
      "date(b.Event_Start_Date, '-4 days')");
  // NHSE counts a service's end date as a day of service (lines 419-441).
  breaks["with a request on the day a long-term episode ends"] = people(
      db,
      "SELECT r.NHS_Number FROM CLD_R1_Raw r JOIN cl.rm_support_episodes e ON e.person_id = "
      "r.LA_Person_Unique_Identifier AND e.kind = 'long_term' AND e.ended_on = "
      "r.Event_Start_Date WHERE r.Event_Type = 'Request' AND r.Client_Type = 'Service User'");
  note("STS001 new clients (requests.new_clients)", measure("requests.new_clients"), f.total,
       compare("STS001", careledger, nhse, breaks, "item 9"));
  for (const auto& [route, text] : domain::cld::CldText<domain::RouteOfAccess>::entries) {
    const std::string route_text(text);
    const auto found = f.by_route.find(route_text);
    const long theirs = found == f.by_route.end() ? 0 : found->second;
    const std::string id = "requests.new_clients." + std::string(domain::code_name(route));
    const auto careledger_route =
        per_person(db, "SELECT r.NHS_Number, count(*) " + new_client_rows +
                           " AND r.Request_Route_of_Access = '" + route_text + "' GROUP BY 1");
    EXPECT_EQ(total(careledger_route), measure(id)) << route_text;
    const auto nhse_route =
        per_person(db, "SELECT ID, count(*) FROM STS001 WHERE ROUTE_Of_ACCESS = '" + route_text +
                           "' GROUP BY 1");
    note("STS001 " + route_text, measure(id), theirs,
         compare("STS001 " + route_text, careledger_route, nhse_route, breaks, "item 9"));
  }
}

TEST_F(CrossCheck, Lts001bIsSupportLongTermClients) {
  auto port = attached_port(council_->year_file, council_->db_path);
  const auto f = port.lts001b(year_params());
  auto& db = port.database();
  // Per person: band * 10 + setting (band 1 18-64, 2 65+; setting 1 community, 2 residential,
  // 3 nursing), so that a person counted in another band or setting differs.
  const std::string age = age_sql("p.date_of_birth", kDay);
  const auto careledger = per_person(
      db, "SELECT p.nhs_number, CASE WHEN " + age +
              " >= 65 THEN 20 ELSE 10 END + max(CASE "
              "e.setting WHEN 'nursing' THEN 3 WHEN 'residential' THEN 2 ELSE 1 END) FROM "
              "cl.rm_support_episodes e JOIN cl.rm_people p ON p.id = e.person_id WHERE e.kind = "
              "'long_term' AND e.started_on <= " +
              kDay + " AND (e.ended_on IS NULL OR e.ended_on > " + kDay + ") AND " + age +
              " >= 18 GROUP BY 1");
  const std::string setting =
      "max(CASE Service_Type WHEN 'Long Term Support: Nursing Care' THEN 3 WHEN 'Long Term "
      "Support: Residential Care' THEN 2 ELSE 1 END)";
  const auto nhse = per_person(db, "SELECT ID, 10 + " + setting +
                                       " FROM LTS001b_T1a_Final GROUP BY 1 UNION ALL SELECT ID, "
                                       "20 + " +
                                       setting + " FROM LTS001b_T1b_Final GROUP BY 1");
  long cl_band[3] = {0, 0, 0}, cl_setting[4] = {0, 0, 0, 0};
  for (const auto& [id, v] : careledger) ++cl_band[v / 10], ++cl_setting[v % 10];
  long nhse_setting[4] = {0, 0, 0, 0};
  for (const auto& [id, v] : nhse) ++nhse_setting[v % 10];
  EXPECT_EQ(cl_band[1], measure("support.long_term_clients.age_18_64"));
  EXPECT_EQ(cl_band[2], measure("support.long_term_clients.age_65_plus"));
  EXPECT_EQ(cl_setting[1], measure("support.long_term_clients.community"));
  EXPECT_EQ(cl_setting[2], measure("support.long_term_clients.residential"));
  EXPECT_EQ(cl_setting[3], measure("support.long_term_clients.nursing"));
  Breaks breaks;
  breaks["with a long-term episode ending on D"] = people(
      db, std::string("SELECT p.nhs_number FROM cl.rm_support_episodes e JOIN cl.rm_people p ON "
                      "p.id = e.person_id WHERE e.kind = 'long_term' AND e.ended_on = ") +
              kDay);
  breaks["with a birthday in D's month"] = people(
      db, std::string("SELECT nhs_number FROM cl.rm_people WHERE strftime('%m', date_of_birth) = "
                      "strftime('%m', ") +
              kDay + ")");
  const auto band = [](const PerPerson& all, long b) {
    PerPerson out;
    for (const auto& [id, v] : all) {
      if (v / 10 == b) out[id] = 1;
    }
    return out;
  };
  const auto in_setting = [](const PerPerson& all, long s) {
    PerPerson out;
    for (const auto& [id, v] : all) {
      if (v % 10 == s) out[id] = 1;
    }
    return out;
  };
  note("LTS001b T1a 18-64 (support.long_term_clients.age_18_64)",
       measure("support.long_term_clients.age_18_64"), f.age_18_64,
       compare("LTS001b T1a", band(careledger, 1), band(nhse, 1), breaks, "item 10"));
  note("LTS001b T1b 65+ (support.long_term_clients.age_65_plus)",
       measure("support.long_term_clients.age_65_plus"), f.age_65_plus,
       compare("LTS001b T1b", band(careledger, 2), band(nhse, 2), breaks, "item 10"));
  const auto anyone = [](const PerPerson& all) {
    PerPerson out;
    for (const auto& [id, v] : all) out[id] = 1;
    return out;
  };
  note("LTS001b T1a+T1b (support.long_term_clients)", measure("support.long_term_clients"),
       f.age_18_64 + f.age_65_plus,
       compare("LTS001b", anyone(careledger), anyone(nhse), breaks, "item 10"));
  const char* names[] = {"", "community", "residential", "nursing"};
  for (long s = 1; s <= 3; ++s) {
    note(std::string("LTS001b ") + names[s] + " (support.long_term_clients." + names[s] + ")",
         measure(std::string("support.long_term_clients.") + names[s]), nhse_setting[s],
         compare(std::string("LTS001b ") + names[s], in_setting(careledger, s), in_setting(nhse, s),
                 breaks, "item 10"));
  }
}

// The ST-Max episodes careledger's ascof.2a counts (st_max or unrecorded, which the file writes
// Short Term Support: ST-Max; CLD.md §4), ended in the year, with their sequel.
const char* kStMaxEnded =
    "FROM CLD_R1_Raw s JOIN cl.rm_support_episodes e ON e.id = s.Event_Reference WHERE "
    "s.Event_Type = 'Service' AND s.Service_Type = 'Short Term Support: ST-Max' AND "
    "s.Event_End_Date BETWEEN '2023-04-01' AND '2024-03-31'";
const char* kNotInLongTerm =
    " AND NOT EXISTS (SELECT 1 FROM cl.rm_support_episodes l WHERE l.person_id = e.person_id "
    "AND l.kind = 'long_term' AND l.started_on <= e.started_on AND (l.ended_on IS NULL OR "
    "l.ended_on > e.started_on))";

TEST_F(CrossCheck, Ascof2aIsCareledgersAscof2a) {
  auto port = attached_port(council_->year_file, council_->db_path);
  const auto f = port.ascof_2a(year_params());
  auto& db = port.database();
  const std::string ended = std::string(kStMaxEnded) + kNotInLongTerm;
  const auto cl_den = per_person(db, "SELECT s.NHS_Number, count(*) " + ended + " GROUP BY 1");
  const auto cl_num = per_person(db, "SELECT s.NHS_Number, count(*) " + ended +
                                         " AND coalesce(e.sequel, '') <> 'long_term_support' "
                                         "GROUP BY 1");
  // Fails until careledger's ascof.2a counts ST-Max episodes only (CLD.md §4, reading 10).
  EXPECT_EQ(total(cl_den), measure("ascof.2a", false, true))
      << "careledger's ascof.2a denominator is not the ST-Max episodes ended in the year";
  EXPECT_EQ(total(cl_num), measure("ascof.2a", true));
  const std::string in_list =
      "'Long Term Support (any setting)', 'Ongoing Low Level Support', 'Short Term Support "
      "(other)', 'No Services Provided – Universal Services / signposted to other services', "
      "'No services provided – other'";
  const auto nhse_den = per_person(db,
                                   "SELECT ID, count(*) FROM STS002a WHERE "
                                   "FINAL_OUTCOME_MAPPED IN (" +
                                       in_list + ") GROUP BY 1");
  const auto nhse_num = per_person(
      db, "SELECT ID, count(*) FROM STS002a WHERE FINAL_OUTCOME_MAPPED IN (" + in_list +
              ") AND FINAL_OUTCOME_MAPPED <> 'Long Term Support (any setting)' GROUP BY 1");
  EXPECT_EQ(total(nhse_den), f.denominator);
  EXPECT_EQ(total(nhse_num), f.numerator);
  Breaks breaks;
  // STS002a's cohort is STS001's: ST-Max found as the sequel of a new client's request decided
  // in the year (its Client_Type Service User), starting 28 days or less after it. Two ways
  // careledger's data miss that which CLD.md §8 does not name: an episode that started before
  // the year (its request was decided the year before, so it is in no year's STS001 with this
  // episode's end), and a request written Client_Type Carer because its person is recorded as
  // a carer (CLD.md §3), though what followed was their own ST-Max. Then §8's own: no request.
  const std::string started_before_year = " AND s.Event_Start_Date < '2023-04-01'";
  const std::string after_carer_request =
      " AND EXISTS (SELECT 1 FROM CLD_R1_Raw r WHERE r.NHS_Number = s.NHS_Number AND "
      "r.Event_Type = 'Request' AND r.Client_Type = 'Carer' AND r.Event_End_Date <= "
      "s.Event_Start_Date AND s.Event_Start_Date <= date(r.Event_End_Date, '+28 days'))";
  const std::string without_request =
      " AND NOT EXISTS (SELECT 1 FROM CLD_R1_Raw r WHERE r.NHS_Number = s.NHS_Number AND "
      "r.Event_Type = 'Request' AND r.Event_End_Date <= s.Event_Start_Date AND "
      "s.Event_Start_Date <= date(r.Event_End_Date, '+28 days'))";
  breaks["ST-Max started before the year, its request decided in 2022-23 (NOT in CLD.md §8)"] =
      people(db, std::string("SELECT s.NHS_Number ") + kStMaxEnded + started_before_year);
  breaks
      ["ST-Max after a request written Client_Type Carer, the person recorded as a carer (NOT "
       "in CLD.md §8)"] =
          people(db, std::string("SELECT s.NHS_Number ") + kStMaxEnded + after_carer_request);
  breaks["with an ST-Max episode and no request 28 days or less before it"] =
      people(db, std::string("SELECT s.NHS_Number ") + kStMaxEnded + without_request);
  breaks["with an `other` sequel"] =
      people(db, std::string("SELECT s.NHS_Number ") + kStMaxEnded + " AND e.sequel = 'other'");
  breaks["with a long_term_support sequel and no long-term episode within 3 days"] = people(
      db, std::string("SELECT s.NHS_Number ") + kStMaxEnded +
              " AND e.sequel = 'long_term_support' AND NOT EXISTS (SELECT 1 FROM "
              "cl.rm_support_episodes l WHERE l.person_id = e.person_id AND l.kind = "
              "'long_term' AND l.started_on BETWEEN e.ended_on AND date(e.ended_on, '+3 days'))");
  breaks["with ST-Max episodes a day or less apart"] = people(
      db, std::string("SELECT s.NHS_Number ") + kStMaxEnded +
              " AND EXISTS (SELECT 1 FROM CLD_R1_Raw t WHERE t.NHS_Number = s.NHS_Number AND "
              "t.Service_Type = 'Short Term Support: ST-Max' AND t.Der_Unique_Record_ID <> "
              "s.Der_Unique_Record_ID AND ((t.Event_Start_Date BETWEEN s.Event_End_Date AND "
              "date(s.Event_End_Date, '+1 day')) OR (s.Event_Start_Date BETWEEN "
              "t.Event_End_Date AND date(t.Event_End_Date, '+1 day'))))");
  breaks["with another event starting 3 days or less after an ST-Max end"] = people(
      db, std::string("SELECT s.NHS_Number ") + kStMaxEnded +
              " AND EXISTS (SELECT 1 FROM CLD_R1_Raw t WHERE t.NHS_Number = s.NHS_Number AND "
              "t.Der_Unique_Record_ID <> s.Der_Unique_Record_ID AND NOT (t.Service_Type LIKE "
              "'Long Term Support:%' AND e.sequel = 'long_term_support') AND "
              "t.Event_Start_Date BETWEEN s.Event_End_Date AND date(s.Event_End_Date, "
              "'+3 days'))");
  // The live measure until it counts ST-Max only, with the definition the comparison uses.
  const auto shown = [](long live, long st_max_only) {
    return live == st_max_only
               ? std::to_string(live)
               : std::to_string(live) + " (ST-Max only: " + std::to_string(st_max_only) + ")";
  };
  note("ASCOF 2A numerator (ascof.2a)", shown(measure("ascof.2a", true), total(cl_num)),
       std::to_string(f.numerator),
       compare("ASCOF 2A numerator", cl_num, nhse_num, breaks, "item 11"));
  note("ASCOF 2A denominator (ascof.2a)", shown(measure("ascof.2a", false, true), total(cl_den)),
       std::to_string(f.denominator),
       compare("ASCOF 2A denominator", cl_den, nhse_den, breaks, "item 11"));

  // Exactly as predicted: where a person breaks only conditions under which NHS England drops
  // an episode (not in its cohort), its figures are careledger's less those episodes.
  {
    const std::string dropped = " AND ((1 = 1" + started_before_year + ") OR (1 = 1" +
                                after_carer_request + ") OR (1 = 1" + without_request + "))";
    const auto dropped_den =
        per_person(db, "SELECT s.NHS_Number, count(*) " + ended + dropped + " GROUP BY 1");
    const auto dropped_num =
        per_person(db, "SELECT s.NHS_Number, count(*) " + ended + dropped +
                           " AND coalesce(e.sequel, '') <> 'long_term_support' GROUP BY 1");
    std::set<std::string> other_breaks;
    for (const auto& [condition, who] : breaks.conditions) {
      if (condition.find("request") == std::string::npos)
        other_breaks.insert(who.begin(), who.end());
    }
    const auto value = [](const PerPerson& m, const std::string& id) {
      return m.contains(id) ? m.at(id) : 0L;
    };
    for (const auto& [id, n] : dropped_den) {
      if (other_breaks.contains(id)) continue;
      EXPECT_EQ(value(nhse_den, id), value(cl_den, id) - n) << id << " (2A denominator)";
      EXPECT_EQ(value(nhse_num, id), value(cl_num, id) - value(dropped_num, id))
          << id << " (2A numerator)";
    }
  }

  // STS002b (ST-Max clusters of existing clients) + careledger's 2A denominator = the ST-Max
  // episodes ended in the year.
  const long sts002b = port.sts002b(year_params());
  const auto all_ended =
      per_person(db, std::string("SELECT s.NHS_Number, count(*) ") + kStMaxEnded + " GROUP BY 1");
  const auto existing = per_person(
      db, "SELECT ID, count(DISTINCT ST_MAX_COUNT) FROM ST_MAX_EXISTING_CLIENTS GROUP BY 1");
  PerPerson nhse_plus_careledger = existing;
  for (const auto& [id, v] : cl_den) nhse_plus_careledger[id] += v;
  Breaks b_breaks;
  b_breaks["with ST-Max episodes a day or less apart"] =
      breaks["with ST-Max episodes a day or less apart"];
  b_breaks["with a long-term episode ending on an ST-Max start day"] =
      people(db, std::string("SELECT s.NHS_Number ") + kStMaxEnded +
                     " AND EXISTS (SELECT 1 FROM cl.rm_support_episodes l WHERE l.person_id = "
                     "e.person_id AND l.kind = 'long_term' AND l.ended_on = e.started_on)");
  note("ST-Max episodes ended = STS002b + careledger's 2A denominator",
       std::to_string(total(all_ended)) + " ended",
       std::to_string(sts002b) + " + " + shown(measure("ascof.2a", false, true), total(cl_den)),
       compare("STS002b + 2A denominator", all_ended, nhse_plus_careledger, b_breaks, "item 11"));
  EXPECT_EQ(total(all_ended), sts002b + measure("ascof.2a", false, true))
      << "STS002b + careledger's 2A denominator (fails until ascof.2a counts ST-Max only)";
  const auto sts002a = port.sts002a(year_params());
  // STS002a is the cohort ASCOF 2A counts from; the clusters in neither of its lists (early
  // cessation, needs identified but declined or self-funding, the hyphenated path) are the rest.
  note("STS002a (NHSE's ST-Max clusters of new clients)", "-", std::to_string(sts002a.total),
       "ASCOF 2A denominator is the " + std::to_string(f.denominator) + " of these in its lists");
}

TEST_F(CrossCheck, Ascof2b2cAreCareledgersAdmissions) {
  auto port = attached_port(council_->year_file, council_->db_path);
  const auto f = port.ascof_2b2c(year_params());
  auto& db = port.database();
  // careledger's admissions: care-home episodes started in the year, not a move from a care
  // home left that day, by age at admission (1 = 18-64, 2 = 65+).
  const std::string admissions =
      "FROM cl.rm_support_episodes e JOIN cl.rm_people p ON p.id = e.person_id WHERE e.kind = "
      "'long_term' AND e.setting IN ('residential', 'nursing') AND e.started_on BETWEEN "
      "'2023-04-01' AND '2024-03-31' AND NOT EXISTS (SELECT 1 FROM cl.rm_support_episodes m "
      "WHERE m.person_id = e.person_id AND m.id <> e.id AND m.kind = 'long_term' AND m.setting "
      "IN ('residential', 'nursing') AND m.ended_on = e.started_on)";
  const std::string age = age_sql("p.date_of_birth", "e.started_on");
  const auto cl_2b = per_person(db, "SELECT p.nhs_number, count(*) " + admissions + " AND " + age +
                                        " BETWEEN 18 AND 64 GROUP BY 1");
  const auto cl_2c = per_person(
      db, "SELECT p.nhs_number, count(*) " + admissions + " AND " + age + " >= 65 GROUP BY 1");
  EXPECT_EQ(total(cl_2b), measure("ascof.2b", true));
  EXPECT_EQ(total(cl_2c), measure("ascof.2c", true));
  const auto nhse_2b = per_person(db,
                                  "SELECT ID, count(*) FROM RESNURS_Final WHERE "
                                  "Der_Age_Snapshot_Date BETWEEN 18 AND 64 GROUP BY 1");
  const auto nhse_2c = per_person(db,
                                  "SELECT ID, count(*) FROM RESNURS_Final WHERE "
                                  "Der_Age_Snapshot_Date > 64 GROUP BY 1");
  Breaks breaks;
  breaks["with more than one admission"] =
      people(db, "SELECT p.nhs_number " + admissions + " GROUP BY 1 HAVING count(*) > 1");
  breaks["admitted, then out of care by the year's end"] =
      people(db, "SELECT p.nhs_number " + admissions +
                     " AND e.ended_on IS NOT NULL AND e.ended_on <= "
                     "'2024-03-31'");
  breaks["moving setting (another care-home episode)"] =
      people(db,
             "SELECT p.nhs_number FROM cl.rm_support_episodes e JOIN cl.rm_people p ON p.id = "
             "e.person_id JOIN cl.rm_support_episodes m ON m.person_id = e.person_id AND m.id <> "
             "e.id WHERE e.kind = 'long_term' AND m.kind = 'long_term' AND e.setting IN "
             "('residential', 'nursing') AND m.setting IN ('residential', 'nursing') AND "
             "e.started_on BETWEEN '2023-04-01' AND '2024-03-31' AND (m.ended_on IS NULL OR "
             "m.ended_on >= date(e.started_on, '-1 day')) AND m.started_on <= '2024-03-31'");
  breaks["with a 65th birthday after admission"] =
      people(db, "SELECT p.nhs_number " + admissions + " AND " + age + " < 65 AND " +
                     age_sql("p.date_of_birth", "'2024-04-01'") + " >= 64");
  note("ASCOF 2B numerator (ascof.2b admissions 18-64)", measure("ascof.2b", true),
       f.numerator_2b_18_64, compare("ASCOF 2B", cl_2b, nhse_2b, breaks, "item 12"));
  note("ASCOF 2C numerator (ascof.2c admissions 65+)", measure("ascof.2c", true),
       f.numerator_2c_65_plus, compare("ASCOF 2C", cl_2c, nhse_2c, breaks, "item 12"));
}

TEST_F(CrossCheck, Lts001cIsTheReviewedDenominator) {
  auto port = attached_port(council_->year_file, council_->db_path);
  const auto f = port.lts001c(year_params());
  auto& db = port.database();
  // careledger's chains (domain chain_start_on): an episode joins the chain before it when it
  // starts at most 7 days after the chain's last end, or while the chain is open.
  PerPerson careledger;
  std::set<std::string> gap_2_7, link_outside_file;
  {
    SQLite::Statement q(
        db, std::string("SELECT p.nhs_number, ") + age_sql("p.date_of_birth", kDay) +
                ", CAST(julianday(e.started_on) AS INTEGER), CAST(julianday(e.ended_on) AS "
                "INTEGER) FROM cl.rm_support_episodes e JOIN cl.rm_people p ON p.id = "
                "e.person_id WHERE e.kind = 'long_term' AND e.started_on <= " +
                kDay + " ORDER BY 1, 3");
    const long day = 2460400;          // julianday('2024-03-31') truncated
    const long year_before = 2460034;  // 2023-03-31
    const long file_start = 2460035;   // 2023-04-01
    // Day numbers; kNone: no chain yet, kOpen: the chain is open on D.
    constexpr long kNone = -1;
    constexpr long kOpen = std::numeric_limits<long>::max();
    std::string person;
    int age = 0;
    long start = kNone, end = kNone;
    auto close = [&] {
      if (!person.empty() && start != kNone && end == kOpen && start <= year_before && age >= 18) {
        careledger[person] = 1;
      }
    };
    while (q.executeStep()) {
      const std::string id = q.getColumn(0).getString();
      if (id != person) {
        close();
        person = id;
        age = q.getColumn(1).getInt();
        start = end = kNone;
      }
      const long started = q.getColumn(2).getInt64();
      const long ends = !q.getColumn(3).isNull() && q.getColumn(3).getInt64() <= day
                            ? static_cast<long>(q.getColumn(3).getInt64())
                            : kOpen;
      const bool closed = start != kNone && end != kOpen;
      const long gap = closed ? started - end : 0;
      if (closed && gap >= 2 && gap <= 7) gap_2_7.insert(person);
      if (closed && gap <= 1 && end < file_start) link_outside_file.insert(person);
      if (start == kNone || (closed && gap > 7)) {
        start = started;
        end = ends;
      } else if (closed) {
        end = std::max(end, ends);
      }
    }
    close();
  }
  EXPECT_EQ(total(careledger), measure("reviews.long_term_12_months_reviewed", false, true));
  const auto nhse = per_person(db,
                               "SELECT ID, 1 FROM LTS001c_T1a_Final GROUP BY 1 UNION "
                               "SELECT ID, 1 FROM LTS001c_T1b_Final GROUP BY 1");
  Breaks breaks;
  breaks["with a 2-7-day gap between long-term episodes"] = gap_2_7;
  breaks["with a long-term episode ending on D"] = people(
      db, std::string("SELECT p.nhs_number FROM cl.rm_support_episodes e JOIN cl.rm_people p ON "
                      "p.id = e.person_id WHERE e.kind = 'long_term' AND e.ended_on = ") +
              kDay);
  breaks["with a chain starting exactly 12 months before D"] =
      people(db,
             "SELECT p.nhs_number FROM cl.rm_support_episodes e JOIN cl.rm_people p ON p.id = "
             "e.person_id WHERE e.kind = 'long_term' AND e.started_on = '2023-03-31'");
  breaks["with a 0-1-day link ended before the file's period (NOT in CLD.md)"] = link_outside_file;
  note("LTS001c (reviews.long_term_12_months_reviewed denominator)",
       measure("reviews.long_term_12_months_reviewed", false, true), f.age_18_64 + f.age_65_plus,
       compare("LTS001c", careledger, nhse, breaks, "item 13"));
}
}  // namespace
}  // namespace careledger::cld_port
