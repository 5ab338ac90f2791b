// Users and teams written on two instances of one PostgreSQL store at the same moment: the
// write that loses the race is answered as a sequential duplicate is (409), not with the unique
// violation it met; and two instances cannot each disable or demote one of the last two admins.
// Each race is made certain: the first write is left open until the second waits for its rows.
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "persistence/pg_schema.hpp"
#include "persistence/users.hpp"
#include "services/failure.hpp"
#include "services/teams.hpp"
#include "services/users_admin.hpp"
#include "tests/persistence/pg_fixture.hpp"

namespace careledger::testing {
namespace {

namespace pg = persistence::pg;
using namespace std::chrono_literals;
using services::Failure;

class PgUsersAndTeams : public PgDatabase {
 protected:
  void SetUp() override {
    PgDatabase::SetUp();
    if (HasFatalFailure()) return;
    pg::install_store(*owner, app_role());
    one = connect_app();
    other = connect_app();
  }

  // Whether another session waits for a lock within 30 s (asked of the server, not guessed).
  bool another_waits() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto waiting = app->query(
          "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
          "AND wait_event_type = 'Lock'");
      if (waiting.integer(0, 0) > 0) return true;
      std::this_thread::sleep_for(2ms);
    }
    return false;
  }

  // `first` written on one instance and left open; `second` on the other meanwhile. Once the
  // second waits for the first's rows (or has finished without waiting), the first commits:
  // what the second then answers (its failure's kind, or "written").
  std::string race(const std::function<void(persistence::Connection&)>& first,
                   const std::function<void(persistence::Connection&)>& second) {
    persistence::Transaction open(*one, persistence::Transaction::Mode::write);
    first(*one);
    auto answer = std::async(std::launch::async, [&]() -> std::string {
      persistence::Transaction tx(*other, persistence::Transaction::Mode::write);
      try {
        second(*other);
      } catch (const Failure& failure) {
        return failure.kind == Failure::Kind::conflict ? "conflict" : "failure";
      } catch (const pg::Error& e) {
        return "SQLSTATE " + e.sqlstate();
      }
      tx.commit();
      return "written";
    });
    waited = another_waits();
    open.commit();
    return answer.get();
  }

  std::int64_t count(const std::string& sql) { return app->query(sql).integer(0, 0); }

  std::unique_ptr<pg::Connection> one, other;
  bool waited = false;
};

TEST_F(PgUsersAndTeams, ATeamRegisteredOnBothAtOnceIsAConflictForTheSecond) {
  auto add = [](persistence::Connection& db) { services::add_team(db, "west", "West", "test"); };
  EXPECT_EQ(race(add, add), "conflict");
  EXPECT_TRUE(waited);
  EXPECT_EQ(count("SELECT COUNT(*) FROM teams WHERE name = 'west'"), 1);
}

TEST_F(PgUsersAndTeams, AUserAddedOnBothAtOnceIsAConflictForTheSecond) {
  auto add = [](persistence::Connection& db) {
    services::add_user(db, persistence::User{"ann", domain::Role::admin, {}});
  };
  EXPECT_EQ(race(add, add), "conflict");
  EXPECT_TRUE(waited);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE name = 'ann'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM user_changes WHERE user_name = 'ann'"), 1);
}

TEST_F(PgUsersAndTeams, TheLastTwoAdminsCannotBeDisabledOnBothAtOnce) {
  for (const char* name : {"ann", "bob"}) {
    services::add_user(*app, persistence::User{name, domain::Role::admin, {}});
  }
  EXPECT_EQ(race([](auto& db) { services::set_disabled(db, "ann", true); },
                 [](auto& db) { services::set_disabled(db, "bob", true); }),
            "conflict");
  EXPECT_TRUE(waited) << "the second counted the admins without waiting for the first";
  EXPECT_EQ(persistence::enabled_admins(*app), 1);
}

TEST_F(PgUsersAndTeams, TheLastTwoAdminsCannotBeDemotedAndDisabledOnBothAtOnce) {
  for (const char* name : {"ann", "bob"}) {
    services::add_user(*app, persistence::User{name, domain::Role::admin, {}});
  }
  EXPECT_EQ(race([](auto& db) { services::set_role(db, "ann", domain::Role::analyst); },
                 [](auto& db) { services::set_disabled(db, "bob", true); }),
            "conflict");
  EXPECT_TRUE(waited);
  EXPECT_EQ(persistence::enabled_admins(*app), 1);
}

// Disabling one admin twice at once: the second finds them disabled, as it would in turn.
TEST_F(PgUsersAndTeams, OneAdminDisabledOnBothAtOnceIsDisabledOnce) {
  for (const char* name : {"ann", "bob"}) {
    services::add_user(*app, persistence::User{name, domain::Role::admin, {}});
  }
  auto disable = [](persistence::Connection& db) { services::set_disabled(db, "ann", true); };
  EXPECT_EQ(race(disable, disable), "written");
  EXPECT_EQ(persistence::enabled_admins(*app), 1);
}

}  // namespace
}  // namespace careledger::testing
