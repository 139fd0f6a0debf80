#include "engine/output/results_json.h"

#include <cmath>
#include <ctime>

#include "engine/metrics/hdr_codec.h"
#include "engine/metrics/metric_type.h"
#include "engine/run/result_views.h"
#include "reports/results_schema.h"

namespace stampede {
namespace {

using nlohmann::json;

double seconds(Nanos n) {
  return static_cast<double>(n) / kNanosPerSecond;
}

std::string iso8601(int64_t unix_ms) {
  time_t t = static_cast<time_t>(unix_ms / 1000);
  tm utc{};
  gmtime_r(&t, &utc);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(unix_ms % 1000));
  return out;
}

json run_info(const RunResult& r) {
  json scenarios = json::array();
  if (r.plan != nullptr) {
    for (const ScenarioPlan& s : r.plan->scenarios) {
      scenarios.push_back({{"name", s.name},
                           {"executor", executor_name(s.executor)},
                           {"exec", s.exec},
                           {"start_time_s", seconds(s.start_time)},
                           {"planned_duration_s", seconds(s.active_duration())},
                           {"peak_vus", s.peak_vus()}});
    }
  }
  const std::string segment =
      r.plan != nullptr ? r.plan->segment.segment().to_string() : std::string("0:1");
  const std::string sequence =
      r.plan != nullptr ? r.plan->segment.sequence().to_string() : std::string("0,1");
  return {{"script", r.script},
          {"scenarios", scenarios},
          {"execution_segment", segment},
          {"execution_segment_sequence", sequence},
          {"start_unix_ms", r.start_unix_ms},
          {"start_time", iso8601(r.start_unix_ms)},
          {"duration_s", seconds(r.duration)},
          {"planned_duration_s", r.plan != nullptr ? seconds(r.plan->planned_duration()) : 0.0},
          {"outcome", run_outcome_name(r.outcome)},
          {"outcome_detail", r.outcome_detail},
          {"stampede_version", "0.1.0"},
          {"vus_max", r.vus_max},
          {"interrupted_iterations", r.interrupted_iterations},
          {"series_overflow", r.series_overflow}};
}

json timeline(const RunResult& r) {
  json out = json::array();
  for (const TimePoint& p : r.timeline) {
    out.push_back({{"t", p.t},
                   {"requests", p.requests},
                   {"failed", p.failed},
                   {"iterations", p.iterations},
                   {"dropped", p.dropped},
                   {"vus", p.vus},
                   {"p50", p.p50},
                   {"p90", p.p90},
                   {"p95", p.p95},
                   {"p99", p.p99},
                   {"max", p.max},
                   {"cpu_percent", p.cpu_percent},
                   {"cpu_wait_percent", p.cpu_wait_percent},
                   {"loop_lag_ms", p.loop_lag_ms},
                   {"schedule_lag_p99_ms", p.schedule_lag_p99_ms}});
  }
  return out;
}

// Compact: one array per bucket, [requests, failed, latency class counts...].
json fine_timeline(const FineTimeline& f) {
  json buckets = json::array();
  for (const FineBucket& b : f.buckets()) {
    json row = json::array({b.requests, b.failed});
    for (int64_t n : b.latency) row.push_back(n);
    buckets.push_back(std::move(row));
  }
  json bounds = json::array();
  for (double b : kFineLatencyBoundsMs) {
    if (std::isfinite(b) && b < 1e299) bounds.push_back(b);
  }
  return {{"bucket_s", FineTimeline::kBucketSeconds},
          {"latency_bounds_ms", bounds},
          {"buckets", buckets}};
}

json metric_values(const MetricDef& def, const MetricValue& v, double run_s) {
  switch (def.type) {
    case MetricType::kCounter:
      return {{"count", v.sum}, {"rate", run_s > 0 ? v.sum / run_s : 0.0}};
    case MetricType::kRate:
      return {{"passes", static_cast<int64_t>(v.sum)},
              {"fails", v.count - static_cast<int64_t>(v.sum)},
              {"rate", v.ratio()}};
    case MetricType::kGauge:
      return {{"value", v.last}, {"min", v.min}, {"max", v.max}};
    case MetricType::kTrend:
      return {{"count", v.count},
              {"avg", v.avg()},
              {"min", v.min},
              {"med", v.percentile(50)},
              {"max", v.max},
              {"p90", v.percentile(90)},
              {"p95", v.percentile(95)},
              {"p99", v.percentile(99)},
              {"p99_9", v.percentile(99.9)}};
  }
  return json::object();
}

json metrics(const RunResult& r) {
  const MetricRegistry& reg = r.metrics->registry();
  double run_s = seconds(r.duration);
  json out = json::array();
  for (const auto& s : r.metrics->series()) {
    const MetricDef& def = reg.def(s.metric);
    json tags = json::object();
    for (const Tag& t : s.tags->tags()) tags[t.first] = t.second;
    out.push_back({{"metric", def.name},
                   {"type", std::string(metric_type_name(def.type))},
                   {"unit", def.is_time ? "ms" : ""},
                   {"tags", tags},
                   {"values", metric_values(def, s.value, run_s)}});
  }
  return out;
}

// The http_req_duration distribution over the whole run: percentiles spaced evenly on a
// 1/(1 - p) scale (as HdrHistogram's percentile plots), and the histogram itself (V2, base64).
json latency_distribution(const RunResult& r) {
  MetricValue all = r.metrics->combine(kHttpReqDuration, {});
  json points = json::array();
  if (all.hist && !all.hist->empty()) {
    for (int i = 0; i <= 68; ++i) {  // 1 - 0.5^(i/4): 0 .. 99.9992
      double p = 100.0 * (1.0 - std::pow(0.5, i / 4.0));
      points.push_back({{"percentile", p}, {"ms", all.percentile(p)}});
    }
    points.push_back({{"percentile", 100.0}, {"ms", all.max}});
  }
  return {{"metric", "http_req_duration"},
          {"count", all.count},
          {"unit", "ms"},
          {"histogram_unit", "us"},
          {"percentiles", points},
          {"histogram_base64", all.hist ? encode_compressed_base64(*all.hist) : ""}};
}

json requests(const RunResult& r) {
  json out = json::array();
  for (const RequestStats& s : request_stats(r)) {
    out.push_back({{"name", s.name},
                   {"requests", s.requests},
                   {"failed", s.failed},
                   {"error_rate", s.error_rate},
                   {"rps", s.requests_per_second},
                   {"avg", s.avg},
                   {"min", s.min},
                   {"p50", s.p50},
                   {"p90", s.p90},
                   {"p95", s.p95},
                   {"p99", s.p99},
                   {"max", s.max}});
  }
  return out;
}

json thresholds(const RunResult& r) {
  json out = json::array();
  const MetricRegistry& reg = r.metrics->registry();
  for (const ThresholdResult& t : r.thresholds) {
    // Time trends compare milliseconds, except count(), which counts samples.
    auto id = reg.find(t.metric_key.substr(0, t.metric_key.find('{')));
    bool ms = id && reg.def(*id).is_time && t.expression.rfind("count", 0) != 0;
    out.push_back({{"metric", t.metric_key},
                   {"expression", t.expression},
                   {"observed", t.observed},
                   {"unit", ms ? "ms" : ""},
                   {"passed", t.passed},
                   {"no_samples", t.no_samples},
                   {"abort_on_fail", t.abort_on_fail}});
  }
  return out;
}

json generator(const GeneratorStats& g) {
  return {
      {"workers", g.workers},
      {"cpu_busiest_avg_percent", g.cpu_busiest_avg_percent},
      {"cpu_busiest_max_percent", g.cpu_busiest_max_percent},
      {"process_cpu_percent", g.process_cpu_percent},
      {"cpu_wait_avg_percent", g.cpu_wait_avg_percent},
      {"cpu_wait_max_percent", g.cpu_wait_max_percent},
      {"loop_lag_avg_ms", g.loop_lag_avg_ms},
      {"loop_lag_max_ms", g.loop_lag_max_ms},
      {"schedule_lag_samples", g.schedule_lag_samples},
      {"schedule_lag_p50_ms", g.schedule_lag_p50_ms},
      {"schedule_lag_p99_ms", g.schedule_lag_p99_ms},
      {"schedule_lag_max_ms", g.schedule_lag_max_ms},
      {"limits",
       {{"cpu_percent", kBottleneckCpuPercent}, {"schedule_lag_p99_ms", kBottleneckScheduleLagMs}}},
      {"bottleneck", g.bottleneck},
      {"reasons", g.reasons}};
}

json verdict(const RunResult& r, int exit_code) {
  json reasons = json::array();
  if (r.outcome != RunOutcome::kCompleted) {
    reasons.push_back(std::string("run ") + run_outcome_name(r.outcome) +
                      (r.outcome_detail.empty() ? "" : ": " + r.outcome_detail));
  }
  for (const ThresholdResult& t : r.thresholds) {
    if (!t.passed) reasons.push_back("threshold failed: " + t.metric_key + " " + t.expression);
  }
  for (const ValidationResult& v : r.resilience.validations) {
    if (!v.passed) reasons.push_back("validation failed: " + v.name + ": " + v.summary);
  }
  return {{"passed", exit_code == 0},
          {"exit_code", exit_code},
          {"thresholds_passed", r.thresholds_passed()},
          {"validations_passed", r.resilience.validations_passed()},
          {"generator_bottleneck", r.generator.bottleneck},
          {"reasons", reasons}};
}

// How `stampede merge` put the result together (absent for a single run).
json merge_info(const MergeInfo& m) {
  json inputs = json::array();
  for (const MergeInput& in : m.inputs) {
    inputs.push_back({{"dir", in.dir},
                      {"segment", in.segment},
                      {"outcome", in.outcome},
                      {"requests", in.requests},
                      {"errors", in.errors},
                      {"iterations", in.iterations},
                      {"seconds", in.seconds}});
  }
  return {{"inputs", inputs},
          {"coverage",
           {{"sequence", m.sequence},
            {"covered", m.covered},
            {"complete", m.missing.empty()},
            {"missing", m.missing}}},
          {"warnings", m.warnings}};
}

}  // namespace

json render_results_json(const RunResult& result, int exit_code) {
  json checks = json::array();
  for (const CheckResult& c : check_results(result)) {
    checks.push_back(
        {{"group", c.group}, {"name", c.name}, {"passes", c.passes}, {"fails", c.fails}});
  }
  json errors = json::array();
  for (const ScriptErrorCount& e : result.script_errors) {
    errors.push_back({{"message", e.message}, {"count", e.count}, {"traceback", e.traceback}});
  }
  json doc = {{"schema", kResultsSchema},
              {"version", kResultsVersion},
              {"run", run_info(result)},
              {"verdict", verdict(result, exit_code)},
              {"timeline", timeline(result)},
              {"fine_timeline", fine_timeline(result.fine_timeline)},
              {"metrics", metrics(result)},
              {"requests", requests(result)},
              {"latency_distribution", latency_distribution(result)},
              {"thresholds", thresholds(result)},
              {"checks", checks},
              {"script_errors", errors},
              {"generator", generator(result.generator)}};
  json resilience = render_resilience_json(result.resilience);
  for (auto& [key, value] : resilience.items()) doc[key] = value;
  if (result.merge) doc["merge"] = merge_info(*result.merge);
  return doc;
}

}  // namespace stampede
