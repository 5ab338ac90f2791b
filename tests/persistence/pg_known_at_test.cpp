// "As known at" a moment on PostgreSQL: an event committed but not yet sequenced has no
// recorded_at (NULL in the view `events`), and counts as recorded after any moment asked: never
// among what was known then, always among what changed since (so that a figure as known at the
// moment takes its person's live contributions back out).
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "persistence/event_codec.hpp"
#include "persistence/event_store.hpp"
#include "persistence/pg_event_log.hpp"
#include "persistence/pg_schema.hpp"
#include "tests/persistence/pg_fixture.hpp"
#include "tests/persistence/store_fixtures.hpp"

namespace careledger::testing {
namespace {

namespace pg = persistence::pg;
using persistence::ExpectedVersion;

constexpr const char* long_after = "9999-12-31T23:59:59.999Z";

class PgKnownAt : public PgDatabase {
 protected:
  void SetUp() override {
    PgDatabase::SetUp();
    if (HasFatalFailure()) return;
    pg::install_store(*owner, app_role());
    // per_1 recorded and sequenced: stamped.
    const auto first = pg::append(
        *app, append("person-per_1", ExpectedVersion::no_stream(), {registered("per_1", "north")}));
    ASSERT_TRUE(std::holds_alternative<persistence::Appended>(first));
    stamped_at = std::get<persistence::Appended>(first).records.at(0).recorded_at;
    // per_2's event committed, as an append commits it, but not yet sequenced (its writer
    // stopped before it sequenced it): no position, no recorded_at.
    const auto event = registered("per_2", "north").event;
    app->run("BEGIN");
    app->query(
        "INSERT INTO event_rows (event_id, stream_id, version, type, occurred_on, recorded_by, "
        "team, person_id, data) VALUES ($1, 'person-per_2', 1, $2, '2024-01-01', 'tester', "
        "'north', 'per_2', $3)",
        {persistence::new_event_id(), std::string(domain::event_type(event)),
         persistence::encode_event(event)});
    app->run("COMMIT");
    ASSERT_EQ(app->query("SELECT COUNT(*) FROM events WHERE recorded_at IS NULL").integer(0, 0), 1);
  }

  std::string stamped_at;
};

TEST_F(PgKnownAt, AnEventNotYetStampedIsNotKnownAtAnyMoment) {
  const auto known = persistence::read_all_known_at(*app, 0, 100, long_after);
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known[0].stream_id, "person-per_1");
  EXPECT_TRUE(persistence::read_person_events_known_at(*app, domain::PersonId{"per_2"}, long_after)
                  .empty());
  EXPECT_EQ(
      persistence::read_person_events_known_at(*app, domain::PersonId{"per_1"}, long_after).size(),
      1u);
}

TEST_F(PgKnownAt, AnEventNotYetStampedIsRecordedAfterAnyMoment) {
  const auto changed = persistence::people_recorded_after(*app, long_after);
  EXPECT_EQ(changed, std::vector<domain::PersonId>{domain::PersonId{"per_2"}});
  EXPECT_EQ(persistence::people_recorded_after(*app, stamped_at),
            std::vector<domain::PersonId>{domain::PersonId{"per_2"}});
  // Once sequenced, it is stamped like any other.
  pg::sequence(*app);
  EXPECT_TRUE(persistence::people_recorded_after(*app, long_after).empty());
  EXPECT_EQ(persistence::read_all_known_at(*app, 0, 100, long_after).size(), 2u);
}

}  // namespace
}  // namespace careledger::testing
