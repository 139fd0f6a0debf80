#include "engine/run/threshold_eval.h"

namespace stampede {

double threshold_observed(const ThresholdExpr& expr, const MetricValue& v, Nanos elapsed) {
  using A = ThresholdExpr::Aggregation;
  double seconds = static_cast<double>(elapsed) / kNanosPerSecond;
  switch (expr.aggregation) {
    case A::kCount:
      return v.type == MetricType::kCounter ? v.sum : static_cast<double>(v.count);
    case A::kRate:
      if (v.type == MetricType::kCounter) return seconds > 0 ? v.sum / seconds : 0;
      return v.ratio();
    case A::kValue:
      return v.last;
    case A::kAvg:
      return v.avg();
    case A::kMin:
      return v.min;
    case A::kMax:
      return v.max;
    case A::kMed:
      return v.percentile(50);
    case A::kPercentile:
      return v.percentile(expr.percentile);
  }
  return 0;
}

std::vector<ThresholdResult> evaluate_thresholds(const RunPlan& plan,
                                                 const MetricsAggregate& metrics, Nanos elapsed) {
  std::vector<ThresholdResult> out;
  for (const ThresholdPlan& tp : plan.thresholds) {
    auto id = metrics.registry().find(tp.selector.metric);
    MetricValue value;
    if (id) value = metrics.combine(*id, tp.selector.tags);
    for (const ThresholdRule& rule : tp.rules) {
      ThresholdResult r;
      r.metric_key = tp.selector.canonical();
      r.expression = rule.expr.source;
      r.abort_on_fail = rule.abort_on_fail;
      r.no_samples = value.count == 0;
      r.observed = threshold_observed(rule.expr, value, elapsed);
      // As in k6, a threshold whose selector matched nothing passes (and says so).
      r.passed = r.no_samples || rule.expr.evaluate(r.observed);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace stampede
