// careledger: the command line. Each command declares its options once (tools::CommandLine:
// parsing, --help and the usage line all read that declaration), then hands typed values to
// the library that does the work: api::Application for serve, tools/ for the rest.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <boost/system/system_error.hpp>

#include "api/application.hpp"
#include "api/codecs.hpp"
#include "careledger/version.hpp"
#include "domain/reports.hpp"
#include "persistence/access_log.hpp"
#include "persistence/database.hpp"
#include "persistence/pg_migrate.hpp"
#include "persistence/pg_schema.hpp"
#include "services/client_level_data.hpp"
#include "services/clock.hpp"
#include "services/configuration.hpp"
#include "services/failure.hpp"
#include "services/users_admin.hpp"
#include "tools/admin.hpp"
#include "tools/command_line.hpp"
#include "tools/import.hpp"
#include "tools/pg_bench.hpp"
#include "tools/synthetic.hpp"
#include "tools/verify.hpp"

namespace {

// Every command's --db.
constexpr const char* store_help =
    "the store: a SQLite file (made if missing; or sqlite:FILE), or "
    "postgresql://USER@HOST:PORT/DB (installed by install-store)";

}  // namespace

namespace {

namespace po = boost::program_options;
using namespace careledger;

// The values each command accepts, with their ranges.
struct RateBounds {
  static constexpr double low = 0.0, high = 100000.0;
};
struct ScaleBounds {
  static constexpr double low = 0.001, high = 1000.0;
};
using Port = tools::InRange<unsigned short, tools::Between<0, 65535>>;
using RequestsPerSecond = tools::InRange<double, RateBounds>;
using Connections = tools::InRange<std::size_t, tools::Between<0, 1000000>>;
using Writers = tools::InRange<std::size_t, tools::Between<1, 16>>;
using Scale = tools::InRange<double, ScaleBounds>;
using Years = tools::InRange<int, tools::Between<1, 30>>;
using Seed =
    tools::InRange<std::uint64_t,
                   tools::Between<std::uint64_t{0}, std::numeric_limits<std::uint64_t>::max()>>;

int serve(const std::vector<std::string>& args) {
  // The workers' memory in four malloc arenas rather than up to eight per core (glibc's
  // default): what a large answer (a whole list as CSV) took is then reused by the next, not
  // kept again by each thread that made one. Peak RSS on the large store, writes flowing:
  // 468 MiB with the default, 109 MiB with two arenas, 168 MiB with four (which keep the
  // readers' p50 at 14.6 ms rather than 17.7).
  mallopt(M_ARENA_MAX, 4);
  api::ApplicationOptions app;
  std::string config;
  Port port;
  RequestsPerSecond rate{app.api.rate_per_second};
  app.server.bind = "127.0.0.1";
  tools::CommandLine line(
      "serve",
      R"(  Serves the HTTP API, or HTTPS with --tls-cert and --tls-key. Prints `listening on
  ADDR:PORT` when ready; SIGINT/SIGTERM stop it cleanly.
)");
  line.option("db", po::value(&app.db_path)->value_name("STORE")->required(), store_help);
  line.option("port", po::value(&port)->value_name("N")->required(),
              "TCP port; 0 picks a free one");
  line.option("bind", po::value(&app.server.bind)->value_name("ADDR"),
              "address to listen on (default 127.0.0.1)");
  line.option("config", po::value(&config)->value_name("FILE"),
              "population and deferred-payment settings, JSON (API.md)");
  line.option("rate-limit", po::value(&rate)->value_name("N"),
              "requests per second per user (default 1000; 0 for no limit)");
  std::string trusted_proxy;
  line.option("trusted-proxy", po::value(&trusted_proxy)->value_name("ADDR"),
              "a reverse proxy whose X-Forwarded-For names the client (for the per-address "
              "limit and the access log)");
  Connections connections;
  line.option("max-connections", po::value(&connections)->value_name("N"),
              "connections served at once; more wait to be accepted (default: the open-file "
              "limit less 64)");
  Writers writers{1};
  line.option("writers", po::value(&writers)->value_name("N"),
              "on PostgreSQL, the instance's group-commit writers, each with its connection "
              "(default 1; 1 on SQLite, whose file takes one writer)");
  tools::PathOption tls_cert, tls_key;
  line.option("tls-cert", po::value(&tls_cert)->value_name("FILE"),
              "certificate chain, PEM: serve HTTPS only (TLS 1.2 or later), not HTTP");
  line.option("tls-key", po::value(&tls_key)->value_name("FILE"),
              "the certificate's private key, PEM, unencrypted");
  line.together("tls-cert", "tls-key");
  bool insecure_cookie = false;
  line.option("insecure-cookie", po::bool_switch(&insecure_cookie),
              "the dashboard's session cookie without `Secure`, so it is sent over plain HTTP: "
              "for development only");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;

  app.server.port = port.value;
  app.server.stop_on_signals = true;
  if (!config.empty()) app.config = services::load_configuration(config);
  app.api.rate_per_second = rate.value;
  app.api.burst = 2 * rate.value;
  app.server.max_connections = connections.value;
  app.writers = writers.value;
  if (!trusted_proxy.empty()) app.api.trusted_proxy = trusted_proxy;
  app.api.secure_cookie = !insecure_cookie;
  if (!tls_cert.value.empty()) app.server.tls = api::TlsFiles{tls_cert.value, tls_key.value};
  // The request log: a JSON line per request on standard error, whole lines from any thread.
  app.api.log_request = [mutex = std::make_shared<std::mutex>()](const std::string& entry) {
    std::lock_guard lock(*mutex);
    std::cerr << entry << '\n';
  };
  std::optional<api::Application> application;
  try {
    application.emplace(app);
  } catch (const boost::system::system_error& e) {
    // Only the server's bind and listen throw these: say which address, in one line.
    std::cerr << "careledger serve: ";
    if (e.code() == boost::system::errc::address_in_use) {
      std::cerr << "port " << port.value << " on " << app.server.bind << " is already in use\n";
    } else {
      std::cerr << "cannot listen on " << app.server.bind << ":" << port.value << ": "
                << e.code().message() << "\n";
    }
    return 1;
  }
  std::cout << "listening on " << application->address() << ":" << application->port() << std::endl;
  application->run();
  std::cout << "stopped" << std::endl;
  return 0;
}

int users_add(const std::vector<std::string>& args) {
  std::string db;
  persistence::User user;
  tools::RoleOption role;
  std::vector<std::string> teams;
  tools::CommandLine line(
      "users add",
      R"(  Creates a user and prints their bearer token as the last line; only its hash is kept.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("name", po::value(&user.name)->value_name("NAME")->required(), "the user's name");
  line.option("role", po::value(&role)->value_name("ROLE")->required(),
              "admin, team_leader, practitioner or analyst");
  line.option("team", po::value(&teams)->value_name("TEAM")->composing(),
              "a team whose casework they work on (team leaders and practitioners need one)");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  user.role = role.value;
  for (const auto& team : teams) user.teams.emplace_back(team);
  tools::add_user(db, user, std::cout);
  return 0;
}

int users_reset_token(const std::vector<std::string>& args) {
  std::string db, name;
  tools::CommandLine line(
      "users reset-token",
      R"(  Replaces the user's token with a new one and prints it as the last line.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("name", po::value(&name)->value_name("NAME")->required(), "the user's name");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::reset_token(db, name, std::cout);
  return 0;
}

int teams_add(const std::vector<std::string>& args) {
  std::string db, name, label;
  tools::CommandLine line("teams add", R"(  Registers a team, which people and users may then name.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("name", po::value(&name)->value_name("NAME")->required(),
              "1-40 characters of a-z 0-9 _ -");
  line.option("label", po::value(&label)->value_name("TEXT"), "what it is called (default: NAME)");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::add_team(db, name, label, std::cout);
  return 0;
}

int teams_list(const std::vector<std::string>& args) {
  std::string db;
  tools::CommandLine line("teams list", R"(  Prints each registered team's name and label.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::list_teams(db, std::cout);
  return 0;
}

int users_list(const std::vector<std::string>& args) {
  std::string db;
  tools::CommandLine line(
      "users list", R"(  Prints each user: name, role, teams, enabled or disabled, when last seen.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::list_users(db, std::cout);
  return 0;
}

// users set-role, set-teams, disable and enable: one user, named, and what changes.
int users_change(const std::vector<std::string>& args, const char* command, const char* about,
                 bool takes_role, bool takes_teams, std::optional<bool> disable) {
  std::string db, name;
  tools::RoleOption role;
  std::vector<std::string> teams;
  tools::CommandLine line(command, about);
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("name", po::value(&name)->value_name("NAME")->required(), "the user's name");
  if (takes_role) {
    line.option("role", po::value(&role)->value_name("ROLE")->required(),
                "admin, team_leader, practitioner or analyst");
  }
  if (takes_teams) {
    line.option("team", po::value(&teams)->value_name("TEAM")->composing(),
                "a team whose casework they work on; every one they have, replacing the old");
  }
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::change_user(
      db, name,
      [&](persistence::Connection& c, const std::string& who) {
        if (takes_role) return services::set_role(c, who, role.value);
        if (takes_teams) {
          return services::set_teams(c, who, {teams.begin(), teams.end()});
        }
        return services::set_disabled(c, who, *disable);
      },
      std::cout);
  return 0;
}
int users_set_role(const std::vector<std::string>& args) {
  return users_change(args, "users set-role", "  Gives the user another role.\n", true, false, {});
}
int users_set_teams(const std::vector<std::string>& args) {
  return users_change(args, "users set-teams", "  Replaces the user's teams.\n", false, true, {});
}
int users_disable(const std::vector<std::string>& args) {
  return users_change(args, "users disable",
                      "  Disables the user: their token stops working at once.\n", false, false,
                      true);
}
int users_enable(const std::vector<std::string>& args) {
  return users_change(args, "users enable", "  Enables a disabled user again.\n", false, false,
                      false);
}

int audit(const std::vector<std::string>& args) {
  std::string db;
  persistence::AccessQuery query;
  std::string person, user;
  tools::CommandLine line(
      "audit", R"(  Prints who read what, newest first: one JSON line per entry of the access log.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("person", po::value(&person)->value_name("ID"), "only entries about this person");
  line.option("user", po::value(&user)->value_name("NAME"), "only this user's requests");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  if (!person.empty()) query.person_id = person;
  if (!user.empty()) query.user = user;
  query.limit = std::numeric_limits<std::int64_t>::max();
  auto connection = persistence::open_reader(db);
  for (const auto& entry : persistence::read_access(*connection, query)) {
    std::cout << boost::json::serialize(api::access_json(entry)) << "\n";
  }
  return 0;
}

// The council's CLD code from --la-code, else from --config's cld.la_code, checked as serve's
// configuration checks it.
std::string council_code(const std::string& la_code, const std::string& config) {
  std::string code = la_code;
  if (code.empty() && !config.empty()) {
    code = services::load_configuration(config).la_code.value_or("");
  }
  if (code.empty()) {
    throw std::invalid_argument("the council's code is needed: --la-code or --config");
  }
  services::parse_configuration(R"({"cld": {"la_code": )" +
                                boost::json::serialize(boost::json::value(code)) + "}}");
  return code;
}

int cld_export(const std::vector<std::string>& args) {
  std::string db, out, quarter, span, from, to, config, la_code;
  tools::CommandLine line(
      "cld export",
      R"(  Writes the Client Level Data file for a period (CLD.md): the 12 months to the end of
  --quarter unless --span says otherwise, or --from to --to. The council's code comes from
  --config (its cld.la_code) or --la-code. The file holds every person's NHS number: it is
  written readable by you alone.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("quarter", po::value(&quarter)->value_name("Q"), "a financial quarter: 2024-25-Q3");
  line.option("span", po::value(&span)->value_name("SPAN"),
              "rolling_12_months (default), year_to_date or quarter");
  line.option("from", po::value(&from)->value_name("DATE"), "the period's first day, with --to");
  line.option("to", po::value(&to)->value_name("DATE"), "the period's last day, with --from");
  line.option("config", po::value(&config)->value_name("FILE"),
              "the configuration serve reads (its cld.la_code)");
  line.option("la-code", po::value(&la_code)->value_name("CODE"), "the council's code: 503");
  line.option("out", po::value(&out)->value_name("FILE")->required(), "where the file goes");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;

  domain::cld::PeriodAsked asked;
  auto date_option = [](const std::string& name, const std::string& text) {
    const auto day = domain::parse_date(text);
    if (!day) throw std::invalid_argument("--" + name + " must be a date YYYY-MM-DD");
    return *day;
  };
  if (!quarter.empty()) asked.quarter = quarter;
  if (!span.empty()) {
    asked.span = domain::parse_code<domain::cld::Span>(span);
    if (!asked.span) {
      throw std::invalid_argument("--span must be one of: " +
                                  std::string(domain::code_list<domain::cld::Span>()));
    }
  }
  if (!from.empty()) asked.from = date_option("from", from);
  if (!to.empty()) asked.to = date_option("to", to);
  const auto period = domain::cld::period_of(asked);
  if (const auto* fault = std::get_if<domain::FieldError>(&period)) {
    throw std::invalid_argument("--" + fault->field + " " + fault->message);
  }
  la_code = council_code(la_code, config);
  const auto written = tools::export_cld(db, std::get<domain::cld::Period>(period), la_code, out);
  std::cout << "wrote " << written.rows << " rows about " << written.people << " people to " << out
            << " (" << written.file_name << ")\n";
  return 0;
}

int cld_import(const std::vector<std::string>& args) {
  std::string db, file, team, on_error = "reject_file", config, la_code, encoding = "utf-8";
  bool dry_run = false;
  tools::CommandLine line(
      "cld import",
      R"(  Loads a council's earlier Client Level Data file (CLD.md §6), as POST /v1/imports/cld
  does: people matched by NHS number (else an earlier import's LA id), the rest added to --team;
  a file imported again records nothing new. Prints the import's report as JSON; exits 1 when
  the file is refused (nothing recorded). Files go oldest first.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("file", po::value(&file)->value_name("FILE")->required(), "the CLD file (CSV)");
  line.option("team", po::value(&team)->value_name("TEAM"), "where people not yet recorded go");
  line.option("on-error", po::value(&on_error)->value_name("HOW"),
              "reject_file (default: any refusal records nothing) or skip_row");
  line.option("dry-run", po::bool_switch(&dry_run), "check and count, record nothing");
  line.option("encoding", po::value(&encoding)->value_name("ENC"),
              "utf-8 (default) or windows-1252");
  line.option("config", po::value(&config)->value_name("FILE"),
              "the configuration serve reads (its cld.la_code)");
  line.option("la-code", po::value(&la_code)->value_name("CODE"), "the council's code: 503");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;

  tools::CldImportFileOptions options;
  options.db_path = db;
  options.input = file;
  if (!team.empty()) options.options.team = domain::Team{team};
  if (on_error != "reject_file" && on_error != "skip_row") {
    throw std::invalid_argument("--on-error must be reject_file or skip_row");
  }
  options.options.skip_rows = on_error == "skip_row";
  options.options.dry_run = dry_run;
  if (encoding != "utf-8" && encoding != "windows-1252") {
    throw std::invalid_argument("--encoding must be utf-8 or windows-1252");
  }
  options.options.windows_1252 = encoding == "windows-1252";
  options.la_code = council_code(la_code, config);
  const auto report = tools::import_cld_file(options);
  std::cout << boost::json::serialize(services::cld_report_json(report)) << "\n";
  return report.rejected ? 1 : 0;
}

int backup(const std::vector<std::string>& args) {
  std::string db, to;
  tools::CommandLine line(
      "backup",
      R"(  Copies the database consistently while a server may be serving from it (SQLite's online
  backup), to FILE, readable by you alone; check the copy with `careledger verify --db FILE`.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  line.option("to", po::value(&to)->value_name("FILE")->required(), "where the copy goes");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::backup(db, to, std::cout);
  return 0;
}

int rebuild(const std::vector<std::string>& args) {
  std::string db;
  tools::CommandLine line(
      "rebuild",
      R"(  Empties every read model and replays the event log into it, in one transaction.
)");
  line.option("db", po::value(&db)->value_name("STORE")->required(), store_help);
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::rebuild(db, std::cout);
  return 0;
}

int verify(const std::vector<std::string>& args) {
  tools::VerifyOptions options;
  std::string expect_streams;
  tools::CommandLine line(
      "verify",
      R"(  Checks PRAGMA integrity_check, that every read model equals a rebuild from the event log
  (the rebuild is rolled back: nothing is changed), and with --expect-streams that every stream
  id listed is in the log. Exits 0 when all hold, 1 otherwise.
)");
  line.option("db", po::value(&options.db_path)->value_name("STORE")->required(), store_help);
  line.option("expect-streams", po::value(&expect_streams)->value_name("FILE"),
              "stream ids that must be in the log, one per line");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  if (!expect_streams.empty()) options.expect_streams = expect_streams;
  return tools::verify(options, std::cout) ? 0 : 1;
}

int generate(const std::vector<std::string>& args) {
  std::string out;
  Scale scale{1.0};
  Years years{1};
  Seed seed{1};
  tools::FinancialYearOption last_year{
      domain::financial_year_of(services::london_today()).previous()};
  tools::CommandLine line(
      "generate",
      R"(  Writes a synthetic council's casework as API requests, one per line (NDJSON), in dependency
  order, over N financial years ending with the last complete one (or --last-year). Scale 1.0
  is about the seed council: ~10,000 assessment requests, ~7,000 safeguarding concerns (~20%
  becoming enquiries), ~3,600 people in long-term support, reviews for ~55% of them, a few
  hundred waiting. The same seed gives the same file.
)");
  line.option("scale", po::value(&scale)->value_name("S"),
              "size, 1.0 being the seed council (default 1; 0.001-1000)");
  line.option("years", po::value(&years)->value_name("N"), "financial years (default 1; 1-30)");
  line.option("seed", po::value(&seed)->value_name("K"), "random seed (default 1)");
  line.option("out", po::value(&out)->value_name("FILE")->required(), "the file to write");
  line.option("last-year", po::value(&last_year)->value_name("YYYY-YY"),
              "the last financial year, like 2023-24 (default the last complete one)");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  tools::generate_file({scale.value, years.value, seed.value, last_year.value}, out, std::cout);
  return 0;
}

int import(const std::vector<std::string>& args) {
  tools::ImportFileOptions options;
  tools::CommandLine line(
      "import",
      R"(  Loads a generated file through the API's own rules as the user `import`. Each line is sent
  with an Idempotency-Key made from its text, so importing a file again, or a longer version
  of it, records only the lines not recorded before. A refused line is reported with its line
  number and records nothing; the others are loaded. Shows progress on a terminal. Exits 1 if
  any line was refused.
)");
  line.option("db", po::value(&options.db_path)->value_name("STORE")->required(), store_help);
  line.operand("INPUT", &options.input, "the NDJSON file to load (from careledger generate)");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  options.progress_bar = isatty(fileno(stderr)) != 0;
  return tools::import_file(options, std::cout, std::cerr).refused == 0 ? 0 : 1;
}

int install_store(const std::vector<std::string>& args) {
  std::string db, app_role;
  tools::CommandLine line(
      "install-store",
      R"(  Installs careledger's store into a PostgreSQL 15 database, or brings its read models up to
  this version (filling them again from the log), run as the role that is to own its tables:
  the event log, the tables beside it and the read models. The role careledger then connects
  with (--app-role, an existing role) is granted only what careledger does: it cannot change
  or delete the log, the access log or the users' history. The database must compare text byte
  by byte (CREATE DATABASE ... TEMPLATE template0 LOCALE 'C'). Running it again changes
  nothing. A SQLite store needs none of this: it is made when first opened.
)");
  line.option("db", po::value(&db)->value_name("URL")->required(),
              "postgresql://OWNER@HOST:PORT/DB, as the tables' owner");
  line.option("app-role", po::value(&app_role)->value_name("ROLE")->required(),
              "the role careledger serves as");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  if (!persistence::is_postgresql(db)) {
    throw std::runtime_error(
        "--db: a postgresql:// URL (a SQLite store is made when first opened)");
  }
  persistence::pg::Connection owner(db);
  persistence::pg::install_store(owner, app_role);
  std::cout << "installed careledger's store for the role " << app_role << "\n";
  return 0;
}

int migrate_store(const std::vector<std::string>& args) {
  std::string from, to, app_role;
  tools::CommandLine line(
      "migrate-store",
      R"(  Copies a whole SQLite store into a new PostgreSQL 15 database, run as the role that is to
  own its tables (as install-store, which it runs first): the event log with every event's
  position and time, the users and their history of changes, the teams, the dashboard's
  sessions, the idempotency keys, the CLD imports' records (a file imported before stays
  imported), the access log and the read models. All in one transaction, checked table by
  table against the file before it commits; a database that already holds a store is refused.
  Stop serving from the file first: a file written to during the copy is refused, nothing
  copied. Afterwards serve with --db postgresql://APP_ROLE@HOST:PORT/DB.
)");
  line.option("from", po::value(&from)->value_name("FILE")->required(), "the SQLite store");
  line.option("to", po::value(&to)->value_name("URL")->required(),
              "postgresql://OWNER@HOST:PORT/DB, as the tables' owner");
  line.option("app-role", po::value(&app_role)->value_name("ROLE")->required(),
              "the role careledger is to serve as");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  if (!persistence::is_postgresql(to)) throw std::runtime_error("--to: a postgresql:// URL");
  persistence::pg::Connection owner(to);
  const auto started = std::chrono::steady_clock::now();
  const auto migration = persistence::pg::migrate_from_sqlite(
      from, owner, app_role, [](const std::string& what) { std::cerr << what << "\n"; });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::int64_t rows = 0;
  for (const auto& table : migration.tables) {
    std::cout << table.table << ": " << table.rows << " rows\n";
    rows += table.rows;
  }
  std::cout << "copied " << migration.events << " events and " << rows - migration.events
            << " rows beside them in " << std::fixed << std::setprecision(1) << seconds << " s ("
            << std::setprecision(0) << migration.events / std::max(seconds, 1e-3)
            << " events/s); every table holds the file's rows\n";
  return 0;
}

int bench_pg_append(const std::vector<std::string>& args) {
  tools::PgAppendBench bench;
  using Clients = tools::InRange<int, tools::Between<1, 1024>>;
  Clients clients{64};
  Writers writers{1};
  tools::CommandLine line(
      "bench pg-append",
      R"(  Measures durable appends per second to the event log on PostgreSQL through its group commit
  (for scripts/bench): installs the log's schema into an empty database as its owner, then
  appends one-event appends to new streams from many threads for a while, and prints one JSON
  line. Not for a council's database.
)");
  line.option("owner", po::value(&bench.owner_url)->value_name("URL")->required(),
              "postgresql://OWNER@HOST:PORT/DB, the empty database's owner");
  line.option("app", po::value(&bench.app_url)->value_name("URL")->required(),
              "postgresql://ROLE@HOST:PORT/DB, the role that appends");
  line.option("app-role", po::value(&bench.app_role)->value_name("ROLE")->required(),
              "that role's name, granted what careledger needs");
  line.option("clients", po::value(&clients)->value_name("N"), "threads appending (default 64)");
  line.option("writers", po::value(&writers)->value_name("N"),
              "group-commit writers, each its own connection, as instances (default 1)");
  line.option("seconds", po::value(&bench.seconds)->value_name("S"), "how long (default 5)");
  if (auto status = line.parse(args, std::cout, std::cerr)) return *status;
  bench.clients = clients.value;
  bench.writers = static_cast<int>(writers.value);
  tools::run_pg_append_bench(bench, std::cout);
  return 0;
}

struct Command {
  std::string_view name;  // one or two words
  std::string_view summary;
  int (*run)(const std::vector<std::string>& args);
};

constexpr std::array commands{
    Command{"serve", "serve the HTTP API", serve},
    Command{"users add", "create a user and print their token", users_add},
    Command{"users reset-token", "give a user a new token and print it", users_reset_token},
    Command{"users list", "list the users", users_list},
    Command{"users set-role", "give a user another role", users_set_role},
    Command{"users set-teams", "replace a user's teams", users_set_teams},
    Command{"users disable", "disable a user (their token stops working)", users_disable},
    Command{"users enable", "enable a disabled user", users_enable},
    Command{"teams add", "register a team", teams_add},
    Command{"teams list", "list the registered teams", teams_list},
    Command{"audit", "print who read what (the access log)", audit},
    Command{"cld export", "write the Client Level Data file for a period", cld_export},
    Command{"cld import", "load a council's earlier Client Level Data file", cld_import},
    Command{"backup", "copy the database consistently, even while serving", backup},
    Command{"rebuild", "rebuild every read model from the event log", rebuild},
    Command{"verify", "check the file's integrity and that read models match the log", verify},
    Command{"generate", "write a synthetic council's casework (NDJSON)", generate},
    Command{"import", "load such a file through the API's rules", import},
    Command{"install-store", "install the store into a PostgreSQL database, as its owner",
            install_store},
    Command{"migrate-store", "copy a SQLite store into a new PostgreSQL database", migrate_store},
    Command{"bench pg-append", "measure appends per second on PostgreSQL (scripts/bench)",
            bench_pg_append},
};

std::string usage() {
  std::string out = "usage: careledger COMMAND [OPTIONS]\n\ncommands:\n";
  for (const auto& command : commands) {
    out += "  " + std::string(command.name) + std::string(19 - command.name.size(), ' ') +
           std::string(command.summary) + "\n";
  }
  return out +
         "\nRun `careledger COMMAND --help` for a command's options, `careledger --version` for "
         "the version.\n";
}

// A command that fails says why in one line, after its name, and exits 1.
int run_command(const Command& command, const std::vector<std::string>& args) {
  try {
    return command.run(args);
  } catch (const services::Failure& failure) {
    std::cerr << "careledger " << command.name << ": " << failure.detail;
    for (const auto& e : failure.errors) std::cerr << " (" << e.field << ": " << e.message << ")";
    std::cerr << "\n";
  } catch (const std::exception& e) {
    std::cerr << "careledger " << command.name << ": " << e.what() << "\n";
  }
  return 1;
}

int run(const std::vector<std::string>& words) {
  if (words.empty()) {
    std::cerr << usage();
    return 2;
  }
  const std::string& first = words[0];
  if (first == "--help" || first == "-h" || first == "help") {
    std::cout << usage();
    return 0;
  }
  if (first == "--version") {
    std::cout << "careledger " << careledger_version << "\n";
    return 0;
  }
  const std::string two = words.size() > 1 ? first + " " + words[1] : first;
  for (const auto& command : commands) {
    if (command.name == first) return run_command(command, {words.begin() + 1, words.end()});
    if (command.name == two) return run_command(command, {words.begin() + 2, words.end()});
  }
  if (first.starts_with("-")) {
    std::cerr << "careledger: unknown option '" << first << "'; see careledger --help\n";
  } else {
    // A group's commands ("users add", "users reset-token") are two words: name both.
    std::string group;
    for (const auto& command : commands) {
      if (!command.name.starts_with(first + " ")) continue;
      group += (group.empty() ? "" : " or ") + std::string(command.name.substr(first.size() + 1));
    }
    if (!group.empty() && (words.size() == 1 || words[1].starts_with("-"))) {
      std::cerr << "careledger: " << first << " needs a command: " << group
                << "; see careledger --help\n";
    } else {
      std::cerr << "careledger: unknown command '" << (group.empty() ? first : two)
                << "'; see careledger --help\n";
    }
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  umask(077);  // the database holds personal data: files it creates are the owner's alone
  try {
    return run({argv + 1, argv + argc});
  } catch (const std::exception& e) {  // only from printing the usage
    std::cerr << "careledger: " << e.what() << "\n";
    return 1;
  }
}
