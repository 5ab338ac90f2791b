// The SQL shared with SQLite, as PostgreSQL reads it (pg::translate): the parameters numbered as
// SQLite numbers them, JSON arrays read as jsonb, and literals, quoted names and comments left
// as they are.
#include <gtest/gtest.h>

#include "persistence/pg_connection.hpp"

namespace careledger::persistence::pg {
namespace {

TEST(PgTranslate, ParametersAreNumberedAsSQLiteNumbersThem) {
  const auto t = translate("SELECT a FROM t WHERE b = ? AND c = ?5 AND d = ? AND e = ?1");
  EXPECT_EQ(t.sql, "SELECT a FROM t WHERE b = $1 AND c = $5 AND d = $6 AND e = $1");
  EXPECT_EQ(t.parameters, 6);
  EXPECT_EQ(t.used, (std::vector<bool>{true, false, false, false, true, true}));
}

TEST(PgTranslate, ATeamFilterReadsItsJsonArrayAsJsonbAsAnArray) {
  EXPECT_EQ(translate("WHERE (CAST(?3 AS TEXT) IS NULL OR team IN (SELECT value FROM "
                      "json_each(?3))) ORDER BY id")
                .sql,
            "WHERE (CAST($3 AS TEXT) IS NULL OR team = ANY(ARRAY(SELECT value FROM "
            "jsonb_array_elements_text(($3)::jsonb)))) ORDER BY id");
  // NOT IN is left as it is, written in any case or across lines: an exclusion is not looked
  // up by the list's keys.
  EXPECT_EQ(translate("WHERE person_id NOT IN (SELECT value FROM json_each(?2))").sql,
            "WHERE person_id NOT IN (SELECT value FROM jsonb_array_elements_text(($2)::jsonb))");
  EXPECT_EQ(translate("WHERE person_id not\n  IN (SELECT value FROM json_each(?2))").sql,
            "WHERE person_id not\n  IN (SELECT value FROM jsonb_array_elements_text(($2)::jsonb))");
  // A column whose name ends in not is a column.
  EXPECT_EQ(translate("WHERE knot IN (SELECT value FROM json_each(?1))").sql,
            "WHERE knot = ANY(ARRAY(SELECT value FROM jsonb_array_elements_text(($1)::jsonb)))");
  // A list read otherwise is left as it is.
  EXPECT_EQ(translate("WITH s AS (SELECT value FROM json_each(?1)) SELECT 1").sql,
            "WITH s AS (SELECT value FROM jsonb_array_elements_text(($1)::jsonb)) SELECT 1");
  // Only the function of that name: a column ending in json_each is left alone.
  EXPECT_EQ(translate("SELECT my_json_each(x) FROM t").sql, "SELECT my_json_each(x) FROM t");
}

TEST(PgTranslate, QuestionMarksInLiteralsQuotedNamesAndCommentsAreNotParameters) {
  const auto t = translate("SELECT 'a?b', \"c?\" FROM t -- why?\nWHERE x = ?");
  EXPECT_EQ(t.sql, "SELECT 'a?b', \"c?\" FROM t -- why?\nWHERE x = $1");
  EXPECT_EQ(t.parameters, 1);
}

}  // namespace
}  // namespace careledger::persistence::pg
