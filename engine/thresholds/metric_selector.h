// The key of a thresholds entry: a metric name with an optional tag filter (a k6 "submetric").
//
//   "http_req_duration"                            every sample of the metric
//   "http_req_duration{name:checkout}"             samples tagged name=checkout
//   "http_req_duration{name:checkout,method:GET}"  samples with both tags
//   "http_req_duration{ name : \"a b\" }"          spaces around keys/values are dropped, and so
//                                                  are surrounding quotes (" or ')
// Rules, from k6 (metrics/metric.go: ParseMetricName and AddSubmetric): '{' and a final '}' must
// pair up; the body splits on ',' (so values cannot contain ','), each part on its first ':'
// (values may contain ':'); each part needs a non-empty value; keys and values are trimmed of
// whitespace, then of any leading/trailing ' and " characters. Metric names follow k6's
// registry rule: [A-Za-z_][A-Za-z0-9_]*, at most 128 characters. Stampede is stricter than k6 in
// two places: an empty key is an error, and a key given twice with different values is an error
// (k6 silently keeps the last).
//
// A sample matches when, for every selector tag, the sample has that tag with an equal value
// (extra sample tags are ignored). MetricSelector is a plain value, safe to share across threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace stampede {

struct MetricSelector {
  std::string metric;
  std::vector<std::pair<std::string, std::string>> tags;  // sorted by key, keys unique

  // True when every tag of the selector is present in the sample with the same value.
  // `lookup(std::string_view key)` returns std::optional<std::string_view> (nullopt: no such tag).
  template <typename Lookup>
  bool matches(Lookup&& lookup) const {
    for (const auto& [key, value] : tags) {
      const std::optional<std::string_view> got = lookup(std::string_view(key));
      if (!got.has_value() || *got != value) return false;
    }
    return true;
  }

  // Normalised text, keys sorted, no spaces or quotes: "http_req_duration{method:GET,name:x}".
  // Two selectors that filter the same samples have the same canonical text.
  std::string canonical() const;
};

// True for names k6 accepts for metrics: [A-Za-z_][A-Za-z0-9_]*, 1 to 128 characters.
bool is_valid_metric_name(std::string_view name);

// Parses a thresholds key. Errors name the input, e.g.
// "invalid metric selector 'http_req_duration{name}': tag 'name' must be written key:value".
Result<MetricSelector> parse_metric_selector(std::string_view text);

}  // namespace stampede
