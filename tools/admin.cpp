#include "tools/admin.hpp"

#include <ostream>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include <SQLiteCpp/Backup.h>

#include "persistence/database.hpp"
#include "persistence/event_store.hpp"
#include "persistence/projections.hpp"
#include "persistence/teams.hpp"
#include "services/teams.hpp"
#include "services/users_admin.hpp"

namespace careledger::tools {

void add_user(const std::string& db_path, const persistence::User& user, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  persistence::Transaction tx(*db, persistence::Transaction::Mode::write);
  const std::string token = services::add_user(*db, user);
  tx.commit();
  out << "created " << domain::code_name(user.role) << " " << user.name << "\n" << token << "\n";
}

void reset_token(const std::string& db_path, const std::string& name, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  persistence::Transaction tx(*db, persistence::Transaction::Mode::write);
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
  persistence::Transaction tx(*db, persistence::Transaction::Mode::write);
  const auto entry = change(*db, name);
  tx.commit();
  print_user(entry, out);
}

void add_team(const std::string& db_path, const std::string& name, const std::string& label,
              std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  persistence::Transaction tx(*db, persistence::Transaction::Mode::write);
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

namespace {

// PATH.partial, made afresh, readable by its owner alone, never through a link: a file that
// holds personal data is written there, then published over PATH whole.
int create_partial(const std::string& partial) {
  for (const auto& file : {partial, partial + "-wal", partial + "-shm", partial + "-journal"}) {
    std::remove(file.c_str());
  }
  const int fd = ::open(partial.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + partial);
  return fd;
}

// The partial file synced, renamed over `to_path`, and the rename itself synced.
void publish(const std::string& partial, const std::string& to_path) {
  const int synced = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC);
  if (synced < 0 || ::fsync(synced) != 0) throw std::runtime_error("cannot sync " + partial);
  ::close(synced);
  if (std::rename(partial.c_str(), to_path.c_str()) != 0) {
    throw std::runtime_error("cannot rename " + partial + " to " + to_path);
  }
  const auto slash = to_path.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : to_path.substr(0, slash + 1);
  const int directory = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
}

}  // namespace

services::CldFile export_cld(const std::string& db_path, const domain::cld::Period& period,
                             const std::string& la_code, const std::string& to_path) {
  const std::string partial = to_path + ".partial";
  const int fd = create_partial(partial);
  services::CldFile written;
  try {
    auto source = persistence::open_reader(db_path);
    written = services::write_cld_file(*source, period, la_code, [&](std::string_view piece) {
      while (!piece.empty()) {
        const auto n = ::write(fd, piece.data(), piece.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("cannot write " + partial);
        piece.remove_prefix(static_cast<std::size_t>(n));
      }
    });
  } catch (...) {
    ::close(fd);
    std::remove(partial.c_str());
    throw;
  }
  ::close(fd);
  publish(partial, to_path);
  return written;
}

void backup(const std::string& db_path, const std::string& to_path, std::ostream& out) {
  const std::string partial = to_path + ".partial";
  ::close(create_partial(partial));
  std::int64_t events = 0;
  {
    auto source = persistence::open_reader(db_path);
    persistence::SqliteConnection copy(partial, SQLite::OPEN_READWRITE);
    SQLite::Backup pages(copy.database(), persistence::sqlite(*source));
    pages.executeStep(-1);  // every page under one read transaction: one consistent snapshot
    events = copy.execAndGet("SELECT COUNT(*) FROM events").getInt64();
  }
  publish(partial, to_path);
  out << "backed up " << events << " events to " << to_path << "\n";
}

void rebuild(const std::string& db_path, std::ostream& out) {
  auto db = persistence::open_writer(db_path);
  persistence::Transaction tx(*db, persistence::Transaction::Mode::write);
  persistence::rebuild_read_models(*db);
  tx.commit();
  out << "rebuilt read models from " << persistence::event_count(*db) << " events\n";
}

}  // namespace careledger::tools
