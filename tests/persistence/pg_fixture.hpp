#pragma once
// A database of its own for each PostgreSQL test, with two roles: one owns the database (the
// schema's owner), the other is the role careledger connects with. scripts/test starts a
// throwaway PostgreSQL 15 cluster and names it in CARELEDGER_TEST_POSTGRES (a superuser's URL);
// the database and roles are dropped after the test.
#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "persistence/pg_connection.hpp"

namespace careledger::testing {

// A database and its two roles on the cluster CARELEDGER_TEST_POSTGRES names, dropped when it
// goes. Throws std::runtime_error when the variable is not set.
class ThrowawayDatabase {
 public:
  ThrowawayDatabase() {
    const char* url = std::getenv("CARELEDGER_TEST_POSTGRES");
    if (url == nullptr) {
      throw std::runtime_error(
          "CARELEDGER_TEST_POSTGRES is not set: scripts/test starts a throwaway PostgreSQL 15 "
          "cluster and sets it");
    }
    std::smatch m;
    const std::string text(url);
    if (!std::regex_match(text, m, std::regex(R"(postgresql://([^@/]+)@([^/]+)/(.+))"))) {
      throw std::runtime_error("CARELEDGER_TEST_POSTGRES is not a postgresql:// URL: " + text);
    }
    host_ = m[2];
    admin_ = std::make_unique<persistence::pg::Connection>(text);
    static std::atomic<int> made{0};
    const auto suffix = std::to_string(getpid()) + "_" + std::to_string(++made);
    db_ = "careledger_test_" + suffix;
    owner_ = "cl_owner_" + suffix;
    app_ = "cl_app_" + suffix;
    admin_->run("CREATE ROLE " + owner_ + " LOGIN; CREATE ROLE " + app_ + " LOGIN");
    // Text compared byte by byte, as careledger needs (pg::install_store).
    admin_->run("CREATE DATABASE " + db_ + " OWNER " + owner_ + " TEMPLATE template0 LOCALE 'C'");
  }
  ~ThrowawayDatabase() {
    try {
      admin_->run("DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)");
      admin_->run("DROP ROLE IF EXISTS " + app_ + "; DROP ROLE IF EXISTS " + owner_);
    } catch (...) {  // the cluster is stopped at the end of scripts/test in any case
    }
  }
  ThrowawayDatabase(const ThrowawayDatabase&) = delete;
  ThrowawayDatabase& operator=(const ThrowawayDatabase&) = delete;

  std::string url_as(const std::string& role) const {
    return "postgresql://" + role + "@" + host_ + "/" + db_;
  }
  const std::string& owner_role() const { return owner_; }
  const std::string& app_role() const { return app_; }

 private:
  std::unique_ptr<persistence::pg::Connection> admin_;
  std::string host_, db_, owner_, app_;
};

class PgDatabase : public ::testing::Test {
 protected:
  // A fixture that installs a schema calls this first, and stops if HasFatalFailure().
  void SetUp() override {
    ASSERT_NO_THROW(database_ = std::make_unique<ThrowawayDatabase>());
    owner = std::make_unique<persistence::pg::Connection>(url_as(owner_role()));
    app = connect_app();
  }
  void TearDown() override {
    owner.reset();
    app.reset();
    database_.reset();
  }
  std::string url_as(const std::string& role) const { return database_->url_as(role); }
  const std::string& owner_role() const { return database_->owner_role(); }
  const std::string& app_role() const { return database_->app_role(); }
  std::string url_for_app() const { return url_as(app_role()); }
  std::unique_ptr<persistence::pg::Connection> connect_app() const {
    return std::make_unique<persistence::pg::Connection>(url_as(app_role()));
  }

  std::unique_ptr<persistence::pg::Connection> owner, app;

 private:
  std::unique_ptr<ThrowawayDatabase> database_;
};

// The SQLSTATE PostgreSQL refused the statement with, or "none".
inline std::string sqlstate_of(const std::function<void()>& statement) {
  try {
    statement();
  } catch (const persistence::pg::Error& e) {
    return e.sqlstate();
  }
  return "none";
}

}  // namespace careledger::testing
