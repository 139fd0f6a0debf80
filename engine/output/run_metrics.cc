#include "engine/output/run_metrics.h"

#include <map>

#include "engine/metrics/metric_registry.h"

namespace stampede {
namespace {

namespace pm = prometheus;

// Latency buckets in seconds: 1 ms to 60 s.
std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

// Schedule lag buckets in seconds: 10 µs to 10 s.
std::vector<double> lag_buckets() {
  return {0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 10};
}

std::string tag(const TagSetPtr& tags, const char* key) {
  if (!tags) return "";
  const std::string* v = tags->find(key);
  return v != nullptr ? *v : "";
}

}  // namespace

RunMetrics::RunMetrics()
    : requests_(registry_.counter("stampede_http_reqs_total", "HTTP requests made.",
                                  {"scenario", "name", "method", "status"})),
      failed_(registry_.counter("stampede_http_req_failed_total",
                                "HTTP requests that failed (error or status outside 200-399).",
                                {"scenario", "name", "method", "status"})),
      duration_(registry_.histogram("stampede_http_req_duration_seconds",
                                    "HTTP request duration (coordinated omission corrected).",
                                    {"scenario", "name"}, latency_buckets())),
      iterations_(
          registry_.counter("stampede_iterations_total", "Iterations completed.", {"scenario"})),
      dropped_(registry_.counter("stampede_dropped_iterations_total",
                                 "Open-model iterations not started for lack of a free VU.",
                                 {"scenario"})),
      data_sent_(registry_.counter("stampede_data_sent_bytes_total", "Bytes sent.", {"scenario"})),
      data_received_(
          registry_.counter("stampede_data_received_bytes_total", "Bytes received.", {"scenario"})),
      vus_(registry_.gauge("stampede_vus", "VUs busy in an iteration.").with()),
      vus_max_(registry_.gauge("stampede_vus_max", "VUs initialized.").with()),
      elapsed_(
          registry_.gauge("stampede_run_elapsed_seconds", "Time since the run started.").with()),
      chaos_active_(
          registry_
              .gauge("stampede_chaos_actions_active", "Chaos actions applied and not yet reverted.")
              .with()),
      cpu_(registry_
               .gauge("stampede_generator_cpu_percent",
                      "CPU of the busiest worker thread in the last second, percent of one core.")
               .with()),
      loop_lag_(registry_
                    .gauge("stampede_generator_loop_lag_seconds",
                           "How late the latest worker interval tick fired in the last second.")
                    .with()),
      schedule_lag_(registry_
                        .histogram("stampede_generator_schedule_lag_seconds",
                                   "How late open-model iterations started after their schedule.",
                                   {}, lag_buckets())
                        .with()),
      scratch_(1, kTimeTrendHighest, 3) {}

void RunMetrics::declare_scenarios(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    for (auto* family : {&iterations_, &dropped_, &data_sent_, &data_received_}) {
      family->with({name}).inc(0);
    }
  }
}

void RunMetrics::on_snapshot(const IntervalSnapshot& snap) {
  for (const SeriesDelta& d : snap.series) {
    switch (d.metric) {
      case kHttpReqs:
      case kHttpReqFailed: {
        if (d.sum <= 0) break;
        auto& family = d.metric == kHttpReqs ? requests_ : failed_;
        family
            .with({tag(d.tags, "scenario"), tag(d.tags, "name"), tag(d.tags, "method"),
                   tag(d.tags, "status")})
            .inc(d.sum);
        break;
      }
      case kHttpReqDuration: {
        if (d.buckets.empty()) break;
        pm::Histogram& h = duration_.with({tag(d.tags, "scenario"), tag(d.tags, "name")});
        scratch_.reset();
        if (!scratch_.add_sparse(d.buckets).ok()) break;
        // HDR buckets are in µs; each lands at its midpoint (within HDR's 0.1 %).
        scratch_.for_each_recorded([&](int64_t lo, int64_t hi, int64_t n) {
          h.observe(static_cast<double>(lo + hi) / 2e6, static_cast<uint64_t>(n));
        });
        break;
      }
      case kIterations:
        iterations_.with({tag(d.tags, "scenario")}).inc(d.sum);
        break;
      case kDroppedIterations:
        dropped_.with({tag(d.tags, "scenario")}).inc(d.sum);
        break;
      case kDataSent:
        data_sent_.with({tag(d.tags, "scenario")}).inc(d.sum);
        break;
      case kDataReceived:
        data_received_.with({tag(d.tags, "scenario")}).inc(d.sum);
        break;
      default:
        break;
    }
  }
  if (!snap.schedule_lag.empty()) {
    scratch_.reset();
    if (scratch_.add_sparse(snap.schedule_lag).ok()) {
      scratch_.for_each_recorded([&](int64_t lo, int64_t hi, int64_t n) {
        schedule_lag_.observe(static_cast<double>(lo + hi) / 2e6, static_cast<uint64_t>(n));
      });
    }
  }
}

void RunMetrics::on_second(const ProgressInfo& info, const TimePoint* last,
                           const ResilienceResult& resilience) {
  vus_.set(static_cast<double>(info.vus));
  vus_max_.set(static_cast<double>(info.vus_max));
  elapsed_.set(static_cast<double>(info.elapsed) / kNanosPerSecond);
  if (last != nullptr) {
    cpu_.set(last->cpu_percent);
    loop_lag_.set(last->loop_lag_ms / 1000.0);
  }
  set_chaos_active(resilience);
}

void RunMetrics::finish(const RunResult& result) {
  vus_.set(0);
  vus_max_.set(static_cast<double>(result.vus_max));
  elapsed_.set(static_cast<double>(result.duration) / kNanosPerSecond);
  set_chaos_active(result.resilience);
}

void RunMetrics::set_chaos_active(const ResilienceResult& resilience) {
  // Applied and not reverted (or failed) yet, per action.
  std::map<std::string, bool> active;
  for (const ChaosEvent& e : resilience.chaos_events) {
    if (e.phase == "applied") active[e.action_id] = true;
    if (e.phase == "reverted" || e.phase == "failed") active[e.action_id] = false;
  }
  int n = 0;
  for (const auto& [id, on] : active) n += on ? 1 : 0;
  chaos_active_.set(n);
}

}  // namespace stampede
