#include "engine/output/summary_json.h"

#include <algorithm>
#include <map>

#include "engine/run/result_views.h"

namespace stampede {
namespace {

nlohmann::json metric_values(const MetricDef& def, const MetricValue& v, double seconds) {
  nlohmann::json out = nlohmann::json::object();
  switch (def.type) {
    case MetricType::kCounter:
      out["count"] = v.sum;
      out["rate"] = seconds > 0 ? v.sum / seconds : 0.0;
      break;
    case MetricType::kRate:
      out["passes"] = static_cast<int64_t>(v.sum);
      out["fails"] = v.count - static_cast<int64_t>(v.sum);
      out["value"] = v.ratio();
      break;
    case MetricType::kGauge:
      out["value"] = v.last;
      out["min"] = v.min;
      out["max"] = v.max;
      break;
    case MetricType::kTrend:
      out["avg"] = v.avg();
      out["min"] = v.min;
      out["med"] = v.percentile(50);
      out["max"] = v.max;
      out["p(90)"] = v.percentile(90);
      out["p(95)"] = v.percentile(95);
      out["p(99)"] = v.percentile(99);
      break;
  }
  return out;
}

}  // namespace

nlohmann::json render_summary_json(const RunResult& result) {
  const MetricsAggregate& m = *result.metrics;
  const MetricRegistry& reg = m.registry();
  double seconds = static_cast<double>(result.duration) / kNanosPerSecond;
  nlohmann::json metrics = nlohmann::json::object();
  std::map<std::string, int> by_name;
  for (const auto& s : m.series()) by_name[reg.def(s.metric).name] = s.metric;
  for (const auto& [name, id] : by_name) {
    metrics[name] = metric_values(reg.def(id), m.combine(id, {}), seconds);
  }
  if (VusStats vus = vus_stats(result); vus.sampled) {
    metrics["vus"] = {{"value", vus.last}, {"min", vus.min}, {"max", vus.max}};
  }
  metrics["vus_max"] = {
      {"value", result.vus_max}, {"min", result.vus_max}, {"max", result.vus_max}};
  // Thresholds on sub-metrics get their own entry, keyed as written in options.
  for (const ThresholdPlan& tp : result.plan->thresholds) {
    auto id = reg.find(tp.selector.metric);
    if (!id) continue;
    std::string key = tp.selector.canonical();
    if (!metrics.contains(key)) {
      metrics[key] = metric_values(reg.def(*id), m.combine(*id, tp.selector.tags), seconds);
    }
  }
  for (const ThresholdResult& t : result.thresholds) {
    metrics[t.metric_key]["thresholds"][t.expression] = !t.passed;
  }

  nlohmann::json checks = nlohmann::json::array();
  for (const CheckResult& check : check_results(result)) {
    checks.push_back({{"name", check.name},
                      {"path", check.group + "::" + check.name},
                      {"passes", check.passes},
                      {"fails", check.fails}});
  }

  nlohmann::json errors = nlohmann::json::array();
  for (const ScriptErrorCount& e : result.script_errors) {
    errors.push_back({{"message", e.message}, {"count", e.count}});
  }
  return {
      {"root_group", {{"name", ""}, {"path", ""}, {"checks", checks}}},
      {"options", {{"summaryTrendStats", {"avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"}}}},
      {"state", {{"testRunDurationMs", static_cast<double>(result.duration) / 1e6}}},
      {"metrics", metrics},
      {"stampede",
       {{"version", 1},
        {"script", result.script},
        {"outcome", run_outcome_name(result.outcome)},
        {"outcome_detail", result.outcome_detail},
        {"interrupted_iterations", result.interrupted_iterations},
        {"script_errors", errors}}},
  };
}

}  // namespace stampede
