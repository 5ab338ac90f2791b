#pragma once
// Results computed from the read models, kept until the log moves on. Every entry belongs to
// the log position of the snapshot it was computed on, and is found only by a request whose
// own snapshot has that same position: any append (a correction included) moves the position,
// so a result served from here is exactly what computing it afresh would give.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace careledger::services {

class ResultCache {
 public:
  explicit ResultCache(std::size_t capacity = 256) : capacity_(capacity) {}

  // `compute` runs outside the lock; two requests that miss together both compute.
  template <typename Value, typename Compute>
  std::shared_ptr<const Value> get(const std::string& key, std::int64_t position,
                                   Compute&& compute) {
    if (auto hit = find<Value>(key, position)) return hit;
    auto value = std::make_shared<const Value>(compute());
    keep(key, position, value);
    return value;
  }

  // What is kept under `key` at `position`, if anything. `Value` must be the type it was kept as.
  template <typename Value>
  std::shared_ptr<const Value> find(const std::string& key, std::int64_t position) {
    return std::static_pointer_cast<const Value>(find_any(key, position));
  }

 private:
  std::shared_ptr<const void> find_any(const std::string& key, std::int64_t position);
  void keep(const std::string& key, std::int64_t position, std::shared_ptr<const void> value);

  std::size_t capacity_;
  std::mutex mutex_;
  std::int64_t position_ = -1;  // the newest position seen; entries are all of it
  std::unordered_map<std::string, std::shared_ptr<const void>> entries_;
};

}  // namespace careledger::services
