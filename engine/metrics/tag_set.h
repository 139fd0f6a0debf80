// TagSet: an immutable, sorted list of key/value tags identifying one series of a metric.
//
// Tag sets are created once per distinct combination and shared by pointer (TagSetPtr) between a
// worker and the aggregator; being immutable they need no locking.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stampede {

using Tag = std::pair<std::string, std::string>;

class TagSet {
 public:
  TagSet() = default;
  // Sorts by key; a later duplicate key replaces an earlier one.
  explicit TagSet(std::vector<Tag> tags);

  const std::vector<Tag>& tags() const { return tags_; }
  // The value of `key`, or nullptr.
  const std::string* find(std::string_view key) const;
  uint64_t hash() const { return hash_; }
  bool operator==(const TagSet& other) const { return tags_ == other.tags_; }
  // "{method:GET, name:home}" for messages and the summary.
  std::string to_string() const;

 private:
  std::vector<Tag> tags_;
  uint64_t hash_ = 0;
};

using TagSetPtr = std::shared_ptr<const TagSet>;

// FNV-1a over bytes, chainable; used for tag-set and series keys.
inline uint64_t fnv1a(std::string_view bytes, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace stampede
