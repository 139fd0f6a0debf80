// MetricRegistry: the names, types and ids of every metric in a run.
//
// Built-ins are registered by the constructor with fixed ids (BuiltinMetric). User metrics are
// added while the script's init code runs on the main thread; freeze() is called before the
// workers start, after which the registry is read-only and safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/metrics/metric_type.h"

namespace stampede {

enum BuiltinMetric : int {
  kHttpReqs,
  kHttpReqDuration,
  kHttpReqBlocked,
  kHttpReqConnecting,
  kHttpReqTlsHandshaking,
  kHttpReqSending,
  kHttpReqWaiting,
  kHttpReqReceiving,
  kHttpReqFailed,
  kIterations,
  kIterationDuration,
  kDroppedIterations,
  kChecks,
  kDataSent,
  kDataReceived,
  kGroupDuration,
  kBuiltinMetricCount,
};

struct MetricDef {
  std::string name;
  MetricType type;
  bool is_time;  // values are durations in milliseconds
};

class MetricRegistry {
 public:
  MetricRegistry();

  // Registers a user metric and returns its id. Registering the same name with the same type
  // again returns the existing id; a different type, an invalid name or a registry that is
  // frozen and lacks the name is an error.
  Result<int> add(std::string_view name, MetricType type, bool is_time);
  std::optional<int> find(std::string_view name) const;
  const MetricDef& def(int id) const { return defs_[id]; }
  int size() const { return static_cast<int>(defs_.size()); }
  void freeze() { frozen_ = true; }

 private:
  std::vector<MetricDef> defs_;
  bool frozen_ = false;
};

// True for names k6 accepts: [A-Za-z_][A-Za-z0-9_]{0,127}.
bool valid_metric_name(std::string_view name);

}  // namespace stampede
