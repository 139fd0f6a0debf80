// The resilience part of the result model: what the chaos controller did, what the platform
// looked like, and the verdicts of the validations. Filled by the chaos controller and the
// validations (engine/chaos/, engine/validate/); rendered by every output like the rest of
// RunResult. All times are seconds since the run started, on the run's monotonic clock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stampede {

// One step in the life of a chaos action.
struct ChaosEvent {
  double t = 0;
  std::string action_id;  // unique per action in the run, e.g. "pod-kill#1" or the action's name
  std::string action;     // pod-kill, pod-terminate, pod-pause, scale, rollout-restart, fault, ...
  std::string phase;      // requested | applied | reverted | failed
  std::string target;     // the deployment or selector as written
  std::vector<std::string> pods;  // the pods it hit (empty for deployment-level actions)
  std::string detail;             // e.g. "error_rate=1", "replicas 3 -> 1", or the failure
};

// A chaos action's active span, derived from its events (end < 0: still active at the end).
struct ChaosSpan {
  std::string action_id;
  std::string action;
  std::string target;
  double start = 0;
  double end = -1;
};

// The state of one deployment at one moment, as the platform reported it.
struct PlatformSample {
  double t = 0;
  std::string deployment;
  int replicas = 0;      // pods that exist (any state)
  int ready = 0;         // pods Ready
  int desired = 0;       // the deployment's desired replicas (the HPA's choice when it has one)
  int64_t restarts = 0;  // total restarts of its pods so far
  double cpu_utilization = -1;  // percent of requests.cpu over the HPA window; -1 unknown
};

// Something the platform reported happening (pod started, ready, unready, restarted, killed,
// scaled, ...), placed on the run clock.
// t: seconds since the run started when it happened (the local runtime's log) or when stampede
// observed it (a Kubernetes watch); server_time: the platform's own timestamp, when it has one.
struct PlatformEvent {
  double t = 0;
  std::string kind;
  std::string deployment;
  std::string pod;
  std::string detail;
  std::string server_time = "";
};

// Availability of one phase of the run (baseline, during an action, recovery, ...).
struct PhaseAvailability {
  std::string name;  // "baseline", "during pod-kill#1", "recovery after pod-kill#1"
  double start = 0;
  double end = 0;
  int64_t requests = 0;
  int64_t failed = 0;
  double by_requests = 1;  // (requests - failed) / requests; 1 when there were none
  double by_time = 1;      // share of 100 ms buckets that met the SLO
};

// One fact a verdict rests on. `t` >= 0 places it on the run clock (an event that decided it).
struct Evidence {
  std::string name;   // "time to recover"
  std::string value;  // "2.3 s", "0.9987", "3 replicas (formula: 3)"
  double t = -1;
};

// The verdict of one `expect` entry.
struct ValidationResult {
  std::string name;  // as written or derived: "recovery after pod-kill#1"
  std::string kind;  // availability | recovery | autoscaling | self-healing | zero-downtime |
                     // circuit-breaker
  bool passed = false;
  std::string summary;  // one line: why it passed or failed
  std::vector<Evidence> evidence;
};

struct ResilienceResult {
  std::string platform;  // Platform::describe() of what chaos acted on; "" without one
  // How platform_events' `t` was taken: "observed" (when stampede saw the change arrive, e.g. on
  // a Kubernetes watch) or "platform" (the platform's own log on the same clock); "" unknown.
  std::string event_times;
  std::vector<ChaosEvent> chaos_events;
  std::vector<ChaosSpan> chaos_spans;
  std::vector<PlatformSample> platform_samples;
  std::vector<PlatformEvent> platform_events;
  std::vector<PhaseAvailability> phases;
  std::vector<ValidationResult> validations;

  bool validations_passed() const {
    for (const ValidationResult& v : validations) {
      if (!v.passed) return false;
    }
    return true;
  }
};

}  // namespace stampede
