#include "engine/output/summary_text.h"

#include <algorithm>
#include <map>

#include "engine/output/format.h"
#include "engine/run/result_views.h"

namespace stampede {
namespace {

struct Painter {
  bool color;
  std::string green(const std::string& s) const { return color ? "\x1b[32m" + s + "\x1b[0m" : s; }
  std::string red(const std::string& s) const { return color ? "\x1b[31m" + s + "\x1b[0m" : s; }
  std::string dim(const std::string& s) const { return color ? "\x1b[2m" + s + "\x1b[0m" : s; }
};

std::string dotted(const std::string& name, size_t width = 34) {
  std::string out = name;
  if (out.size() < width) out.append(width - out.size(), '.');
  return out + ": ";
}

std::string trend_stats(const MetricValue& v) {
  auto fmt = [&](double x) { return v.is_time ? format_ms(x) : format_number(x, 3); };
  return "avg=" + fmt(v.avg()) + " min=" + fmt(v.min) + " med=" + fmt(v.percentile(50)) +
         " max=" + fmt(v.max) + " p(90)=" + fmt(v.percentile(90)) +
         " p(95)=" + fmt(v.percentile(95)) + " p(99)=" + fmt(v.percentile(99));
}

std::string metric_line(const MetricDef& def, const MetricValue& v, double seconds) {
  switch (def.type) {
    case MetricType::kCounter: {
      bool bytes = def.name == "data_sent" || def.name == "data_received";
      std::string total = bytes ? format_bytes(v.sum) : format_number(v.sum, 3);
      std::string rate =
          seconds > 0 ? (bytes ? format_bytes(v.sum / seconds) : format_number(v.sum / seconds, 3))
                      : "0";
      return total + "  " + rate + "/s";
    }
    case MetricType::kRate:
      return format_percent(v.ratio()) + "  ✓ " + format_number(v.sum, 0) + "  ✗ " +
             format_number(static_cast<double>(v.count) - v.sum, 0);
    case MetricType::kGauge:
      return format_number(v.last, 3) + "  min=" + format_number(v.min, 3) +
             " max=" + format_number(v.max, 3);
    case MetricType::kTrend:
      return trend_stats(v);
  }
  return "";
}

}  // namespace

std::string render_summary_text(const RunResult& result, const SummaryStyle& style) {
  Painter p{style.color};
  const MetricsAggregate& m = *result.metrics;
  const MetricRegistry& reg = m.registry();
  double seconds = static_cast<double>(result.duration) / kNanosPerSecond;
  std::string out = "\n";

  // Checks, by group then name.
  std::vector<CheckResult> checks = check_results(result);
  std::string current_group;
  for (const CheckResult& check : checks) {
    if (check.group != current_group) {
      current_group = check.group;
      out += "   █ " + current_group.substr(2) + "\n";
    }
    if (check.fails == 0) {
      out += "     " + p.green("✓ " + check.name) + "\n";
    } else {
      int64_t total = check.passes + check.fails;
      out += "     " + p.red("✗ " + check.name) + "\n";
      out += "      ↳  " + format_number(100.0 * static_cast<double>(check.passes) / total, 0) +
             "% — ✓ " + std::to_string(check.passes) + " / ✗ " + std::to_string(check.fails) + "\n";
    }
  }
  if (!checks.empty()) out += "\n";

  // Metrics with samples, by name, plus the sub-metrics thresholds name.
  std::map<std::string, int> by_name;
  for (const auto& s : m.series()) by_name[reg.def(s.metric).name] = s.metric;
  for (const auto& [name, id] : by_name) {
    MetricValue v = m.combine(id, {});
    out += "     " + dotted(name) + metric_line(reg.def(id), v, seconds) + "\n";
    for (const ThresholdPlan& tp : result.plan->thresholds) {
      if (tp.selector.metric != name || tp.selector.tags.empty()) continue;
      std::string label = "{ ";
      for (size_t i = 0; i < tp.selector.tags.size(); ++i) {
        if (i > 0) label += ", ";
        label += tp.selector.tags[i].first + ":" + tp.selector.tags[i].second;
      }
      label += " }";
      MetricValue sub = m.combine(id, tp.selector.tags);
      out += "       " + dotted(label, 32) + metric_line(reg.def(id), sub, seconds) + "\n";
    }
  }
  if (VusStats vus = vus_stats(result); vus.sampled) {
    out += "     " + dotted("vus") + std::to_string(vus.last) + "  min=" + std::to_string(vus.min) +
           " max=" + std::to_string(vus.max) + "\n";
  }
  out += "     " + dotted("vus_max") + std::to_string(result.vus_max) + "\n";
  if (result.interrupted_iterations > 0) {
    out += "     " + dotted("interrupted_iterations") +
           std::to_string(result.interrupted_iterations) + "\n";
  }

  if (!result.thresholds.empty()) {
    out += "\n   THRESHOLDS\n";
    for (const ThresholdResult& t : result.thresholds) {
      const MetricDef* def = nullptr;
      std::string metric = t.metric_key.substr(0, t.metric_key.find('{'));
      if (auto id = reg.find(metric)) def = &reg.def(*id);
      std::string observed = def && def->is_time && t.expression.rfind("count", 0) != 0
                                 ? format_ms(t.observed)
                                 : format_number(t.observed, 4);
      std::string line = (t.passed ? "✓ " : "✗ ") + t.metric_key + " '" + t.expression + "' " +
                         p.dim("observed " + observed) +
                         (t.no_samples ? p.dim(" (no samples)") : "");
      out += "     " + (t.passed ? p.green(line) : p.red(line)) + "\n";
    }
  }
  if (!result.script_errors.empty()) {
    out += "\n   SCRIPT ERRORS (the iterations went on)\n";
    for (const ScriptErrorCount& e : result.script_errors) {
      out += "     " + p.red(std::to_string(e.count) + " × " + e.message) + "\n";
    }
  }
  if (result.series_overflow) {
    out += "\n   " + p.red("note: the series cap was hit; some samples are under {overflow:true}") +
           "\n";
  }
  if (result.merge) {
    const MergeInfo& mi = *result.merge;
    out += "\n   MERGED " + std::to_string(mi.inputs.size()) + " RUNS (covering " + mi.covered +
           " of the test)\n";
    for (const MergeInput& in : mi.inputs) {
      out += "     " + in.segment + "  " + in.dir + "  requests=" + std::to_string(in.requests) +
             " errors=" + std::to_string(in.errors) +
             " iterations=" + std::to_string(in.iterations) + "  " + in.outcome + "\n";
    }
    for (const std::string& w : mi.warnings) out += "     " + p.red("warning: " + w) + "\n";
  }
  if (result.generator.bottleneck) {
    out += "\n   " + p.red("GENERATOR BOTTLENECK: latencies include stampede's own delay") + "\n";
    for (const std::string& reason : result.generator.reasons)
      out += "     " + p.red(reason) + "\n";
  }
  return out;
}

}  // namespace stampede
