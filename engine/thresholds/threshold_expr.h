// One threshold condition, k6 syntax: `AGG OP VALUE`, e.g. "p(99)<800", "rate<0.01", "count>=10".
//
//   AGG   := count | rate | value | avg | min | max | med | p(N)    N a number in [0, 100]
//   OP    := < | <= | > | >= | == | === | !=                         (=== means ==)
//   VALUE := [+-]? digits [. digits] [e [+-] digits]                 (also ".5")
// Whitespace around the three parts (and inside p( N )) is ignored. This follows k6's
// metrics/thresholds_parser.go, where the value is read with Go's strconv.ParseFloat; stampede
// accepts only plain decimal numbers (no "Inf", "NaN", hex or "_").
//
// What the aggregation reads, per metric type (k6 metrics/thresholds.go, Thresholds.Run):
//   counter: count = the sum, rate = the sum per second of test time;
//   gauge:   value = the last value;
//   rate:    rate = non-zero samples / samples (no samples: not evaluated, the threshold passes);
//   trend:   avg, min, max, med, p(N) over the samples.
// ThresholdExpr is a plain value: copyable, immutable after parsing, safe to share across threads.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "engine/metrics/metric_type.h"

namespace stampede {

struct ThresholdExpr {
  enum class Aggregation { kCount, kRate, kValue, kAvg, kMin, kMax, kMed, kPercentile };
  enum class Op { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

  Aggregation aggregation = Aggregation::kAvg;
  double percentile = 0;  // in [0, 100]; meaningful only for kPercentile
  Op op = Op::kLess;
  double target = 0;
  std::string source;  // the expression as written, for reports ("p(99)<800")

  // True when `observed OP target` holds. Comparisons are IEEE: a NaN observation passes only !=.
  bool evaluate(double observed) const;

  // Whether this aggregation exists for the metric type (counter: count, rate; gauge: value;
  // rate: rate; trend: avg, min, max, med, p(N)). Callers reject the threshold otherwise.
  bool valid_for(MetricType type) const;

  // The aggregation as k6 names it in summaries: "avg", "count", "p(99.9)" (shortest %g form).
  std::string aggregation_name() const;
};

// The operator as written canonically ("<", "<=", ">", ">=", "==", "!=").
std::string_view op_symbol(ThresholdExpr::Op op);

// Parses one threshold expression. Errors name the input, e.g.
// "invalid threshold 'p99<800': expected p(N), avg, min, max, med, count, rate or value".
Result<ThresholdExpr> parse_threshold_expr(std::string_view text);

}  // namespace stampede
