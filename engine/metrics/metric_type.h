// The four kinds of metric, with k6's meaning:
//   counter: a cumulative sum (http_reqs, data_sent);
//   gauge:   the last value, with min and max (vus);
//   rate:    the share of non-zero samples (http_req_failed, checks);
//   trend:   a distribution of values kept in an HDR histogram (http_req_duration).
#pragma once

#include <string_view>

namespace stampede {

enum class MetricType { kCounter, kGauge, kRate, kTrend };

inline std::string_view metric_type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kRate:
      return "rate";
    case MetricType::kTrend:
      return "trend";
  }
  return "unknown";
}

}  // namespace stampede
