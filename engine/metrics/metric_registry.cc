#include "engine/metrics/metric_registry.h"

namespace stampede {

MetricRegistry::MetricRegistry() {
  defs_ = {
      {"http_reqs", MetricType::kCounter, false},
      {"http_req_duration", MetricType::kTrend, true},
      {"http_req_blocked", MetricType::kTrend, true},
      {"http_req_connecting", MetricType::kTrend, true},
      {"http_req_tls_handshaking", MetricType::kTrend, true},
      {"http_req_sending", MetricType::kTrend, true},
      {"http_req_waiting", MetricType::kTrend, true},
      {"http_req_receiving", MetricType::kTrend, true},
      {"http_req_failed", MetricType::kRate, false},
      {"iterations", MetricType::kCounter, false},
      {"iteration_duration", MetricType::kTrend, true},
      {"dropped_iterations", MetricType::kCounter, false},
      {"checks", MetricType::kRate, false},
      {"data_sent", MetricType::kCounter, false},
      {"data_received", MetricType::kCounter, false},
      {"group_duration", MetricType::kTrend, true},
  };
}

bool valid_metric_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

Result<int> MetricRegistry::add(std::string_view name, MetricType type, bool is_time) {
  if (!valid_metric_name(name)) {
    return Error("invalid metric name '" + std::string(name) +
                 "': use letters, digits and _ (not starting with a digit), at most 128");
  }
  if (auto id = find(name)) {
    const MetricDef& d = defs_[*id];
    if (d.type != type) {
      return Error("metric '" + std::string(name) + "' is already a " +
                   std::string(metric_type_name(d.type)) + ", cannot redefine it as a " +
                   std::string(metric_type_name(type)));
    }
    return *id;
  }
  if (frozen_) {
    return Error("metric '" + std::string(name) +
                 "' was not declared in the init code: create metrics at the top level of the "
                 "script");
  }
  defs_.push_back(MetricDef{std::string(name), type, is_time});
  return static_cast<int>(defs_.size() - 1);
}

std::optional<int> MetricRegistry::find(std::string_view name) const {
  for (size_t i = 0; i < defs_.size(); ++i) {
    if (defs_[i].name == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

}  // namespace stampede
