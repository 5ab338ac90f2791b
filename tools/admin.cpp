#include "tools/admin.hpp"

#include <ostream>

#include <SQLiteCpp/Transaction.h>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/projections.hpp"
#include "services/users_admin.hpp"

namespace careledger::tools {

void add_user(const std::string& db_path, const persistence::User& user, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  const std::string token = services::add_user(*db, user);
  tx.commit();
  out << "created " << domain::code_name(user.role) << " " << user.name << "\n" << token << "\n";
}

void reset_token(const std::string& db_path, const std::string& name, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  const std::string token = services::reset_token(*db, name);
  tx.commit();
  out << "new token for " << name << "\n" << token << "\n";
}

void rebuild(const std::string& db_path, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  persistence::rebuild_read_models(*db);
  tx.commit();
  out << "rebuilt read models from " << persistence::event_count(*db) << " events\n";
}

}  // namespace careledger::tools
