#include "tools/admin.hpp"

#include <ostream>

#include <SQLiteCpp/Transaction.h>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/projections.hpp"
#include "persistence/teams.hpp"
#include "services/teams.hpp"
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

namespace {
void print_user(const persistence::UserEntry& entry, std::ostream& out) {
  std::string teams;
  for (const auto& team : entry.user.teams) teams += (teams.empty() ? "" : ",") + team.str();
  out << entry.user.name << "\t" << domain::code_name(entry.user.role) << "\t"
      << (teams.empty() ? "-" : teams) << "\t" << (entry.disabled ? "disabled" : "enabled") << "\t"
      << entry.last_seen_at.value_or("never seen") << "\n";
}
}  // namespace

void list_users(const std::string& db_path, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  for (const auto& entry : persistence::users_page(*db, 0, SIZE_MAX)) print_user(entry, out);
}

void change_user(const std::string& db_path, const std::string& name,
                 const std::function<persistence::UserEntry(persistence::Connection&,
                                                            const std::string&)>& change,
                 std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  const auto entry = change(*db, name);
  tx.commit();
  print_user(entry, out);
}

void add_team(const std::string& db_path, const std::string& name, const std::string& label,
              std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  services::add_team(*db, name, label.empty() ? name : label, "command line");
  tx.commit();
  out << "registered team " << name << "\n";
}

void list_teams(const std::string& db_path, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  for (const auto& team : persistence::teams_page(*db, 0, std::nullopt)) {
    out << team.name << "\t" << team.label << "\n";
  }
}

void rebuild(const std::string& db_path, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  persistence::rebuild_read_models(*db);
  tx.commit();
  out << "rebuilt read models from " << persistence::event_count(*db) << " events\n";
}

}  // namespace careledger::tools
