#include "reports/testing/sample_run.h"

#include "engine/output/results_json.h"

namespace stampede::testing {
namespace {

TagSetPtr tags_for(const std::string& name, const std::string& status) {
  return std::make_shared<const TagSet>(std::vector<Tag>{
      {"method", "GET"}, {"name", name}, {"scenario", "default"}, {"status", status}});
}

// One request series: `n` requests at about `ms` (spread ±20 %), `failed` of them failed.
void add_requests(MetricsAggregate& m, const std::string& name, const std::string& status,
                  int64_t n, int64_t failed, double ms) {
  TagSetPtr tags = tags_for(name, status);
  SeriesDelta reqs{kHttpReqs, tags, n, static_cast<double>(n), 0, 0, {}};
  SeriesDelta fail{kHttpReqFailed, tags, n, static_cast<double>(failed), 0, 1, {}};
  HdrHistogram h(1, kTimeTrendHighest, 3);
  double sum = 0, lo = 1e300, hi = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = ms * (0.8 + 0.4 * static_cast<double>(i % 100) / 99.0);
    if (i == n - 1) v = ms * 3;  // one slow outlier
    (void)h.record(static_cast<int64_t>(v * kTrendScale));
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  SeriesDelta dur{kHttpReqDuration, tags, n, sum, lo, hi, {}};
  h.export_nonzero(dur.buckets);
  m.merge({reqs, fail, dur});
}

void add_resilience(ResilienceResult& r, bool failing) {
  r.chaos_events = {
      {5.0, "pod-kill#1", "pod-kill", "requested", "cartservice", {}, ""},
      {5.1, "pod-kill#1", "pod-kill", "applied", "cartservice", {"cartservice-1"}, "SIGKILL"},
      {12.0, "fault#2", "fault", "applied", "paymentservice", {}, "error_rate=1"},
      {15.0, "fault#2", "fault", "reverted", "paymentservice", {}, "error_rate=0"},
  };
  r.chaos_spans = {{"pod-kill#1", "pod-kill", "cartservice", 5.1, 8.0},
                   {"fault#2", "fault", "paymentservice", 12.0, 15.0}};
  for (int t = 0; t <= 20; ++t) {
    int cart_ready = t >= 5 && t < 8 ? 1 : 2;
    r.platform_samples.push_back(
        {static_cast<double>(t), "cartservice", 2, cart_ready, 2, t >= 5 ? 1 : 0, 40});
    r.platform_samples.push_back({static_cast<double>(t), "frontend", t >= 10 ? 3 : 2,
                                  t >= 11 ? 3 : 2, t >= 10 ? 3 : 2, 0, 75});
  }
  r.platform_events = {{5.1, "killed", "cartservice", "cartservice-1", "SIGKILL by pod-kill#1"},
                       {7.9, "ready", "cartservice", "cartservice-1", "readiness probe passed"},
                       {10.0, "scaled", "frontend", "", "replicas 2 -> 3 (HPA)"}};
  r.phases = {{"baseline", 0, 5.1, 5000, 0, 1.0, 1.0},
              {"during pod-kill#1", 5.1, 8.0, 2900, 40, 0.9862, 0.9},
              {"recovery after pod-kill#1", 8.0, 12.0, 4000, 0, 1.0, 1.0},
              {"during fault#2", 12.0, 15.0, 3000, 3000, 0.0, 0.0}};
  ValidationResult avail{
      "availability during pod-kill#1",
      "availability",
      true,
      "98.62% of requests succeeded (min 95%)",
      {{"requests", "2900", -1}, {"failed", "40", -1}, {"first failure", "5.2 s", 5.2}}};
  ValidationResult recovery{
      "recovery after pod-kill#1",
      "recovery",
      !failing,
      failing ? "recovered after 2.9 s (within 2 s required)"
              : "recovered after 2.9 s (within 10 s)",
      {{"time to recover", "2.9 s", 8.0}, {"required", failing ? "2 s" : "10 s", -1}}};
  r.validations = {avail, recovery};
}

}  // namespace

std::unique_ptr<SampleRun> make_sample_run(const SampleOptions& o) {
  auto s = std::make_unique<SampleRun>();
  s->registry = std::make_unique<MetricRegistry>();
  s->plan = std::make_unique<RunPlan>();
  ScenarioPlan scenario;
  scenario.name = "default";
  scenario.executor = ExecutorKind::kConstantVus;
  scenario.vus = 10;
  scenario.duration = 20 * kNanosPerSecond;
  s->plan->scenarios.push_back(scenario);

  RunResult& r = s->result;
  r.script = "scenarios/sample.lua";
  r.plan = s->plan.get();
  r.start_unix_ms = 1'780'000'000'000;
  r.duration = 20 * kNanosPerSecond;
  r.vus_max = 10;
  r.metrics = std::make_unique<MetricsAggregate>(*s->registry);
  add_requests(*r.metrics, "home", "200", 12000, 0, 12 * o.latency_scale);
  add_requests(*r.metrics, "checkout", "200", 2000, 0, 80 * o.latency_scale);
  add_requests(*r.metrics, "checkout", "500", 100, 100, 5 * o.latency_scale);

  r.thresholds = {
      {"http_req_duration{name:home}", "p(99)<50", 14.3 * o.latency_scale, true, false, false},
      {"http_req_failed", "rate<0.01", o.failing ? 0.0071 : 0.0071, !o.failing, false, false}};
  if (o.failing) r.thresholds[1] = {"http_req_failed", "rate<0.001", 0.0071, false, false, false};

  for (int t = 1; t <= 20; ++t) {
    TimePoint p;
    p.t = t;
    p.requests = 705;
    p.failed = t >= 13 && t <= 15 ? 33 : 0;
    p.iterations = 700;
    p.vus = 10;
    p.p50 = 12 * o.latency_scale;
    p.p90 = 30 * o.latency_scale;
    p.p95 = 60 * o.latency_scale;
    p.p99 = 90 * o.latency_scale;
    p.max = 240 * o.latency_scale;
    p.cpu_percent = o.bottleneck ? 97 : 35 + t;
    p.loop_lag_ms = 0.2;
    r.timeline.push_back(p);
  }
  std::vector<FineBucket> fine(200);
  for (size_t i = 0; i < fine.size(); ++i) {
    fine[i].requests = 70;
    fine[i].failed = (i >= 52 && i < 60) ? 5 : (i >= 120 && i < 150 ? 11 : 0);
    fine[i].latency[static_cast<size_t>(fine_latency_class(12 * o.latency_scale))] = 60;
    fine[i].latency[static_cast<size_t>(fine_latency_class(80 * o.latency_scale))] = 10;
  }
  r.fine_timeline.merge(0, fine);

  r.generator.workers = 2;
  r.generator.cpu_busiest_avg_percent = o.bottleneck ? 97 : 45.5;
  r.generator.cpu_busiest_max_percent = o.bottleneck ? 99 : 55;
  r.generator.process_cpu_percent = 80;
  r.generator.loop_lag_max_ms = 0.2;
  if (o.bottleneck) {
    r.generator.bottleneck = true;
    r.generator.reasons = {"the busiest worker used 97% of a core on average (limit 85%)"};
  }
  if (o.resilience) add_resilience(r.resilience, o.failing);
  return s;
}

nlohmann::json sample_results_doc(const SampleOptions& options) {
  auto run = make_sample_run(options);
  bool passed = run->result.thresholds_passed() && run->result.resilience.validations_passed();
  return render_results_json(run->result, passed ? 0 : 99);
}

}  // namespace stampede::testing
