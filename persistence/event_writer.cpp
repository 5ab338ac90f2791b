#include "persistence/event_writer.hpp"

#include <chrono>

#include <SQLiteCpp/Transaction.h>
#include <date/date.h>

#include "persistence/database.hpp"

namespace careledger::persistence {

namespace {
constexpr std::size_t max_batch = 1024;
}

std::string utc_now_rfc3339() {
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return date::format("%FT%TZ", now);
}

EventWriter::EventWriter(const std::string& path, Projector projector, UtcNow now,
                         Durability durability)
    : db_(open_writer(path, durability)), projector_(std::move(projector)), now_(std::move(now)) {
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
  Job job{std::move(request), {}};
  auto result = job.done.get_future();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return result.get();
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

void EventWriter::commit_batch(std::deque<Job>& batch) {
  std::vector<std::optional<AppendResult>> results(batch.size());
  std::vector<std::exception_ptr> failures(batch.size());
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    const std::string recorded_at = now_();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      db_->exec("SAVEPOINT append_job");
      try {
        auto result = append_in_transaction(*db_, batch[i].request, recorded_at);
        if (auto* appended = std::get_if<Appended>(&result)) {
          for (const auto& record : appended->records) projector_(*db_, record);
        }
        db_->exec("RELEASE append_job");
        results[i] = std::move(result);
      } catch (...) {
        db_->exec("ROLLBACK TO append_job");
        db_->exec("RELEASE append_job");
        failures[i] = std::current_exception();
      }
    }
    tx.commit();
  } catch (...) {
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
