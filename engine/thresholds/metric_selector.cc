#include "engine/thresholds/metric_selector.h"

#include <algorithm>

namespace stampede {
namespace {

constexpr size_t kMaxMetricNameLength = 128;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim_chars(std::string_view s, bool (*drop)(char)) {
  while (!s.empty() && drop(s.front())) s.remove_prefix(1);
  while (!s.empty() && drop(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim_space(std::string_view s) {
  return trim_chars(s, is_space);
}

// k6: strings.Trim(strings.TrimSpace(s), `"'`) — whitespace first, then quote characters.
std::string_view unquote(std::string_view s) {
  return trim_chars(trim_space(s), [](char c) { return c == '"' || c == '\''; });
}

Error invalid(std::string_view text, const std::string& why) {
  return Error("invalid metric selector '" + std::string(text) + "': " + why);
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxMetricNameLength) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

std::string MetricSelector::canonical() const {
  std::string out = metric;
  if (tags.empty()) return out;
  out.push_back('{');
  for (size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += tags[i].first;
    out.push_back(':');
    out += tags[i].second;
  }
  out.push_back('}');
  return out;
}

Result<MetricSelector> parse_metric_selector(std::string_view text) {
  const std::string_view s = trim_space(text);
  const size_t open = s.find('{');
  const size_t close = s.rfind('}');
  if ((open == std::string_view::npos) != (close == std::string_view::npos)) {
    return invalid(text, "unmatched '{' or '}'");
  }

  MetricSelector selector;
  selector.metric = std::string(trim_space(s.substr(0, open)));
  if (!is_valid_metric_name(selector.metric)) {
    return invalid(text, "metric name '" + selector.metric +
                             "' must be letters, digits and '_', not starting with a digit, at "
                             "most 128 characters");
  }
  if (open == std::string_view::npos) return selector;
  if (close < open) return invalid(text, "'}' before '{'");
  if (close != s.size() - 1) return invalid(text, "text after the closing '}'");

  std::string_view body = s.substr(open + 1, close - open - 1);
  while (true) {
    const size_t comma = body.find(',');
    const std::string_view part = body.substr(0, comma);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos || trim_space(part.substr(colon + 1)).empty()) {
      if (trim_space(part).empty()) return invalid(text, "empty tag filter");
      return invalid(text, "tag '" + std::string(trim_space(part)) + "' must be written key:value");
    }
    const std::string key(unquote(part.substr(0, colon)));
    const std::string value(unquote(part.substr(colon + 1)));
    if (key.empty()) return invalid(text, "tag '" + std::string(trim_space(part)) + "' has no key");

    auto it = std::lower_bound(selector.tags.begin(), selector.tags.end(), key,
                               [](const auto& tag, const std::string& k) { return tag.first < k; });
    if (it != selector.tags.end() && it->first == key) {
      if (it->second != value) {
        return invalid(text, "tag '" + key + "' is given twice with different values");
      }
    } else {
      selector.tags.insert(it, {key, value});
    }
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  return selector;
}

}  // namespace stampede
