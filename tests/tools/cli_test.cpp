// The command line as a user meets it: the built binary (CARELEDGER_BINARY), its output and
// its exit status. One line for every refusal; --help names every option a command takes.
#include <algorithm>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "careledger/version.hpp"
#include "persistence/access_log.hpp"
#include "persistence/database.hpp"
#include "persistence/pg_event_log.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/tools/run_binary.hpp"

namespace careledger::tools {
namespace {

using testing::careledger;
using testing::contents;

// scripts/bench's PostgreSQL figure counts what the log holds, and refuses no append.
TEST(Cli, BenchPgAppendCountsTheAppendsTheLogHolds) {
  const char* url = std::getenv("CARELEDGER_TEST_POSTGRES");
  ASSERT_NE(url, nullptr) << "CARELEDGER_TEST_POSTGRES is not set: scripts/test starts a "
                             "throwaway PostgreSQL 15 cluster and sets it";
  std::smatch m;
  const std::string text(url);
  ASSERT_TRUE(std::regex_match(text, m, std::regex(R"(postgresql://([^@/]+)@([^/]+)/(.+))")));
  const std::string host = m[2], suffix = std::to_string(getpid());
  const std::string db = "careledger_cli_" + suffix, owner = "cli_owner_" + suffix,
                    app = "cli_app_" + suffix;
  persistence::pg::Connection admin(text);
  admin.run("CREATE ROLE " + owner + " LOGIN; CREATE ROLE " + app + " LOGIN");
  admin.run("CREATE DATABASE " + db + " OWNER " + owner);
  auto url_as = [&](const std::string& role) {
    return "postgresql://" + role + "@" + host + "/" + db;
  };
  testing::TempDir dir;
  const auto run =
      careledger(dir, {"bench", "pg-append", "--owner", url_as(owner), "--app", url_as(app),
                       "--app-role", app, "--clients", "4", "--writers", "2", "--seconds", "0.3"});
  EXPECT_EQ(run.status, 0) << run.err;
  std::int64_t held = -1;
  {
    persistence::pg::Connection reader(url_as(app));
    held = persistence::pg::last_position(reader);
  }
  admin.run("DROP DATABASE " + db + " WITH (FORCE)");
  admin.run("DROP ROLE " + app + "; DROP ROLE " + owner);
  ASSERT_EQ(run.status, 0);
  const auto answer = boost::json::parse(run.out).as_object();
  EXPECT_EQ(answer.at("writers").as_int64(), 2);
  EXPECT_EQ(answer.at("refused").as_int64(), 0);
  EXPECT_GT(answer.at("appends").as_int64(), 0);
  EXPECT_EQ(answer.at("appends").as_int64(), held);  // every one counted is in the log
}

TEST(Cli, APortThatIsNotANumberIsRefusedInOneLine) {
  testing::TempDir dir;
  const auto run = careledger(dir, {"serve", "--db", dir.file("c.db"), "--port", "abc"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger serve: --port: not a number\n");
  EXPECT_EQ(run.out, "");
}

TEST(Cli, APortOutOfRangeIsRefused) {
  testing::TempDir dir;
  for (const char* port : {"70000", "-1", "99999999999999999999999"}) {
    const auto run = careledger(dir, {"serve", "--db", dir.file("c.db"), "--port", port});
    EXPECT_EQ(run.status, 2) << port;
    EXPECT_EQ(run.err, "careledger serve: --port: out of range 0-65535\n") << port;
  }
}

TEST(Cli, NumbersOutOfTheirRangeAreRefusedWithTheOptionsName) {
  testing::TempDir dir;
  const std::string out = dir.file("x.ndjson");
  auto run = careledger(dir, {"generate", "--scale", "-1", "--out", out});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger generate: --scale: out of range 0.001-1000\n");
  run = careledger(dir, {"generate", "--years", "0", "--out", out});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger generate: --years: out of range 1-30\n");
  run = careledger(dir, {"generate", "--years", "2.5", "--out", out});
  EXPECT_EQ(run.err, "careledger generate: --years: not a number\n");
  run = careledger(dir, {"serve", "--db", dir.file("c.db"), "--port", "0", "--rate-limit", "-5"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger serve: --rate-limit: out of range 0-100000\n");
  run = careledger(dir, {"generate", "--last-year", "2023", "--out", out});
  EXPECT_EQ(run.err, "careledger generate: --last-year: not a financial year like 2023-24\n");
  run =
      careledger(dir, {"users", "add", "--db", dir.file("c.db"), "--name", "x", "--role", "boss"});
  EXPECT_EQ(run.err,
            "careledger users add: --role: must be one of admin, team_leader, practitioner, "
            "analyst\n");
}

TEST(Cli, AnUnknownCommandIsNamedInOneLine) {
  testing::TempDir dir;
  auto run = careledger(dir, {"frobnicate"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger: unknown command 'frobnicate'; see careledger --help\n");
  run = careledger(dir, {"users", "frob"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger: unknown command 'users frob'; see careledger --help\n");
}

TEST(Cli, AnUnknownOptionIsNamedInOneLine) {
  testing::TempDir dir;
  const auto run = careledger(dir, {"rebuild", "--db", dir.file("c.db"), "--frob", "1"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err,
            "careledger rebuild: unknown option '--frob'; see careledger rebuild --help\n");
}

TEST(Cli, AMissingRequiredOptionIsNamed) {
  testing::TempDir dir;
  auto run = careledger(dir, {"serve", "--port", "0"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger serve: --db is required; see careledger serve --help\n");
  run = careledger(dir, {"import", "--db", dir.file("c.db")});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger import: INPUT is required; see careledger import --help\n");
  run = careledger(dir, {"import", "--db", dir.file("c.db"), "a", "b"});
  EXPECT_EQ(run.err, "careledger import: unexpected argument 'b'; see careledger import --help\n");
}

TEST(Cli, HelpOnEveryCommandListsEveryOptionItTakes) {
  testing::TempDir dir;
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> commands{
      {{"serve"},
       {"--db STORE", "--port N", "--bind ADDR", "--config FILE", "--rate-limit N",
        "--max-connections N", "--tls-cert FILE", "--tls-key FILE"}},
      {{"users", "add"}, {"--db STORE", "--name NAME", "--role ROLE", "[--team TEAM]..."}},
      {{"users", "reset-token"}, {"--db STORE", "--name NAME"}},
      {{"users", "list"}, {"--db STORE"}},
      {{"audit"}, {"--db STORE", "--person ID", "--user NAME"}},
      {{"cld", "export"},
       {"--db STORE", "--quarter Q", "--span SPAN", "--from DATE", "--to DATE", "--config FILE",
        "--la-code CODE", "--out FILE"}},
      {{"users", "set-role"}, {"--db STORE", "--name NAME", "--role ROLE"}},
      {{"users", "set-teams"}, {"--db STORE", "--name NAME", "[--team TEAM]..."}},
      {{"users", "disable"}, {"--db STORE", "--name NAME"}},
      {{"users", "enable"}, {"--db STORE", "--name NAME"}},
      {{"teams", "add"}, {"--db STORE", "--name NAME", "--label TEXT"}},
      {{"teams", "list"}, {"--db STORE"}},
      {{"rebuild"}, {"--db STORE"}},
      {{"verify"}, {"--db STORE", "--expect-streams FILE"}},
      {{"generate"}, {"--scale S", "--years N", "--seed K", "--out FILE", "--last-year YYYY-YY"}},
      {{"import"}, {"--db STORE", "INPUT"}},
      {{"install-store"}, {"--db URL", "--app-role ROLE"}},
  };
  for (const auto& [words, options] : commands) {
    auto args = words;
    args.push_back("--help");
    const auto run = careledger(dir, args);
    EXPECT_EQ(run.status, 0) << words[0];
    EXPECT_EQ(run.out.rfind("usage: careledger " + words[0], 0), 0u) << run.out;
    for (const auto& option : options) {
      EXPECT_NE(run.out.find(option), std::string::npos) << option << " in\n" << run.out;
    }
    EXPECT_NE(run.out.find("--help"), std::string::npos) << run.out;
  }
  const auto top = careledger(dir, {"--help"});
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.out.find("users reset-token"), std::string::npos) << top.out;
}

TEST(Cli, VersionIsTheProjectsVersion) {
  testing::TempDir dir;
  const auto run = careledger(dir, {"--version"});
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.out, std::string("careledger ") + careledger_version + "\n");
  EXPECT_EQ(std::string(careledger_version), "0.11.0");
}

TEST(Cli, OptionEqualsValueWorksLikeOptionSpaceValue) {
  testing::TempDir dir;
  auto run = careledger(dir, {"generate", "--scale=0.002", "--years=1", "--seed=5",
                              "--last-year=2023-24", "--out=" + dir.file("a.ndjson")});
  EXPECT_EQ(run.status, 0) << run.err;
  run = careledger(dir, {"generate", "--scale", "0.002", "--years", "1", "--seed", "5",
                         "--last-year", "2023-24", "--out", dir.file("b.ndjson")});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_FALSE(contents(dir.file("a.ndjson")).empty());
  EXPECT_EQ(contents(dir.file("a.ndjson")), contents(dir.file("b.ndjson")));

  for (const char* team : {"north", "south"}) {
    run = careledger(dir,
                     {"teams", "add", "--db=" + dir.file("c.db"), std::string("--name=") + team});
    EXPECT_EQ(run.status, 0) << run.err;
  }
  run = careledger(dir, {"users", "add", "--db=" + dir.file("c.db"), "--name=Nia Jones",
                         "--role=practitioner", "--team=north", "--team", "south"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.rfind("created practitioner Nia Jones\n", 0), 0u) << run.out;
}

TEST(Cli, CldExportWritesTheFileReadableByItsOwnerAlone) {
  testing::TempDir dir;
  const std::string input = dir.file("council.ndjson"), db = dir.file("c.db");
  ASSERT_EQ(careledger(dir, {"generate", "--scale=0.002", "--years=1", "--seed=5",
                             "--last-year=2023-24", "--out=" + input})
                .status,
            0);
  auto run = careledger(dir, {"import", "--db", db, input});
  ASSERT_EQ(run.status, 0) << run.err;
  const std::string out = dir.file("cld.csv");
  run = careledger(dir, {"cld", "export", "--db", db, "--quarter", "2023-24-Q4", "--la-code", "999",
                         "--out", out});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out.rfind("wrote ", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("(CLD_999_20230401_20240331.csv)"), std::string::npos) << run.out;
  const auto file = contents(out);
  EXPECT_EQ(file.rfind("LA_Code,Reporting_Period_Start_Date,", 0), 0u);
  EXPECT_NE(file.find("\r\n999,01/04/2023,31/03/2024,"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  run = careledger(
      dir, {"cld", "export", "--db", db, "--quarter", "2023-Q4", "--la-code", "999", "--out", out});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("--quarter must be a financial quarter"), std::string::npos) << run.err;
  run = careledger(dir, {"cld", "export", "--db", db, "--quarter", "2023-24-Q4", "--out", out});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("--la-code"), std::string::npos) << run.err;
  run = careledger(dir, {"cld", "export", "--db", db, "--quarter", "2023-24-Q4", "--la-code",
                         "ab,c", "--out", out});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("cld.la_code"), std::string::npos) << run.err;
  // A file written over is made the owner's alone.
  ASSERT_EQ(chmod(out.c_str(), 0644), 0);
  ASSERT_EQ(careledger(dir, {"cld", "export", "--db", db, "--quarter", "2023-24-Q4", "--la-code",
                             "999", "--out", out})
                .status,
            0);
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Cli, UsersAreListedChangedDisabledAndEveryChangeIsKept) {
  testing::TempDir dir;
  const std::string db = "--db=" + dir.file("c.db");
  ASSERT_EQ(careledger(dir, {"teams", "add", db, "--name=north"}).status, 0);
  ASSERT_EQ(
      careledger(dir, {"users", "add", db, "--name=nia", "--role=practitioner", "--team=north"})
          .status,
      0);
  ASSERT_EQ(careledger(dir, {"users", "add", db, "--name=root", "--role=admin"}).status, 0);
  auto run = careledger(dir, {"users", "set-role", db, "--name=nia", "--role=team_leader"});
  EXPECT_EQ(run.status, 0) << run.err;
  run = careledger(dir, {"users", "disable", db, "--name=nia"});
  EXPECT_EQ(run.out, "nia\tteam_leader\tnorth\tdisabled\tnever seen\n");
  run = careledger(dir, {"users", "disable", db, "--name=root"});  // the last enabled admin
  EXPECT_NE(run.status, 0);
  EXPECT_EQ(careledger(dir, {"users", "list", db}).out,
            "nia\tteam_leader\tnorth\tdisabled\tnever seen\n"
            "root\tadmin\t-\tenabled\tnever seen\n");
  auto connection = persistence::open_reader(dir.file("c.db"));
  SQLite::Statement changes(
      careledger::persistence::sqlite(*connection),
      "SELECT by, user_name, change, detail FROM user_changes ORDER BY position");
  std::vector<std::string> kept;
  while (changes.executeStep()) {
    kept.push_back(changes.getColumn(0).getString() + " " + changes.getColumn(1).getString() + " " +
                   changes.getColumn(2).getString() + " " + changes.getColumn(3).getString());
  }
  EXPECT_EQ(kept,
            (std::vector<std::string>{
                "command line nia created practitioner north", "command line root created admin ",
                "command line nia role team_leader", "command line nia disabled "}));
}

TEST(Cli, AuditPrintsWhoReadWhatNewestFirstForAPersonOrAUser) {
  testing::TempDir dir;
  {
    auto db = persistence::open_writer(dir.file("c.db"));
    for (const char* user : {"nia", "sol", "nia"}) {
      persistence::AccessEntry e;
      e.at = "2024-06-30T10:00:00.000Z";
      e.user = user;
      e.method = "GET";
      e.route = "/v1/people/{}";
      e.status = 200;
      e.person_id = std::string("per_") + user;
      e.filters = "{}";
      e.request_id = "r";
      persistence::append_access(*db, e);
    }
  }
  const std::string db = "--db=" + dir.file("c.db");
  auto run = careledger(dir, {"audit", db, "--user=nia"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2);
  EXPECT_NE(run.out.find(R"("person_id":"per_nia")"), std::string::npos) << run.out;
  run = careledger(dir, {"audit", db, "--person=per_sol"});
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);
  EXPECT_NE(run.out.find(R"("user":"sol")"), std::string::npos) << run.out;
}

TEST(Cli, ImportingAFileTwiceRecordsItOnce) {
  testing::TempDir dir;
  const std::string input = dir.file("c.ndjson");
  ASSERT_EQ(careledger(dir, {"generate", "--scale", "0.002", "--years", "1", "--last-year",
                             "2023-24", "--out", input})
                .status,
            0);
  const auto first = careledger(dir, {"import", "--db", dir.file("c.db"), input});
  EXPECT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(first.out.rfind("imported ", 0), 0u) << first.out;
  EXPECT_NE(first.out.find(" (0 already recorded; "), std::string::npos) << first.out;
  const auto second = careledger(dir, {"import", "--db=" + dir.file("c.db"), input});
  EXPECT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(second.out.rfind("imported 0 new of ", 0), 0u) << second.out;
  EXPECT_NE(second.out.find("; 0 events) in "), std::string::npos) << second.out;
}

TEST(Cli, APortAlreadyInUseIsSaidInOneLine) {
  testing::TempDir dir;
  const int taken = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(taken, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(taken, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(listen(taken, 1), 0);
  ASSERT_EQ(getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string port = std::to_string(ntohs(address.sin_port));

  const auto run = careledger(dir, {"serve", "--db", dir.file("c.db"), "--port", port});
  close(taken);
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "careledger serve: port " + port + " on 127.0.0.1 is already in use\n");
  EXPECT_EQ(run.out, "");
}

TEST(Cli, TlsNeedsBothItsCertificateAndItsKey) {
  testing::TempDir dir;
  auto run = careledger(
      dir, {"serve", "--db", dir.file("c.db"), "--port", "0", "--tls-cert", dir.file("cert.pem")});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger serve: --tls-cert needs --tls-key; see careledger serve --help\n");
  EXPECT_EQ(run.out, "");
  run = careledger(dir, {"serve", "--db", dir.file("c.db"), "--port", "0", "--tls-key=k.pem"});
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err, "careledger serve: --tls-key needs --tls-cert; see careledger serve --help\n");
}

TEST(Cli, AnUnreadableTlsFileStopsServeAtStartNamingIt) {
  testing::TempDir dir;
  const std::string cert = dir.file("cert.pem");
  const auto run = careledger(dir, {"serve", "--db", dir.file("c.db"), "--port", "0", "--tls-cert",
                                    cert, "--tls-key", dir.file("key.pem")});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "careledger serve: TLS certificate " + cert +
                         ": cannot read it: No such file or directory\n");
  EXPECT_EQ(run.out, "");  // never listening
}

}  // namespace
}  // namespace careledger::tools
