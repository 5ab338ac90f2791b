// Import is idempotent: each line goes with a key made from its own text, so loading a file
// again, or a longer version of it, records only the lines not recorded before.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/import.hpp"
#include "tools/synthetic.hpp"

namespace careledger::tools {
namespace {

// Controls.
std::string generated(std::uint64_t seed) {
  std::ostringstream out;
  generate(GenerateOptions{0.01, 2, seed, domain::FinancialYear{2023}}, out);
  return out.str();
}

// The first `count` lines of `text`.
std::string first_lines(const std::string& text, std::size_t count) {
  std::size_t end = 0;
  for (std::size_t n = 0; n < count; ++n) end = text.find('\n', end) + 1;
  return text.substr(0, end);
}

ImportReport import_text(const std::string& db, const std::string& text) {
  std::istringstream in(text);
  std::ostringstream errors;
  const auto report = import_lines(db, in, errors, [](std::size_t) {});
  EXPECT_EQ(report.refused, 0u) << errors.str().substr(0, 2000);
  return report;
}

std::int64_t events_in(const std::string& db) {
  auto connection = persistence::open_reader(db);
  return persistence::event_count(*connection);
}

TEST(Import, TheSameFileTwiceRecordsNothingTheSecondTime) {
  testing::TempDir dir;
  const std::string db = dir.file("c.db");
  const std::string text = generated(11);
  const auto first = import_text(db, text);
  ASSERT_GT(first.recorded, 100u);
  EXPECT_EQ(first.already, 0u);
  const auto events = events_in(db);

  // No line refused: every repeat answered with the first ids, so later references resolved to
  // the same requests as the first time.
  const auto second = import_text(db, text);
  EXPECT_EQ(second.lines, first.lines);
  EXPECT_EQ(second.recorded, 0u);
  EXPECT_EQ(second.already, first.lines);
  EXPECT_EQ(second.events, 0);
  EXPECT_EQ(events_in(db), events);
}

TEST(Import, AFileThatExtendsAnEarlierOneRecordsOnlyTheNewLines) {
  testing::TempDir dir;
  const std::string text = generated(12);
  const auto whole = import_text(dir.file("whole.db"), text);
  const std::size_t head = whole.lines / 2;

  const std::string db = dir.file("c.db");
  EXPECT_EQ(import_text(db, first_lines(text, head)).recorded, head);
  const auto rest = import_text(db, text);
  EXPECT_EQ(rest.already, head);
  EXPECT_EQ(rest.recorded, whole.lines - head);
  EXPECT_EQ(events_in(db), events_in(dir.file("whole.db")));
}

TEST(Import, IdenticalLinesInOneFileAreEachRecordedOnce) {
  testing::TempDir dir;
  const std::string db = dir.file("c.db");
  const std::string team =
      R"({"method":"POST","path":"/v1/teams","body":{"name":"north","label":"North"}})"
      "\n";
  const std::string person =
      R"({"method":"POST","path":"/v1/people","body":{"given_name":"A","family_name":"B","date_of_birth":"1950-01-01","team":"north"}})"
      "\n";
  EXPECT_EQ(import_text(db, team).recorded, 1u);  // the register, which people name
  const auto first = import_text(db, person + person);
  EXPECT_EQ(first.recorded, 2u);
  EXPECT_EQ(first.events, 2);
  const auto second = import_text(db, person + person + person);
  EXPECT_EQ(second.already, 2u);
  EXPECT_EQ(second.recorded, 1u);
  EXPECT_EQ(events_in(db), 3);
}

TEST(Import, TheSecondImportOfAFileSaysEveryLineWasAlreadyRecorded) {
  testing::TempDir dir;
  const std::string input = dir.file("c.ndjson");
  const std::string text = generated(13);
  std::ofstream(input) << text;
  const ImportFileOptions options{dir.file("c.db"), input, false};
  std::ostringstream out, errors;
  const auto first = import_file(options, out, errors);
  out.str("");
  import_file(options, out, errors);
  const std::string lines = std::to_string(first.lines);
  EXPECT_EQ(
      out.str().rfind(
          "imported 0 new of " + lines + " lines (" + lines + " already recorded; 0 events)", 0),
      0u)
      << out.str();
  EXPECT_NE(out.str().find("; 0 refused\n"), std::string::npos) << out.str();
  EXPECT_EQ(errors.str(), "");
}

TEST(Import, ALineKeyNamesItsTextAndHowManyEarlierLinesHadIt) {
  EXPECT_EQ(line_key("a line", 0), line_key("a line", 0));
  EXPECT_NE(line_key("a line", 0), line_key("a line", 1));
  EXPECT_NE(line_key("a line", 0), line_key("another line", 0));
  EXPECT_TRUE(line_key("a line", 0).starts_with("import:"));
  EXPECT_LE(line_key("a line", 1'000'000'000).size(), 128u);  // what Idempotency-Key allows
}

}  // namespace
}  // namespace careledger::tools
