// careledger: the command line. Wiring only; everything it does lives in the libraries.
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <SQLiteCpp/Transaction.h>

#include "api/application.hpp"
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
