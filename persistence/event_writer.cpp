#include "persistence/event_writer.hpp"

#include <chrono>

#include <SQLiteCpp/Transaction.h>
#include <date/date.h>

#include "domain/calendar.hpp"
#include "persistence/database.hpp"
#include "persistence/pg_event_log.hpp"
#include "persistence/pg_schema.hpp"
#include "persistence/projections.hpp"

namespace careledger::persistence {

namespace {
constexpr std::size_t max_batch = 1024;
// A loaded file is committed every 100,000 appends: the running totals of the people it touched
// are derived and their steps summed once per commit, so fewer, larger commits write each
// day's, month's and year's sums fewer times (20,000 made an import 22% slower than before the
// totals; 100,000, 7%).
constexpr std::size_t bulk_commit_every = 100000;
}  // namespace

void default_projector(Connection& db, const EventRecord& record, Recount& recount) {
  project(db, record, recount);
}

std::string utc_now_rfc3339() {
  return rfc3339(std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

std::string rfc3339(std::chrono::sys_time<std::chrono::milliseconds> now) {
  // By hand, as domain::format_date: date::format goes through an ostream and a locale, and
  // every append is stamped.
  using namespace std::chrono;
  const auto day = floor<date::days>(now);
  const date::hh_mm_ss<milliseconds> time{now - day};
  const auto ms = time.subseconds().count();
  std::string out = domain::format_date(day) + "T00:00:00.000Z";
  auto two = [&](std::size_t at, long v) {
    out[at] = static_cast<char>('0' + v / 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  two(11, time.hours().count());
  two(14, time.minutes().count());
  two(17, time.seconds().count());
  out[20] = static_cast<char>('0' + ms / 100);
  out[21] = static_cast<char>('0' + ms / 10 % 10);
  out[22] = static_cast<char>('0' + ms % 10);
  return out;
}

std::unique_ptr<Appender> open_appender(const std::string& url, Projector projector, UtcNow now,
                                        std::size_t writers) {
  if (is_postgresql(url)) {
    {
      pg::Connection db(url);
      pg::check_store(db);
    }
    if (writers <= 1) return std::make_unique<pg::Writer>(url, std::move(projector));
    return std::make_unique<pg::Writers>(url, std::move(projector), writers);
  }
  return std::make_unique<EventWriter>(url, std::move(projector), std::move(now));
}

EventWriter::EventWriter(const std::string& path, Projector projector, UtcNow now)
    : db_(open_writer(path, Durability::full)),
      projector_(std::move(projector)),
      now_(std::move(now)) {
  thread_ = std::thread([this] { run(); });
}

EventWriter::~EventWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

AppendResult EventWriter::append(AppendRequest request) {
  Job job{std::move(request), {}, {}};
  auto result = job.done.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return result.get();
}

std::vector<AppendResult> EventWriter::append_all(std::vector<AppendRequest> requests) {
  std::vector<std::future<AppendResult>> pending;
  pending.reserve(requests.size());
  {
    std::lock_guard lock(mutex_);
    for (auto& request : requests) {
      Job job{std::move(request), {}, {}};
      pending.push_back(job.done.get_future());
      queue_.push_back(std::move(job));
    }
  }
  wake_.notify_one();
  std::vector<AppendResult> results;
  results.reserve(pending.size());
  for (auto& result : pending) results.push_back(result.get());
  return results;
}

void EventWriter::write(const std::function<void(Connection&)>& write) {
  Job job{{}, write, {}};
  auto result = job.done.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  result.get();
}

std::size_t EventWriter::queued() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void EventWriter::run() {
  for (;;) {
    std::deque<Job> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      while (!queue_.empty() && batch.size() < max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
  }
}

namespace {

// A savepoint on the writer's kept statements. SQLite::Savepoint would prepare three fresh
// statements per append (and its rollback leaves the savepoint open); this one prepares none
// after the first append, and a rollback also releases it.
class AppendSavepoint {
 public:
  explicit AppendSavepoint(Connection& db) : db_(db) {
    Prepared(db_, "SAVEPOINT append_job")->exec();
  }
  ~AppendSavepoint() {
    if (released_) return;
    try {
      Prepared(db_, "ROLLBACK TO append_job")->exec();
      Prepared(db_, "RELEASE append_job")->exec();
    } catch (...) {  // the enclosing transaction still rolls back or commits whole
    }
  }
  AppendSavepoint(const AppendSavepoint&) = delete;
  AppendSavepoint& operator=(const AppendSavepoint&) = delete;
  void release() {
    Prepared(db_, "RELEASE append_job")->exec();
    released_ = true;
  }

 private:
  Connection& db_;
  bool released_ = false;
};

// A write job inside the open transaction, alone in its savepoint like an append.
void apply_write(Connection& db, const std::function<void(Connection&)>& write) {
  AppendSavepoint savepoint(db);
  write(db);
  savepoint.release();
}

// One append inside the open transaction: if it or its projection fails, the savepoint rolls
// back what it wrote and the others in the transaction stand.
AppendResult apply(Connection& db, const Projector& projector, Recount& recount,
                   const AppendRequest& request, const std::string& recorded_at) {
  AppendSavepoint savepoint(db);
  auto result = append_in_transaction(db, request, recorded_at);
  if (auto* appended = std::get_if<Appended>(&result)) {
    for (const auto& record : appended->records) projector(db, record, recount);
  }
  savepoint.release();
  return result;
}

}  // namespace

BulkLoader::BulkLoader(const std::string& path, Projector projector, UtcNow now)
    : path_(path),
      db_(open_writer(path, Durability::bulk)),
      projector_(std::move(projector)),
      now_(std::move(now)) {}

BulkLoader::~BulkLoader() {
  try {
    commit();
  } catch (...) {
    // Not committed: a caller that wanted to know called commit() itself.
  }
}

AppendResult BulkLoader::append(AppendRequest request) {
  begin();
  auto result = apply(*db_, projector_, recount_, request, now_());
  if (const auto* appended = std::get_if<Appended>(&result)) {
    events_appended_ += appended->records.size();
  }
  if (++uncommitted_ >= bulk_commit_every) commit();
  return result;
}

void BulkLoader::write(const std::function<void(Connection&)>& write) {
  begin();
  apply_write(*db_, write);
}

void BulkLoader::begin() {
  if (open_) return;
  db_->exec("BEGIN IMMEDIATE");
  open_ = true;
}

void BulkLoader::commit() {
  if (!open_) return;
  recount_.run(*db_);
  db_->exec("COMMIT");
  open_ = false;
  uncommitted_ = 0;
}

void EventWriter::commit_batch(std::deque<Job>& batch) {
  std::vector<std::optional<AppendResult>> results(batch.size());
  std::vector<std::exception_ptr> failures(batch.size());
  try {
    Transaction tx(*db_, Transaction::Mode::write);
    const std::string recorded_at = now_();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        if (batch[i].write) {
          apply_write(*db_, batch[i].write);
          results[i] = Appended{};
        } else {
          results[i] = apply(*db_, projector_, recount_, batch[i].request, recorded_at);
        }
      } catch (...) {
        failures[i] = std::current_exception();
      }
    }
    recount_.run(*db_);
    tx.commit();
    ++commits_;
  } catch (...) {
    recount_ = Recount{};
    for (auto& job : batch) job.done.set_exception(std::current_exception());
    return;
  }
  for (const auto& result : results) {
    if (const auto* appended = result ? std::get_if<Appended>(&*result) : nullptr) {
      events_appended_ += appended->records.size();
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (failures[i]) {
      batch[i].done.set_exception(failures[i]);
    } else {
      batch[i].done.set_value(std::move(*results[i]));
    }
  }
}

}  // namespace careledger::persistence
