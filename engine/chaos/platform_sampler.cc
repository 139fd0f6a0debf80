#include "engine/chaos/platform_sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "engine/platform/prometheus_text.h"

namespace stampede {
namespace {

bool is_dependency_failure(const std::string& outcome) {
  return outcome == "unavailable" || outcome == "deadline_exceeded" ||
         outcome == "resource_exhausted" || outcome == "internal" || outcome == "unknown" ||
         outcome == "aborted";
}

}  // namespace

void add_breaker_metrics(const std::string& metrics_text, BreakerSample& sample) {
  auto parsed = parse_prometheus_text(metrics_text);
  if (!parsed.ok()) return;
  std::map<double, double> buckets;
  for (const auto& [le, n] : sample.latency) buckets[le] += n;
  bool seen_state = false;
  int state = 0;
  for (const PromSample& s : parsed.value()) {
    if (s.label("dependency") != sample.dependency) continue;
    if (s.name == "shop_circuit_breaker_state") {
      seen_state = true;
      state = std::max(state, static_cast<int>(s.value));
    } else if (s.name == "shop_client_requests_total") {
      const std::string& outcome = s.label("outcome");
      if (outcome == "circuit_open") {
        sample.calls_refused += s.value;
      } else {
        sample.calls_reached += s.value;
        if (is_dependency_failure(outcome)) sample.calls_failed += s.value;
      }
    } else if (s.name == "shop_client_request_duration_seconds_bucket") {
      const std::string& le = s.label("le");
      double bound = le == "+Inf" ? HUGE_VAL : std::strtod(le.c_str(), nullptr);
      buckets[bound] += s.value;
    }
  }
  sample.latency.assign(buckets.begin(), buckets.end());
  if (!seen_state) return;
  ++sample.pods;
  if (state == 1) ++sample.open_pods;
  if (state == 2) ++sample.half_open_pods;
}

void add_pod_growth(const BreakerSample* last, const BreakerSample& now, BreakerSample& total) {
  bool restarted = last != nullptr && (now.calls_reached < last->calls_reached ||
                                       now.calls_refused < last->calls_refused ||
                                       now.calls_failed < last->calls_failed);
  const BreakerSample* base = (last == nullptr || restarted) ? nullptr : last;
  total.calls_reached += now.calls_reached - (base ? base->calls_reached : 0);
  total.calls_refused += now.calls_refused - (base ? base->calls_refused : 0);
  total.calls_failed += now.calls_failed - (base ? base->calls_failed : 0);
  std::map<double, double> buckets(total.latency.begin(), total.latency.end());
  std::map<double, double> before;
  if (base) before.insert(base->latency.begin(), base->latency.end());
  for (const auto& [le, n] : now.latency) {
    auto b = before.find(le);
    buckets[le] += std::max(0.0, n - (b == before.end() ? 0.0 : b->second));
  }
  total.latency.assign(buckets.begin(), buckets.end());
}

PlatformSampler::PlatformSampler(Platform& platform, Nanos run_start,
                                 std::vector<std::pair<std::string, std::string>> breakers)
    : platform_(platform),
      run_start_(run_start),
      breakers_(std::move(breakers)),
      last_by_pod_(breakers_.size()),
      totals_(breakers_.size()) {}

double PlatformSampler::seconds(Nanos mono) const {
  return static_cast<double>(mono - run_start_) / kNanosPerSecond;
}

void PlatformSampler::warn(ChaosObservations& obs, const std::string& what, const Error& error) {
  if (warned_.insert(what).second) {
    obs.warnings.push_back("chaos: sampling " + what + " failed: " + error.message());
  }
}

void PlatformSampler::prime(ChaosObservations& obs) {
  auto batch = platform_.events_since(0);
  if (!batch.ok()) return warn(obs, "events", batch.error());
  cursor_ = batch.value().next;
}

void PlatformSampler::sample(Nanos now, ResilienceResult& out, ChaosObservations& obs) {
  double t = seconds(now);
  auto deployments = platform_.deployments();
  auto pods = platform_.pods("");
  auto hpas = platform_.hpas();
  if (!deployments.ok()) warn(obs, "deployments", deployments.error());
  if (!pods.ok()) warn(obs, "pods", pods.error());
  if (!hpas.ok()) warn(obs, "hpas", hpas.error());
  if (deployments.ok()) {
    for (const DeploymentState& d : deployments.value()) {
      PlatformSample s;
      s.t = t;
      s.deployment = d.name;
      s.desired = d.replicas;
      s.replicas = d.current;
      s.ready = d.ready;
      double cpu_sum = 0;
      int cpu_pods = 0;
      if (pods.ok()) {
        s.replicas = 0;
        s.ready = 0;
        for (const PodState& p : pods.value()) {
          if (p.deployment != d.name) continue;
          ++s.replicas;
          if (p.ready) ++s.ready;
          s.restarts += p.restarts;
          if (p.cpu_utilization >= 0) {
            cpu_sum += p.cpu_utilization;
            ++cpu_pods;
          }
        }
      }
      if (d.hpa && d.hpa->current_utilization >= 0) {
        s.cpu_utilization = d.hpa->current_utilization;
      } else if (cpu_pods > 0) {
        s.cpu_utilization = cpu_sum / cpu_pods;
      }
      out.platform_samples.push_back(s);
    }
  }
  if (hpas.ok()) {
    for (const HpaState& h : hpas.value()) {
      HpaSample s;
      s.t = t;
      s.deployment = h.deployment;
      s.min_replicas = h.min_replicas;
      s.max_replicas = h.max_replicas;
      s.target_utilization = h.target_cpu_utilization;
      s.utilization = h.current_utilization;
      s.current = h.current_replicas;
      s.desired = h.desired_replicas;
      s.scale_down_window_seconds = h.scale_down_stabilization_seconds;
      obs.hpa.push_back(s);
    }
  }
  auto batch = platform_.events_since(cursor_);
  if (!batch.ok()) {
    warn(obs, "events", batch.error());
  } else {
    cursor_ = std::max(cursor_, batch.value().next);
    for (const PlatformEventRecord& e : batch.value().events) {
      double et = seconds(e.mono_ns);
      if (et < 0) continue;  // before the run
      out.platform_events.push_back(
          PlatformEvent{et, e.kind, e.deployment, e.pod, e.detail, e.server_time});
    }
  }
  for (size_t i = 0; i < breakers_.size(); ++i) {
    const auto& [caller, dependency] = breakers_[i];
    BreakerSample b;
    b.t = t;
    b.caller = caller;
    b.dependency = dependency;
    if (pods.ok()) {
      for (const PodState& p : pods.value()) {
        // A paused or terminating pod cannot answer its /metrics (and asking would tie up
        // the API server's proxy until its timeout).
        if (p.deployment != caller || p.phase == "Terminating" || p.state == "paused") continue;
        auto text = platform_.pod_metrics(p.name);
        if (!text.ok()) {
          warn(obs, "metrics of " + caller, text.error());
          continue;
        }
        BreakerSample pod;
        pod.dependency = dependency;
        add_breaker_metrics(text.value(), pod);
        b.pods += pod.pods;
        b.open_pods += pod.open_pods;
        b.half_open_pods += pod.half_open_pods;
        auto last = last_by_pod_[i].find(p.name);
        if (last != last_by_pod_[i].end()) {
          add_pod_growth(&last->second, pod, totals_[i]);
        } else if (p.created_mono_ns <= 0 || p.created_mono_ns >= run_start_) {
          add_pod_growth(nullptr, pod, totals_[i]);  // a pod of the run: every call counts
        }
        // else: first sight of a pod older than the run (or one that missed the scrapes so
        // far): what it counted until now is its baseline, not growth.
        last_by_pod_[i][p.name] = std::move(pod);
      }
    }
    b.calls_reached = totals_[i].calls_reached;
    b.calls_refused = totals_[i].calls_refused;
    b.calls_failed = totals_[i].calls_failed;
    b.latency = totals_[i].latency;
    obs.breakers.push_back(std::move(b));
  }
}

}  // namespace stampede
