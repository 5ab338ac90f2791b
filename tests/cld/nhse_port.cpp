#include "tests/cld/nhse_port.hpp"
#include "domain/cld.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <SQLiteCpp/Statement.h>

#ifndef CARELEDGER_CLD_NHSE_DIR
#error "CARELEDGER_CLD_NHSE_DIR must name tests/cld/nhse"
#endif
#ifndef CARELEDGER_CLD_FILES_DIR
#error "CARELEDGER_CLD_FILES_DIR must name tests/cld/files"
#endif

namespace careledger::cld_port {
namespace {

// SQL Server's default collation in NHS England's database is case-insensitive, and '=' ignores
// trailing spaces; the scripts lean on both (they compare 'Service Ended As Planned' with the
// CLD's 'Service ended as planned'). ASCII letters only: CLD's code lists are ASCII apart from
// en dashes, which SQL Server also keeps distinct from hyphens.
int sqlserver_compare(void*, int n1, const void* p1, int n2, const void* p2) {
  const auto* a = static_cast<const unsigned char*>(p1);
  const auto* b = static_cast<const unsigned char*>(p2);
  while (n1 > 0 && a[n1 - 1] == ' ') --n1;
  while (n2 > 0 && b[n2 - 1] == ' ') --n2;
  const int n = std::min(n1, n2);
  for (int i = 0; i < n; ++i) {
    const int ca = std::tolower(a[i]);
    const int cb = std::tolower(b[i]);
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return n1 == n2 ? 0 : (n1 < n2 ? -1 : 1);
}

const std::vector<std::string> kDateColumns = {"Reporting_Period_Start_Date",
                                               "Reporting_Period_End_Date",
                                               "Date_of_Birth",
                                               "Date_of_Death",
                                               "Event_Start_Date",
                                               "Event_End_Date"};

bool is_date_column(const std::string& name) {
  return std::find(kDateColumns.begin(), kDateColumns.end(), name) != kDateColumns.end();
}

bool all_digits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// dd/mm/yyyy (CLD's format) or yyyy-mm-dd to yyyy-mm-dd; the scripts compare dates as DATEs,
// which ISO text does as strings. Impossible dates are refused rather than guessed at.
std::string iso_date(const std::string& value, std::size_t line, const std::string& column) {
  std::string d, m, y;
  if (value.size() == 10 && value[2] == '/' && value[5] == '/') {
    d = value.substr(0, 2), m = value.substr(3, 2), y = value.substr(6, 4);
  } else if (value.size() == 10 && value[4] == '-' && value[7] == '-') {
    y = value.substr(0, 4), m = value.substr(5, 2), d = value.substr(8, 2);
  }
  const int days_in[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (all_digits(d) && all_digits(m) && all_digits(y)) {
    const int dn = std::stoi(d), mn = std::stoi(m), yn = std::stoi(y);
    const bool leap = (yn % 4 == 0 && yn % 100 != 0) || yn % 400 == 0;
    if (mn >= 1 && mn <= 12 && dn >= 1 && dn <= (mn == 2 ? (leap ? 29 : 28) : days_in[mn - 1])) {
      return y + "-" + m + "-" + d;
    }
  }
  throw std::runtime_error("CLD line " + std::to_string(line) + " " + column +
                           ": not a date: " + value);
}

std::string sql_name(const std::string& name) {
  return "\"" + name + "\"";
}

// The day after an ISO date, or months later, by SQLite's own date arithmetic.
std::string shift_date(SQLite::Database& db, const std::string& iso, const std::string& by) {
  SQLite::Statement q(db, "SELECT date(?, ?)");
  q.bind(1, iso);
  q.bind(2, by);
  q.executeStep();
  if (q.getColumn(0).isNull()) throw std::runtime_error("not a date: " + iso);
  return q.getColumn(0).getString();
}

// Skips whitespace and comments before a statement's first keyword.
std::string strip_leading_comments(const std::string& sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      const auto eol = sql.find('\n', i);
      i = eol == std::string::npos ? sql.size() : eol + 1;
    } else if (sql.compare(i, 2, "/*") == 0) {
      const auto end = sql.find("*/", i + 2);
      i = end == std::string::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  return sql.substr(i);
}

struct statement_guard {
  sqlite3_stmt* stmt = nullptr;
  ~statement_guard() { sqlite3_finalize(stmt); }
};

class script_runner {
 public:
  script_runner(SQLite::Database& db, const params& p, std::string script_name)
      : db_(db), name_(std::move(script_name)) {
    values_["period_start"] = p.period_start;
    values_["period_end"] = p.period_end;
    values_["today"] = p.today;
    values_["import_cutoff"] =
        p.import_cutoff.empty() ? shift_date(db, p.period_end, "+2 months") : p.import_cutoff;
  }

  // Executes every statement of a script in order; SELECTs' rows are kept as results.
  void run(const std::string& sql) {
    const char* cursor = sql.c_str();
    while (*cursor != '\0') {
      statement_guard g;
      const char* tail = nullptr;
      check(sqlite3_prepare_v2(db_.getHandle(), cursor, -1, &g.stmt, &tail), cursor);
      const std::string text(cursor, tail);
      cursor = tail;
      if (g.stmt == nullptr) continue;  // only whitespace or comments were left
      static const std::regex ctas(R"(^CREATE\s+TEMP\s+TABLE\s+(\w+)\s+AS\s+)", std::regex::icase);
      const std::string body = strip_leading_comments(text);
      std::smatch m;
      if (std::regex_search(body, m, ctas)) {
        create_table_as(m[1].str(), m.suffix().str());
      } else {
        execute(g.stmt, text);
      }
    }
  }

  std::vector<result_table> results;

 private:
  void check(int rc, const std::string& sql) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
      throw std::runtime_error(name_ + ": " + sqlite3_errmsg(db_.getHandle()) + " in:\n" +
                               sql.substr(0, 600));
    }
  }

  void bind(sqlite3_stmt* stmt, const std::string& sql) {
    for (int i = 1; i <= sqlite3_bind_parameter_count(stmt); ++i) {
      const char* raw = sqlite3_bind_parameter_name(stmt, i);
      const std::string key = raw == nullptr ? "" : std::string(raw + 1);
      const auto found = values_.find(key);
      if (found == values_.end()) {
        throw std::runtime_error(name_ + ": no value for parameter " + key + " in:\n" + sql);
      }
      check(sqlite3_bind_text(stmt, i, found->second.c_str(), -1, SQLITE_TRANSIENT), sql);
    }
  }

  void execute(sqlite3_stmt* stmt, const std::string& sql) {
    bind(stmt, sql);
    const int columns = sqlite3_column_count(stmt);
    const bool keep = columns > 0 && sqlite3_stmt_readonly(stmt) != 0;
    result_table out;
    if (keep) {
      out.name = name_ + " query " + std::to_string(results.size() + 1);
      for (int c = 0; c < columns; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
    }
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (!keep) continue;
      std::vector<std::optional<std::string>> row;
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)));
        }
      }
      out.rows.push_back(std::move(row));
    }
    check(rc, sql);
    if (keep) results.push_back(std::move(out));
  }

  // T-SQL's SELECT ... INTO #t keeps the source collation on every column; SQLite's CREATE
  // TABLE AS drops it. So the table is declared first, every column COLLATE SQLSERVER and
  // without a type (values keep the storage class the SELECT gave them), then filled.
  void create_table_as(const std::string& table, const std::string& select) {
    std::vector<std::string> names;
    {
      statement_guard g;
      check(sqlite3_prepare_v2(db_.getHandle(), select.c_str(), -1, &g.stmt, nullptr), select);
      for (int c = 0; c < sqlite3_column_count(g.stmt); ++c) {
        names.emplace_back(sqlite3_column_name(g.stmt, c));
      }
    }
    std::string ddl = "CREATE TEMP TABLE " + sql_name(table) + " (";
    for (std::size_t c = 0; c < names.size(); ++c) {
      ddl += (c == 0 ? "" : ", ") + sql_name(names[c]) + " COLLATE SQLSERVER";
    }
    ddl += ")";
    check(sqlite3_exec(db_.getHandle(), ddl.c_str(), nullptr, nullptr, nullptr), ddl);
    const std::string insert = "INSERT INTO " + sql_name(table) + " " + select;
    statement_guard g;
    check(sqlite3_prepare_v2(db_.getHandle(), insert.c_str(), -1, &g.stmt, nullptr), insert);
    execute(g.stmt, insert);
  }

  SQLite::Database& db_;
  std::string name_;
  std::map<std::string, std::string> values_;
};

std::string script_file(script which) {
  switch (which) {
    case script::sts001:
      return "sts001.sql";
    case script::sts002a:
      return "sts002a.sql";
    case script::sts002b:
      return "sts002b.sql";
    case script::lts001a:
      return "lts001a.sql";
    case script::lts001b:
      return "lts001b.sql";
    case script::lts001c:
      return "lts001c.sql";
    case script::ascof_2a:
      return "ascof_2a.sql";
    case script::ascof_2b2c:
      return "ascof_2b2c.sql";
  }
  throw std::logic_error("unknown script");
}

long as_long(const std::optional<std::string>& v) {
  return v ? std::stol(*v) : 0;
}

}  // namespace

// The file's header as careledger writes it (domain/cld.hpp): the national R1 table's names.
const std::vector<std::string>& cld_header() {
  static const std::vector<std::string> header(domain::cld::header.begin(),
                                               domain::cld::header.end());
  return header;
}

std::vector<csv_record> parse_csv(const std::string& text) {
  std::vector<csv_record> records;
  csv_record current;
  std::string field;
  std::size_t line = 1;
  bool in_quotes = false;
  bool field_started = false;  // anything (even "") seen in this record
  current.line = 1;
  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_record = [&] {
    end_field();
    records.push_back(std::move(current));
    current = csv_record{};
    field_started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (!field_started) {
      current.line = line;
      field_started = true;
    }
    if (c == '"') {
      if (!field.empty())
        throw std::runtime_error("CSV line " + std::to_string(line) +
                                 ": quote inside an unquoted field");
      in_quotes = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: the LF ends the record
    } else if (c == '\n') {
      end_record();
      ++line;
    } else {
      field += c;
    }
  }
  if (in_quotes) throw std::runtime_error("CSV: unterminated quoted field");
  if (field_started) end_record();
  return records;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sql_dir() {
  return CARELEDGER_CLD_NHSE_DIR;
}
std::string files_dir() {
  return CARELEDGER_CLD_FILES_DIR;
}

nhse_port::nhse_port(const std::vector<cld_file>& files)
    : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
  if (sqlite3_create_collation(db_.getHandle(), "SQLSERVER", SQLITE_UTF8, nullptr,
                               sqlserver_compare) != SQLITE_OK) {
    throw std::runtime_error("cannot register the SQLSERVER collation");
  }
  const auto& header = cld_header();
  // The 48 CLD columns, then what NHS England derives on load: LA_Name, ImportDate, birth
  // year and month (its database holds no full date of birth), the two person ids (here not
  // pseudonymised) and a unique record id.
  std::string ddl = "CREATE TABLE CLD_R1_Raw (";
  for (const auto& name : header) ddl += sql_name(name) + " COLLATE SQLSERVER, ";
  ddl +=
      "LA_Name COLLATE SQLSERVER, ImportDate COLLATE SQLSERVER, Der_Birth_Year INTEGER, "
      "Der_Birth_Month INTEGER, Der_NHS_Number_Traced_Pseudo COLLATE SQLSERVER, "
      "Der_LA_Person_Unique_Identifier_Pseudo COLLATE SQLSERVER, "
      "Der_NHS_LA_Combined_Person_ID COLLATE SQLSERVER, Der_Unique_Record_ID INTEGER, "
      "Der_File_Line INTEGER)";
  db_.exec(ddl);

  std::string insert = "INSERT INTO CLD_R1_Raw VALUES (";
  for (std::size_t i = 0; i < header.size() + 9; ++i) insert += i == 0 ? "?" : ", ?";
  insert += ")";
  SQLite::Statement add(db_, insert);

  for (std::size_t f = 0; f < files.size(); ++f) {
    const auto records = parse_csv(files[f].csv);
    if (records.empty() || records.front().fields != header) {
      throw std::runtime_error("CLD file " + std::to_string(f + 1) +
                               ": the header is not CLD.md §2's 48 names in order");
    }
    std::string import_date = files[f].import_date;
    for (std::size_t r = 1; r < records.size(); ++r) {
      const auto& rec = records[r];
      if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // a blank last line
      if (rec.fields.size() != header.size()) {
        throw std::runtime_error("CLD line " + std::to_string(rec.line) + ": " +
                                 std::to_string(rec.fields.size()) + " fields, not 48");
      }
      std::vector<std::optional<std::string>> values;
      for (std::size_t c = 0; c < header.size(); ++c) {
        const auto& v = rec.fields[c];
        // A blank field is NULL: the scripts test "is NULL" on end dates, deaths and NHS
        // numbers, and a '' date would be 1900-01-01 in SQL Server.
        if (v.empty()) {
          values.emplace_back(std::nullopt);
        } else if (is_date_column(header[c])) {
          values.emplace_back(iso_date(v, rec.line, header[c]));
        } else {
          values.emplace_back(v);
        }
      }
      if (import_date.empty()) {
        if (!values[2]) throw std::runtime_error("CLD: no Reporting_Period_End_Date");
        import_date = shift_date(db_, *values[2], "+1 day");
      }
      const auto& nhs = values[3];
      const auto& la_id = values[4];
      const auto& dob = values[9];
      std::size_t i = 1;
      for (const auto& v : values) {
        if (v) {
          add.bind(static_cast<int>(i++), *v);
        } else {
          add.bind(static_cast<int>(i++));
        }
      }
      const std::string la_code = values[0].value_or("");
      add.bind(static_cast<int>(i++), "LA " + la_code);
      add.bind(static_cast<int>(i++), import_date);
      if (dob) {
        add.bind(static_cast<int>(i++), std::stoi(dob->substr(0, 4)));
        add.bind(static_cast<int>(i++), std::stoi(dob->substr(5, 2)));
      } else {
        add.bind(static_cast<int>(i++));
        add.bind(static_cast<int>(i++));
      }
      for (const auto* id : {&nhs, &la_id}) {
        if (*id) {
          add.bind(static_cast<int>(i++), **id);
        } else {
          add.bind(static_cast<int>(i++));
        }
      }
      if (nhs || la_id) {
        add.bind(static_cast<int>(i++), nhs ? *nhs : *la_id);
      } else {
        add.bind(static_cast<int>(i++));
      }
      // The record's line in its file; a second file's lines are offset by 10^9 so that the
      // scripts' joins on Der_Unique_Record_ID never pair rows of different files.
      add.bind(static_cast<int>(i++),
               static_cast<int64_t>(f) * 1000000000 + static_cast<int64_t>(rec.line));
      add.bind(static_cast<int>(i++), static_cast<int64_t>(rec.line));
      add.exec();
      add.reset();
      add.clearBindings();
    }
  }
}

std::vector<result_table> nhse_port::run(script which, const params& p) {
  std::vector<script> order;
  if (which == script::sts002a)
    order = {script::sts001, script::sts002a};
  else if (which == script::ascof_2a)
    order = {script::sts001, script::sts002a, script::ascof_2a};
  else
    order = {which};
  std::vector<result_table> results;
  for (const auto s : order) {
    script_runner runner(db_, p, script_file(s));
    runner.run(read_file(sql_dir() + "/" + script_file(s)));
    results = std::move(runner.results);  // the last script's queries are the answer
  }
  return results;
}

result_table nhse_port::table(const std::string& name) {
  result_table out;
  out.name = name;
  SQLite::Statement q(db_, "SELECT * FROM " + sql_name(name));
  for (int c = 0; c < q.getColumnCount(); ++c) out.columns.emplace_back(q.getColumnName(c));
  while (q.executeStep()) {
    std::vector<std::optional<std::string>> row;
    for (int c = 0; c < q.getColumnCount(); ++c) {
      const auto col = q.getColumn(c);
      if (col.isNull()) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(col.getString());
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

namespace {

// Rows of a two-column (key, count) query as a map.
std::map<std::string, long> counts(SQLite::Database& db, const std::string& sql) {
  std::map<std::string, long> out;
  SQLite::Statement q(db, sql);
  while (q.executeStep()) {
    const auto key = q.getColumn(0);
    out[key.isNull() ? "NULL" : key.getString()] += q.getColumn(1).getInt64();
  }
  return out;
}

long single(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  return q.executeStep() ? static_cast<long>(q.getColumn(0).getInt64()) : 0;
}

std::map<int, long> by_record_type(SQLite::Database& db, const std::string& table) {
  std::map<int, long> out;
  for (const auto& [k, v] :
       counts(db, "SELECT Record_Type, count(*) FROM " + table + " GROUP BY 1")) {
    out[std::stoi(k)] = v;
  }
  return out;
}

// The LTS001 tables' people by band and by the REF table's SALT_Category (the ''/NULL
// delivery mechanisms were blanked to '' by the script, as its REF rows expect).
lts_figures lts(SQLite::Database& db, const std::string& prefix) {
  lts_figures out;
  const auto per_setting = [&](const std::string& table) {
    return counts(db,
                  "SELECT coalesce(r.SALT_Category, f.Service_Type || ' / ' || "
                  "coalesce(f.Delivery_Mechanism, 'NULL')), count(DISTINCT f.ID) FROM " +
                      table +
                      " f LEFT JOIN REF_Service_Type_Delivery_Mech r ON trim(f.Service_Type) = "
                      "trim(r.Service_Type) AND trim(f.Delivery_Mechanism) = "
                      "trim(r.Delivery_Mechanism) GROUP BY 1");
  };
  const auto people = [&](const std::string& table) {
    return single(db, "SELECT count(DISTINCT LA_CODE || '|' || ID) FROM " + table);
  };
  out.age_18_64 = people(prefix + "_T1a_Final");
  out.age_65_plus = people(prefix + "_T1b_Final");
  out.age_18_64_by_setting = per_setting(prefix + "_T1a_Final");
  out.age_65_plus_by_setting = per_setting(prefix + "_T1b_Final");
  return out;
}

}  // namespace

sts001_figures nhse_port::sts001(const params& p) {
  run(script::sts001, p);
  sts001_figures out;
  out.total = single(db_, "SELECT count(*) FROM STS001");
  out.by_route = counts(db_, "SELECT ROUTE_Of_ACCESS, count(*) FROM STS001 GROUP BY 1");
  out.by_sequel = counts(db_, "SELECT FINAL_OUTCOME, count(*) FROM STS001 GROUP BY 1");
  out.by_sequel_mapped =
      counts(db_, "SELECT FINAL_OUTCOME_MAPPED, count(*) FROM STS001 GROUP BY 1");
  out.by_record_type = by_record_type(db_, "STS001");
  return out;
}

sts002a_figures nhse_port::sts002a(const params& p) {
  run(script::sts002a, p);
  sts002a_figures out;
  out.total = single(db_, "SELECT count(*) FROM STS002a");
  out.by_sequel_mapped =
      counts(db_, "SELECT FINAL_OUTCOME_MAPPED, count(*) FROM STS002a GROUP BY 1");
  out.by_record_type = by_record_type(db_, "STS002a");
  return out;
}

long nhse_port::sts002b(const params& p) {
  const auto results = run(script::sts002b, p);
  long total = 0;
  for (const auto& row : results.at(0).rows) total += as_long(row.at(1));
  return total;
}

ascof_2a_figures nhse_port::ascof_2a(const params& p) {
  run(script::ascof_2a, p);
  ascof_2a_figures out;
  out.numerator =
      single(db_, "SELECT coalesce(sum(ASCOF_2A_NUMERATOR), 0) FROM ASCOF_2A_NUMERATOR");
  out.denominator =
      single(db_, "SELECT coalesce(sum(ASCOF_2A_DENOMINATOR), 0) FROM ASCOF_2A_DENOMINATOR");
  return out;
}

lts_figures nhse_port::lts001a(const params& p) {
  run(script::lts001a, p);
  return lts(db_, "LTS001a");
}

lts_figures nhse_port::lts001b(const params& p) {
  run(script::lts001b, p);
  return lts(db_, "LTS001b");
}

lts_figures nhse_port::lts001c(const params& p) {
  run(script::lts001c, p);
  return lts(db_, "LTS001c");
}

ascof_2b2c_figures nhse_port::ascof_2b2c(const params& p) {
  run(script::ascof_2b2c, p);
  ascof_2b2c_figures out;
  out.numerator_2b_18_64 = single(db_, "SELECT coalesce(sum(Total), 0) FROM ASCOF_2B_Numerator");
  out.numerator_2c_65_plus = single(db_, "SELECT coalesce(sum(Total), 0) FROM ASCOF_2C_Numerator");
  return out;
}

}  // namespace careledger::cld_port
