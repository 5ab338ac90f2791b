// careledger: the command line. Wiring only; everything it does lives in the libraries.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Transaction.h>

#include "api/application.hpp"
#include "api/synthetic.hpp"
#include "domain/reports.hpp"
#include "persistence/database.hpp"
#include "persistence/projections.hpp"
#include "services/configuration.hpp"
#include "services/failure.hpp"
#include "services/users_admin.hpp"

namespace {

using namespace careledger;

constexpr const char* usage_main = R"(usage: careledger COMMAND [OPTIONS]

commands:
  serve              serve the HTTP API
  users add          create a user and print their token
  users reset-token  give a user a new token and print it
  rebuild            rebuild every read model from the event log
  verify             check the file's integrity and that read models match the log
  generate           write a synthetic council's casework (NDJSON)
  import             load such a file through the API's rules

Run `careledger COMMAND --help` for a command's options.
)";
constexpr const char* usage_serve =
    R"(usage: careledger serve --db FILE --port N [--bind ADDR] [--rate-limit N]

  --db FILE        SQLite database (created if missing)
  --port N         TCP port; 0 picks a free one
  --bind ADDR      address to listen on (default 127.0.0.1)
  --rate-limit N   requests per second per user (default 1000; 0 for no limit)

Prints `listening on ADDR:PORT` when ready. SIGINT/SIGTERM stop it cleanly.
)";
constexpr const char* usage_users_add =
    R"(usage: careledger users add --db FILE --name NAME --role ROLE [--team TEAM]...

  ROLE is admin, team_leader, practitioner or analyst. Team leaders and practitioners need
  at least one --team. Prints the user's bearer token as the last line; only its hash is kept.
)";
constexpr const char* usage_reset_token =
    R"(usage: careledger users reset-token --db FILE --name NAME

  Replaces the user's token with a new one and prints it as the last line.
)";
constexpr const char* usage_rebuild = R"(usage: careledger rebuild --db FILE

  Empties every read model and replays the event log into it, in one transaction.
)";

constexpr const char* usage_verify = R"(usage: careledger verify --db FILE [--expect-streams FILE]

  Checks PRAGMA integrity_check, that every read model equals a rebuild from the event log
  (the rebuild is rolled back: nothing is changed), and with --expect-streams that every stream
  id listed (one per line) is in the log. Exits 0 when all hold, 1 otherwise.
)";
constexpr const char* usage_generate =
    R"(usage: careledger generate --scale S --years N --seed K --out FILE [--last-year 2023-24]

  Writes a synthetic council's casework as API requests, one per line (NDJSON), in dependency
  order, over N financial years ending with the last complete one (or --last-year). Scale 1.0
  is about the seed council: ~10,000 assessment requests, ~7,000 safeguarding concerns (~20%
  becoming enquiries), ~3,600 people in long-term support, reviews for ~55% of them, a few
  hundred waiting. The same seed gives the same file.
)";
constexpr const char* usage_import = R"(usage: careledger import --db FILE INPUT

  Loads a generated file through the API's own rules as the user `import`. A refused line is
  reported with its line number and records nothing; the others are loaded. Shows progress on
  a terminal. Exits 1 if any line was refused.
)";

// Options of the form --name VALUE; repeated names collect every value.
struct Options {
  std::map<std::string, std::vector<std::string>> values;
  bool help = false;

  std::optional<std::string> get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second.back();
  }
};

std::optional<Options> parse_options(int argc, char** argv, int first,
                                     const std::vector<std::string>& known) {
  Options options;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (!arg.starts_with("--") ||
        std::find(known.begin(), known.end(), arg.substr(2)) == known.end() || i + 1 >= argc) {
      std::cerr << "unknown or incomplete option: " << arg << "\n";
      return std::nullopt;
    }
    options.values[arg.substr(2)].push_back(argv[++i]);
  }
  return options;
}

int fail_usage(const char* usage) {
  std::cerr << usage;
  return 2;
}

int serve(const Options& options) {
  auto db = options.get("db");
  auto port = options.get("port");
  if (!db || !port) return fail_usage(usage_serve);
  api::ApplicationOptions app;
  app.db_path = *db;
  app.server.port = static_cast<unsigned short>(std::stoi(*port));
  app.server.bind = options.get("bind").value_or("127.0.0.1");
  app.server.stop_on_signals = true;
  if (auto config = options.get("config")) app.config = services::load_configuration(*config);
  if (auto rate = options.get("rate-limit")) {
    app.api.rate_per_second = std::stod(*rate);
    app.api.burst = 2 * app.api.rate_per_second;
  }
  api::Application application(app);
  std::cout << "listening on " << application.address() << ":" << application.port() << std::endl;
  application.run();
  std::cout << "stopped" << std::endl;
  return 0;
}

int users_add(const Options& options) {
  auto db_path = options.get("db");
  auto name = options.get("name");
  auto role_name = options.get("role");
  if (!db_path || !name || !role_name) return fail_usage(usage_users_add);
  auto role = domain::parse_code<domain::Role>(*role_name);
  if (!role) {
    std::cerr << "--role must be one of: " << domain::code_list<domain::Role>() << "\n";
    return 2;
  }
  persistence::User user{*name, *role, {}};
  if (auto it = options.values.find("team"); it != options.values.end()) {
    for (const auto& team : it->second) user.teams.emplace_back(team);
  }
  auto db = persistence::open_writer(*db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  const std::string token = services::add_user(*db, user);
  tx.commit();
  std::cout << "created " << domain::code_name(*role) << " " << *name << "\n" << token << "\n";
  return 0;
}

int users_reset_token(const Options& options) {
  auto db_path = options.get("db");
  auto name = options.get("name");
  if (!db_path || !name) return fail_usage(usage_reset_token);
  auto db = persistence::open_writer(*db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  const std::string token = services::reset_token(*db, *name);
  tx.commit();
  std::cout << "new token for " << *name << "\n" << token << "\n";
  return 0;
}

int rebuild(const Options& options) {
  auto db_path = options.get("db");
  if (!db_path) return fail_usage(usage_rebuild);
  auto db = persistence::open_writer(*db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  persistence::rebuild_read_models(*db);
  tx.commit();
  const auto events = db->execAndGet("SELECT COUNT(*) FROM events").getInt64();
  std::cout << "rebuilt read models from " << events << " events\n";
  return 0;
}

int verify(const Options& options) {
  auto db_path = options.get("db");
  if (!db_path) return fail_usage(usage_verify);
  auto db = persistence::open_writer(*db_path);
  bool ok = true;
  const std::string integrity = db->execAndGet("PRAGMA integrity_check").getString();
  std::cout << "integrity_check: " << integrity << "\n";
  ok = ok && integrity == "ok";
  {
    SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::string live = persistence::dump_read_models(*db);
    persistence::rebuild_read_models(*db);
    const bool same = persistence::dump_read_models(*db) == live;
    std::cout << "read models " << (same ? "match" : "DO NOT match") << " a rebuild from "
              << db->execAndGet("SELECT COUNT(*) FROM events").getInt64() << " events\n";
    ok = ok && same;
  }  // rolled back
  if (auto expected = options.get("expect-streams")) {
    std::ifstream in(*expected);
    SQLite::Statement q(*db, "SELECT 1 FROM events WHERE stream_id = ? LIMIT 1");
    std::size_t listed = 0, missing = 0;
    for (std::string stream; std::getline(in, stream);) {
      if (stream.empty()) continue;
      ++listed;
      q.reset();
      q.bind(1, stream);
      if (!q.executeStep()) {
        ++missing;
        if (missing <= 10) std::cout << "missing: " << stream << "\n";
      }
    }
    std::cout << listed - missing << " of " << listed << " acknowledged streams present\n";
    ok = ok && missing == 0;
  }
  return ok ? 0 : 1;
}

int generate(const Options& options) {
  auto out_path = options.get("out");
  if (!out_path) return fail_usage(usage_generate);
  api::GenerateOptions g;
  g.scale = std::stod(options.get("scale").value_or("1"));
  g.years = std::stoi(options.get("years").value_or("1"));
  g.seed = std::stoull(options.get("seed").value_or("1"));
  g.last_year = domain::financial_year_of(services::london_today()).previous();
  if (auto last = options.get("last-year")) {
    auto year = domain::parse_financial_year(*last);
    if (!year) return fail_usage(usage_generate);
    g.last_year = *year;
  }
  if (g.scale <= 0 || g.years < 1 || g.years > 30) return fail_usage(usage_generate);
  std::ofstream out(*out_path);
  if (!out) {
    std::cerr << "cannot write " << *out_path << "\n";
    return 1;
  }
  const auto lines = api::generate(g, out);
  std::cout << "wrote " << lines << " requests for "
            << domain::FinancialYear{g.last_year.first_year - g.years + 1}.label() << " to "
            << g.last_year.label() << " to " << *out_path << "\n";
  return 0;
}

int import(const Options& options, const std::string& input) {
  auto db = options.get("db");
  if (!db || input.empty()) return fail_usage(usage_import);
  std::size_t total = 0;
  {
    std::ifstream count(input);
    if (!count) {
      std::cerr << "cannot read " << input << "\n";
      return 1;
    }
    total = static_cast<std::size_t>(
        std::count(std::istreambuf_iterator<char>(count), std::istreambuf_iterator<char>(), '\n'));
  }
  const bool terminal = isatty(fileno(stderr)) != 0;
  auto progress = [&](std::size_t done) {
    if (!terminal || total == 0) return;
    const int width = 40;
    const auto filled = static_cast<int>(width * done / total);
    std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/"
              << total << std::flush;
  };
  std::ifstream in(input);
  const auto started = std::chrono::steady_clock::now();
  const auto report = api::import_file(*db, in, std::cerr, progress);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  if (terminal) std::cerr << "\n";
  std::cout << "imported " << report.recorded << " of " << report.lines << " lines ("
            << report.events << " events) in " << took.count() << " s; " << report.refused
            << " refused\n";
  return report.refused == 0 ? 0 : 1;
}

int run(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  const std::string sub = argc > 2 ? argv[2] : "";
  if (command == "serve") {
    auto options = parse_options(argc, argv, 2, {"db", "port", "bind", "config", "rate-limit"});
    if (!options) return fail_usage(usage_serve);
    if (options->help) return std::cout << usage_serve, 0;
    return serve(*options);
  }
  if (command == "users" && sub == "add") {
    auto options = parse_options(argc, argv, 3, {"db", "name", "role", "team"});
    if (!options) return fail_usage(usage_users_add);
    if (options->help) return std::cout << usage_users_add, 0;
    return users_add(*options);
  }
  if (command == "users" && sub == "reset-token") {
    auto options = parse_options(argc, argv, 3, {"db", "name"});
    if (!options) return fail_usage(usage_reset_token);
    if (options->help) return std::cout << usage_reset_token, 0;
    return users_reset_token(*options);
  }
  if (command == "rebuild") {
    auto options = parse_options(argc, argv, 2, {"db"});
    if (!options) return fail_usage(usage_rebuild);
    if (options->help) return std::cout << usage_rebuild, 0;
    return rebuild(*options);
  }
  if (command == "verify") {
    auto options = parse_options(argc, argv, 2, {"db", "expect-streams"});
    if (!options) return fail_usage(usage_verify);
    if (options->help) return std::cout << usage_verify, 0;
    return verify(*options);
  }
  if (command == "generate") {
    auto options = parse_options(argc, argv, 2, {"scale", "years", "seed", "out", "last-year"});
    if (!options) return fail_usage(usage_generate);
    if (options->help) return std::cout << usage_generate, 0;
    return generate(*options);
  }
  if (command == "import") {
    // The input is the last argument; the rest are options.
    const bool help =
        argc > 2 && (std::string(argv[2]) == "--help" || std::string(argv[2]) == "-h");
    if (help) return std::cout << usage_import, 0;
    if (argc < 3) return fail_usage(usage_import);
    auto options = parse_options(argc - 1, argv, 2, {"db"});
    if (!options) return fail_usage(usage_import);
    return import(*options, argv[argc - 1]);
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << usage_main;
    return 0;
  }
  return fail_usage(usage_main);
}

}  // namespace

int main(int argc, char** argv) {
  umask(077);  // the database holds personal data: files it creates are the owner's alone
  try {
    return run(argc, argv);
  } catch (const careledger::services::Failure& failure) {
    std::cerr << "careledger: " << failure.detail;
    for (const auto& e : failure.errors) std::cerr << " (" << e.field << ": " << e.message << ")";
    std::cerr << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "careledger: " << e.what() << "\n";
    return 1;
  }
}
