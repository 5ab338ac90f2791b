// Reading a command's options: typed values refused in one line, both spellings of a value,
// required options and operands named, and a help that lists what was declared.
#include <sstream>

#include <gtest/gtest.h>

#include "tools/command_line.hpp"

namespace careledger::tools {
namespace {

namespace po = boost::program_options;

TEST(ReadNumber, TheWholeTokenMustBeANumberInRange) {
  unsigned short port = 7;
  EXPECT_EQ(read_number<unsigned short>("8080", 0, 65535, port), Reading::number);
  EXPECT_EQ(port, 8080);
  EXPECT_EQ(read_number<unsigned short>("80x", 0, 65535, port), Reading::not_a_number);
  EXPECT_EQ(read_number<unsigned short>("", 0, 65535, port), Reading::not_a_number);
  EXPECT_EQ(read_number<unsigned short>("+80", 0, 65535, port), Reading::not_a_number);
  EXPECT_EQ(read_number<unsigned short>("70000", 0, 65535, port), Reading::out_of_range);
  EXPECT_EQ(read_number<unsigned short>("-1", 0, 65535, port), Reading::out_of_range);
  EXPECT_EQ(port, 8080);  // untouched by a refusal
  double scale = 0;
  EXPECT_EQ(read_number<double>("0.5", 0.001, 1000.0, scale), Reading::number);
  EXPECT_EQ(scale, 0.5);
  EXPECT_EQ(read_number<double>("0", 0.001, 1000.0, scale), Reading::out_of_range);
  EXPECT_EQ(read_number<double>("nan", 0.001, 1000.0, scale), Reading::out_of_range);
  EXPECT_EQ(read_number<double>("1e9", 0.001, 1000.0, scale), Reading::out_of_range);
  int years = 0;
  EXPECT_EQ(read_number<int>("2.5", 1, 30, years), Reading::not_a_number);
}

// A command with one option of each kind, as main.cpp declares them.
struct Example {
  std::string db;
  InRange<unsigned short, Between<0, 65535>> port;
  std::vector<std::string> teams;
  RoleOption role;
  std::string input;
  CommandLine line{"example", "  Shows how options are read.\n"};
  std::ostringstream out, errors;

  Example() {
    line.option("db", po::value(&db)->value_name("FILE")->required(), "the database");
    line.option("port", po::value(&port)->value_name("N"), "a port");
    line.option("team", po::value(&teams)->value_name("TEAM")->composing(), "a team");
    line.option("role", po::value(&role)->value_name("ROLE"), "a role");
    line.operand("INPUT", &input, "a file");
  }
  std::optional<int> parse(const std::vector<std::string>& args) {
    return line.parse(args, out, errors);
  }
};

TEST(CommandLine, AValueMayFollowTheOptionOrItsEqualsSign) {
  Example e;
  EXPECT_EQ(e.parse({"--db=a.db", "--port", "80", "--team=north", "--team", "south", "in"}),
            std::nullopt)
      << e.errors.str();
  EXPECT_EQ(e.db, "a.db");
  EXPECT_EQ(e.port.value, 80);
  EXPECT_EQ(e.teams, (std::vector<std::string>{"north", "south"}));
  EXPECT_EQ(e.input, "in");
}

TEST(CommandLine, ABadValueIsRefusedInOneLineNamingTheOption) {
  Example e;
  EXPECT_EQ(e.parse({"--db", "a", "--port", "abc", "in"}), 2);
  EXPECT_EQ(e.errors.str(), "careledger example: --port: not a number\n");
  Example f;
  EXPECT_EQ(f.parse({"--db", "a", "--port=70000", "in"}), 2);
  EXPECT_EQ(f.errors.str(), "careledger example: --port: out of range 0-65535\n");
  Example g;
  EXPECT_EQ(g.parse({"--db", "a", "--role", "boss", "in"}), 2);
  EXPECT_EQ(g.errors.str(),
            "careledger example: --role: must be one of admin, team_leader, practitioner, "
            "analyst\n");
  Example h;
  EXPECT_EQ(h.parse({"--db", "a", "--port", "1", "--port", "2", "in"}), 2);
  EXPECT_EQ(h.errors.str(),
            "careledger example: option '--port' cannot be specified more than once\n");
}

TEST(CommandLine, UnknownOptionsAndMissingArgumentsAreNamed) {
  Example e;
  EXPECT_EQ(e.parse({"--db", "a", "--frob", "in"}), 2);
  EXPECT_EQ(e.errors.str(),
            "careledger example: unknown option '--frob'; see careledger example --help\n");
  Example f;
  EXPECT_EQ(f.parse({"--d", "a", "in"}), 2);  // no guessing at abbreviations
  EXPECT_EQ(f.errors.str(),
            "careledger example: unknown option '--d'; see careledger example --help\n");
  Example g;
  EXPECT_EQ(g.parse({"in"}), 2);
  EXPECT_EQ(g.errors.str(),
            "careledger example: --db is required; see careledger example --help\n");
  Example h;
  EXPECT_EQ(h.parse({"--db", "a"}), 2);
  EXPECT_EQ(h.errors.str(),
            "careledger example: INPUT is required; see careledger example --help\n");
  Example i;
  EXPECT_EQ(i.parse({"--db", "a", "in", "more"}), 2);
  EXPECT_EQ(i.errors.str(),
            "careledger example: unexpected argument 'more'; see careledger example --help\n");
  Example j;
  EXPECT_EQ(j.parse({"--db"}), 2);
  EXPECT_EQ(j.errors.str(),
            "careledger example: the required argument for option '--db' is missing\n");
}

TEST(CommandLine, OptionsThatGoTogetherAreGivenBothOrNeither) {
  struct Pair {
    PathOption cert, key;
    CommandLine line{"pair", "  Two files.\n"};
    std::ostringstream out, errors;
    Pair() {
      line.option("cert", po::value(&cert)->value_name("FILE"), "a certificate");
      line.option("key", po::value(&key)->value_name("FILE"), "its key");
      line.together("cert", "key");
    }
  };
  Pair neither, both, cert_alone, key_alone, empty;
  EXPECT_EQ(neither.line.parse({}, neither.out, neither.errors), std::nullopt);
  EXPECT_EQ(neither.cert.value, "");
  EXPECT_EQ(both.line.parse({"--cert=c", "--key", "k"}, both.out, both.errors), std::nullopt);
  EXPECT_EQ(both.cert.value, "c");
  EXPECT_EQ(both.key.value, "k");
  EXPECT_EQ(cert_alone.line.parse({"--cert", "c"}, cert_alone.out, cert_alone.errors), 2);
  EXPECT_EQ(cert_alone.errors.str(),
            "careledger pair: --cert needs --key; see careledger pair --help\n");
  EXPECT_EQ(key_alone.line.parse({"--key", "k"}, key_alone.out, key_alone.errors), 2);
  EXPECT_EQ(key_alone.errors.str(),
            "careledger pair: --key needs --cert; see careledger pair --help\n");
  // An unset variable in a script would make the option look absent: refused instead.
  EXPECT_EQ(empty.line.parse({"--cert", "", "--key", ""}, empty.out, empty.errors), 2);
  EXPECT_EQ(empty.errors.str(), "careledger pair: --cert: an empty path\n");
}

TEST(CommandLine, HelpListsEveryOptionDeclaredAndWinsOverErrors) {
  Example e;
  EXPECT_EQ(e.parse({"--port", "abc", "--help"}), 0);
  EXPECT_EQ(e.errors.str(), "");
  EXPECT_EQ(e.out.str(),
            "usage: careledger example --db FILE [--port N] [--team TEAM]... [--role ROLE] INPUT\n"
            "\n"
            "  Shows how options are read.\n"
            "\n"
            "options:\n"
            "  --db FILE     the database\n"
            "  --port N      a port\n"
            "  --team TEAM   a team\n"
            "  --role ROLE   a role\n"
            "  INPUT         a file\n"
            "  --help        print this help\n");
}

}  // namespace
}  // namespace careledger::tools
