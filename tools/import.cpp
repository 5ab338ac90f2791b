#include "tools/import.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>

#include <boost/json.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "api/api.hpp"
#include "persistence/database.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/projections.hpp"
#include "persistence/teams.hpp"
#include "persistence/users.hpp"
#include "services/access.hpp"
#include "services/scratch_directory.hpp"
#include "services/users_admin.hpp"

namespace careledger::tools {

namespace json = boost::json;

namespace {

// Replaces "@REF" (a whole string, or a path segment) with the id made for REF.
class References {
 public:
  void remember(const std::string& ref, const std::string& id) { ids_[ref] = id; }

  // nullopt when a reference is unknown (named in `missing`).
  std::optional<std::string> path(const std::string& path, std::string& missing) const {
    std::string out;
    std::size_t start = 0;
    while (start <= path.size()) {
      const auto end = std::min(path.find('/', start), path.size());
      std::string segment = path.substr(start, end - start);
      if (segment.starts_with("@")) {
        auto it = ids_.find(segment.substr(1));
        if (it == ids_.end()) {
          missing = segment;
          return std::nullopt;
        }
        segment = it->second;
      }
      out += segment;
      if (end == path.size()) break;
      out += '/';
      start = end + 1;
    }
    return out;
  }

  bool body(json::object& body, std::string& missing) const {
    for (auto& [key, value] : body) {
      if (!value.is_string() || !value.get_string().starts_with("@")) continue;
      auto it = ids_.find(std::string(value.get_string().subview(1)));
      if (it == ids_.end()) {
        missing = value.get_string();
        return false;
      }
      value = it->second;
    }
    return true;
  }

 private:
  std::map<std::string, std::string> ids_;
};

// How many earlier lines had each text, by the first 64 bits of its digest: a flat map of
// integers, because a large file has millions of lines. Two texts sharing those bits would
// only number each other's repeats, the same way on every import of the file.
class SameText {
 public:
  std::size_t count(const std::string& digest) {
    return seen_[std::stoull(digest.substr(0, 16), nullptr, 16)]++;
  }

 private:
  boost::unordered_flat_map<std::uint64_t, std::size_t> seen_;
};

// 128 bits of the line's SHA-256, in hex.
std::string digest_of(std::string_view text) {
  return services::sha256_hex(text).substr(0, 32);
}

std::string key_for(const std::string& digest, std::size_t earlier_same) {
  return "import:" + digest + ":" + std::to_string(earlier_same);
}

// Where a file loads: on SQLite a BulkLoader (thousands of lines to a transaction, reading what
// it has appended before it commits); on PostgreSQL the group-commit writer and readers an
// instance has, so that instances may serve the store while it loads.
//
// On PostgreSQL the import's writer commits a line without waiting for the disk
// (synchronous_commit off for its session): a line at a time, each waiting for its own flush,
// loaded about 70 events a second. The load is durable when it ends: commit() makes one last
// commit that waits as every commit of a server does (for the disk, and for a synchronous
// standby if the council has one), and the log is flushed in order, so every line before it is
// then flushed too. Should PostgreSQL stop before that, the lines of its last fraction of a
// second may be lost (other sessions may have read them meanwhile), and loading the file again
// records them (each line's idempotency key: those already recorded are not recorded twice).
class Loader {
 public:
  explicit Loader(const std::string& url) {
    if (persistence::is_postgresql(url)) {
      appender_ = persistence::open_appender(url);
      readers_ = std::make_unique<persistence::ReaderPool>(url);
      // For the session (a connection made again after a failure commits as the server does).
      appender_->write(
          [](persistence::Connection& db) { db.exec("SET synchronous_commit = off"); });
    } else {
      bulk_ = std::make_unique<persistence::BulkLoader>(url);
    }
  }
  persistence::Appender& appender() { return bulk_ ? *bulk_ : *appender_; }
  persistence::Readers& readers() {
    return bulk_ ? static_cast<persistence::Readers&>(*bulk_) : *readers_;
  }
  void commit() {
    if (bulk_) {
      bulk_->commit();
      return;
    }
    // A commit that waits: it has written to the log (a message for logical decoding, which
    // changes no table), so PostgreSQL flushes the log up to it before it returns.
    appender_->write([](persistence::Connection& db) {
      db.exec("SET LOCAL synchronous_commit = on");
      db.exec("SELECT pg_logical_emit_message(true, 'careledger', 'import loaded')");
    });
  }

 private:
  std::unique_ptr<persistence::BulkLoader> bulk_;
  std::unique_ptr<persistence::Appender> appender_;
  std::unique_ptr<persistence::ReaderPool> readers_;
};

// Where a CLD import stages its rows: beside a SQLite file, or for a PostgreSQL store (which
// other processes serve and load too) in a directory of this import's own under the temporary
// directory, removed when it ends.
class StagingDirectory {
 public:
  explicit StagingDirectory(const std::string& url) {
    if (persistence::is_postgresql(url)) {
      own_ = std::make_unique<services::ScratchDirectory>();
      path_ = own_->path();
    } else {
      path_ = std::filesystem::absolute(persistence::sqlite_path(url)).parent_path().string();
    }
  }
  const std::string& path() const { return path_; }

 private:
  std::unique_ptr<services::ScratchDirectory> own_;
  std::string path_;
};

}  // namespace

// The user lines are recorded as, made on first use. Its token is never shown, so no one
// signs in as it.
services::Actor import_user(const std::string& db_path) {
  auto db = persistence::open_writer(db_path);
  persistence::Transaction tx(*db, persistence::Transaction::Mode::write);
  const persistence::User user{"import", domain::Role::admin, {}};
  if (!persistence::user_exists(*db, user.name)) {
    try {
      services::add_user(*db, user);
    } catch (const services::Failure& failure) {
      // Made at this moment by an import in another process (on PostgreSQL): it is there.
      if (failure.kind != services::Failure::Kind::conflict) throw;
      return services::Actor{user.name, user.role, user.teams};
    }
    // Disabled: no token of it may ever work, and it is no admin a council could keep (the
    // last enabled admin rule counts people). Its writes come in-process, never by token.
    persistence::set_disabled(*db, user.name, true);
  }
  tx.commit();
  return services::Actor{user.name, user.role, user.teams};
}

services::CldImportReport import_cld_file(const CldImportFileOptions& options) {
  {
    std::ifstream probe(options.input, std::ios::binary);
    if (!probe) throw std::runtime_error("cannot read " + options.input);
  }
  const services::Actor importer = import_user(options.db_path);
  Loader loader(options.db_path);
  domain::Configuration config;
  config.la_code = options.la_code;
  services::Context store{loader.appender(), loader.readers(), services::london_today, config};
  const StagingDirectory staging(options.db_path);
  services::CldImports imports(store, staging.path(), 1);  // a BulkLoader is not shared
  const services::OpenFile open = [&]() -> std::unique_ptr<std::istream> {
    auto in = std::make_unique<std::ifstream>(options.input, std::ios::binary);
    if (!*in) throw std::runtime_error("cannot read " + options.input);
    return in;
  };
  auto report = imports.import(importer, open, options.options);
  loader.commit();
  return report;
}

std::string line_key(std::string_view text, std::size_t earlier_same) {
  return key_for(digest_of(text), earlier_same);
}

ImportReport import_lines(const std::string& db_path, std::istream& in, std::ostream& errors,
                          const std::function<void(std::size_t)>& progress) {
  const services::Actor importer = import_user(db_path);
  ImportReport report;
  {
    Loader loader(db_path);
    services::Context store{loader.appender(), loader.readers(), services::london_today, {}};
    api::Api api(store, api::ApiOptions::unlimited());  // a file loads as fast as it can
    References refs;
    SameText same_text;
    auto refuse = [&](std::size_t n, const std::string& why) {
      ++report.refused;
      errors << "line " << n << ": " << why << "\n";
    };
    for (std::string text; std::getline(in, text);) {
      const std::size_t n = ++report.lines;
      if (n % 1000 == 0) progress(n);
      if (text.empty()) continue;
      const std::string digest = digest_of(text);
      const std::string key = key_for(digest, same_text.count(digest));
      boost::system::error_code ec;
      auto parsed = json::parse(text, ec);
      if (ec || !parsed.is_object() || !parsed.as_object().contains("path") ||
          !parsed.as_object().contains("body") || !parsed.at("body").is_object()) {
        refuse(n, "not a line of a generated file");
        continue;
      }
      auto& line = parsed.as_object();
      std::string missing;
      auto path = refs.path(std::string(line.at("path").as_string()), missing);
      auto& body = line.at("body").as_object();
      if (!path || !refs.body(body, missing)) {
        refuse(n, "unknown reference " + missing);
        continue;
      }
      api::Submission submission;
      if (line.contains("method")) submission.method = std::string(line.at("method").as_string());
      submission.path = std::move(*path);
      // As the API hashes a request, so that a file imported before answers the same.
      submission.request_hash = services::sha256_hex(submission.method + " " + submission.path +
                                                     "\n" + json::serialize(body));
      submission.body = std::move(body);
      submission.idempotency_key = key;
      const auto events_before = loader.appender().events_appended();
      // A team line appends no event: it is new when its team was not registered before. A
      // team the store already has (by hand, or from another file) is as good as this line's.
      std::optional<bool> team_was_registered;
      const auto* team_name = submission.body.if_contains("name");
      if (submission.path == "/v1/teams" && team_name != nullptr && team_name->is_string()) {
        auto db = loader.readers().acquire();
        team_was_registered =
            persistence::team_registered(*db, std::string(team_name->get_string()));
      }
      const api::Response response = api.submit(importer, std::move(submission));
      if (team_was_registered && (response.status == 409 || response.status < 300)) {
        ++(*team_was_registered ? report.already : report.recorded);
        continue;
      }
      if (response.status >= 300) {
        refuse(n, std::to_string(response.status) + " " + response.body);
        continue;
      }
      // A success that appended nothing is the first answer given again: the key was
      // recorded by an earlier import of this line.
      const auto appended = loader.appender().events_appended() - events_before;
      report.events += static_cast<std::int64_t>(appended);
      ++(appended > 0 ? report.recorded : report.already);
      const auto answer = json::parse(response.body);
      const std::string ref =
          line.contains("ref") ? std::string(line.at("ref").as_string()) : std::string{};
      // "@REF" is the id the line was given; "@REF.x_id" any other id its answer named.
      if (!ref.empty()) {
        for (const auto& [name, value] : answer.as_object()) {
          if (!value.is_string()) continue;
          if (name == "id") refs.remember(ref, std::string(value.get_string()));
          if (name.ends_with("_id")) {
            refs.remember(ref + "." + std::string(name), std::string(value.get_string()));
          }
        }
      }
    }
    loader.commit();
    progress(report.lines);
  }
  if (!persistence::is_postgresql(db_path)) {
    auto db = persistence::open_writer(db_path);
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");  // what was loaded is now on disk
  }
  return report;
}

ImportReport import_file(const ImportFileOptions& options, std::ostream& out,
                         std::ostream& errors) {
  std::ifstream in(options.input);
  if (!in) throw std::runtime_error("cannot read " + options.input);
  std::size_t total = 0;
  if (options.progress_bar) {
    total = static_cast<std::size_t>(
        std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
    in.clear();
    in.seekg(0);
  }
  auto progress = [&](std::size_t done) {
    if (!options.progress_bar || total == 0) return;
    const std::size_t width = 40;
    const std::size_t filled = width * std::min(done, total) / total;
    errors << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done
           << "/" << total << std::flush;
  };
  const auto started = std::chrono::steady_clock::now();
  const auto report = import_lines(options.db_path, in, errors, progress);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  if (options.progress_bar) errors << "\n";
  out << "imported " << report.recorded << " new of " << report.lines << " lines ("
      << report.already << " already recorded; " << report.events << " events) in " << took.count()
      << " s; " << report.refused << " refused\n";
  return report;
}

}  // namespace careledger::tools
