// Test-only: writes real interval logs (through IntervalRecorder, as a run does) from synthetic
// worker snapshots, so the reader and the merge are tested on what a run writes.
#pragma once

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/fleet/interval_recorder.h"
#include "engine/fleet/run_header.h"
#include "engine/metrics/hdr_histogram.h"

namespace stampede::fleet_test {

// One worker-second of load: request latencies (ms), how many failed, iterations.
struct Second {
  std::vector<double> latencies_ms;
  int64_t failed = 0;
  int64_t iterations = 0;
};

// A snapshot of worker `worker` for `second` with http_reqs, http_req_failed, iterations and
// http_req_duration series tagged name=home.
inline IntervalSnapshot make_snapshot(int worker, int64_t second, const Second& s,
                                      const TagSetPtr& tags) {
  IntervalSnapshot snap;
  snap.worker = worker;
  snap.second = second;
  snap.start = (second - 1) * kNanosPerSecond;
  snap.end = second * kNanosPerSecond;
  snap.cpu = 200 * kNanosPerMilli;
  snap.vus = 1;
  const int64_t n = static_cast<int64_t>(s.latencies_ms.size());
  SeriesDelta reqs{kHttpReqs, tags, n, static_cast<double>(n), 1, 1, {}};
  SeriesDelta failed{kHttpReqFailed, tags, n, static_cast<double>(s.failed), 0, 1, {}};
  SeriesDelta iters{kIterations, tags, s.iterations, static_cast<double>(s.iterations), 1, 1, {}};
  SeriesDelta dur{kHttpReqDuration, tags, n, 0, 0, 0, {}};
  HdrHistogram h(1, kTimeTrendHighest, 3);
  for (size_t i = 0; i < s.latencies_ms.size(); ++i) {
    double v = s.latencies_ms[i];
    dur.sum += v;
    dur.min = i == 0 ? v : std::min(dur.min, v);
    dur.max = i == 0 ? v : std::max(dur.max, v);
    h.record(static_cast<int64_t>(v * kTrendScale));
  }
  h.export_nonzero(dur.buckets);
  snap.series = {reqs, failed, iters, dur};
  FineBucket b;
  b.requests = n;
  b.failed = s.failed;
  snap.fine_first = (second - 1) * 10;
  snap.fine = {b};
  return snap;
}

struct LogSpec {
  std::string script_path;  // hashed into the header
  std::string segment = "0:1";
  std::string sequence;
  std::vector<std::string> thresholds;  // "http_reqs:count<150" (selector:expression)
  // per worker, per second (second k is index k-1)
  std::vector<std::vector<Second>> workers;
  bool footer = true;
  bool chaos = false;  // the footer records a chaos event
};

// Writes `dir`/intervals.pb for `spec`; returns false when the log could not be written.
inline bool write_log(const std::string& dir, const LogSpec& spec) {
  std::filesystem::create_directories(dir);
  MetricRegistry registry;
  registry.freeze();
  RunPlan plan;
  ScenarioPlan sc;
  sc.name = "default";
  sc.vus = 3;
  sc.duration = 3 * kNanosPerSecond;
  plan.scenarios.push_back(sc);
  for (const std::string& t : spec.thresholds) {
    size_t colon = t.find(':');
    ThresholdPlan tp;
    tp.selector = parse_metric_selector(t.substr(0, colon)).value();
    ThresholdRule rule;
    rule.expr = parse_threshold_expr(t.substr(colon + 1)).value();
    tp.rules.push_back(rule);
    plan.thresholds.push_back(tp);
  }
  auto writer = IntervalLogWriter::open(dir + "/intervals.pb");
  if (!writer.ok()) return false;
  const int workers = static_cast<int>(spec.workers.size());
  IntervalRecorder rec(std::move(writer).value(), registry, workers);
  RunHeaderInput in;
  in.script_path = spec.script_path;
  in.plan = &plan;
  in.registry = &registry;
  in.execution_segment = spec.segment;
  in.execution_segment_sequence = spec.sequence;
  in.start_unix_ms = 1'700'000'000'000;
  in.workers = workers;
  rec.write_header(make_run_header(in));
  auto tags = std::make_shared<const TagSet>(std::vector<Tag>{{"name", "home"}});
  size_t seconds = 0;
  for (const auto& w : spec.workers) seconds = std::max(seconds, w.size());
  for (size_t s = 0; s < seconds; ++s) {
    for (int w = 0; w < workers; ++w) {
      if (s >= spec.workers[w].size()) continue;
      IntervalSnapshot snap =
          make_snapshot(w, static_cast<int64_t>(s + 1), spec.workers[w][s], tags);
      snap.final = s + 1 == spec.workers[w].size();
      rec.add(snap);
    }
  }
  rec.finish();
  if (spec.footer) {
    RunResult result;
    result.duration = static_cast<Nanos>(seconds) * kNanosPerSecond;
    result.vus_max = workers;
    if (spec.chaos) {
      result.resilience.chaos_events.push_back(
          ChaosEvent{1.0, "pod-kill#1", "pod-kill", "applied", "cart", {"cart-1"}, ""});
    }
    rec.write_footer(result);
  }
  return rec.status().ok();
}

}  // namespace stampede::fleet_test
