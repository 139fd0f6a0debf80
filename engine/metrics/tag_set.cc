#include "engine/metrics/tag_set.h"

#include <algorithm>

namespace stampede {

TagSet::TagSet(std::vector<Tag> tags) {
  std::stable_sort(tags.begin(), tags.end(),
                   [](const Tag& a, const Tag& b) { return a.first < b.first; });
  for (auto& tag : tags) {
    if (!tags_.empty() && tags_.back().first == tag.first) {
      tags_.back().second = std::move(tag.second);
    } else {
      tags_.push_back(std::move(tag));
    }
  }
  uint64_t h = fnv1a("");
  for (const Tag& tag : tags_) {
    h = fnv1a(tag.first, h);
    h = fnv1a(std::string_view("\0", 1), h);
    h = fnv1a(tag.second, h);
    h = fnv1a(std::string_view("\1", 1), h);
  }
  hash_ = h;
}

const std::string* TagSet::find(std::string_view key) const {
  for (const Tag& tag : tags_) {
    if (tag.first == key) return &tag.second;
  }
  return nullptr;
}

std::string TagSet::to_string() const {
  std::string out = "{";
  for (size_t i = 0; i < tags_.size(); ++i) {
    if (i > 0) out += ", ";
    out += tags_[i].first + ":" + tags_[i].second;
  }
  return out + "}";
}

}  // namespace stampede
