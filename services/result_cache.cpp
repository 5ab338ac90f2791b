#include "services/result_cache.hpp"

namespace careledger::services {

std::shared_ptr<const void> ResultCache::find_any(const std::string& key, std::int64_t position) {
  std::lock_guard lock(mutex_);
  if (position != position_) return nullptr;
  const auto found = entries_.find(key);
  return found == entries_.end() ? nullptr : found->second;
}

void ResultCache::keep(const std::string& key, std::int64_t position,
                       std::shared_ptr<const void> value) {
  std::lock_guard lock(mutex_);
  if (position < position_) return;  // computed on a snapshot older than one already seen
  if (position > position_) {
    entries_.clear();
    position_ = position;
  }
  if (entries_.size() >= capacity_) entries_.clear();
  entries_[key] = std::move(value);
}

}  // namespace careledger::services
