// ChaosPlan: the script's `options.chaos` (a timeline of actions, a guard, caps) and
// `options.expect` (validations), as read before the run (docs/chaos.md). Plain data, built on
// the main thread by the options reader and read-only afterwards. Action references in
// expectations are resolved to action ids when the plan is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/platform/platform_types.h"
#include "engine/run/fine_timeline.h"

namespace stampede {

enum class ActionKind {
  kPodKill,
  kPodTerminate,
  kPodPause,
  kScale,
  kRolloutRestart,
  kFault,
  kProxyFault,
  kDependencyDown,
};

// "pod-kill", "proxy-fault", ...
const char* action_kind_name(ActionKind kind);
std::optional<ActionKind> action_kind_from(std::string_view name);
// Actions aimed at pods (chosen by mode), as opposed to a deployment or a Service.
bool targets_pods(ActionKind kind);
// Actions that leave something to undo (a fault, a pause, a replica count).
bool is_reversible(ActionKind kind);

// How many of the matching pods an action hits.
enum class PodMode { kOne, kAll, kFixed, kPercent };
const char* pod_mode_name(PodMode mode);

struct ChaosAction {
  std::string id;    // the action's `name`, or "<action>#<n>" (n counts actions of that kind)
  std::string path;  // "options.chaos[2]", for messages
  ActionKind kind = ActionKind::kPodKill;
  Nanos at = 0;           // since the run started
  Nanos duration = -1;    // -1: none (instant; reversible actions then last until the run ends)
  std::string target;     // deployment (or Service for proxy-fault), or a label selector
  bool selector = false;  // target is "key=value[,key=value]"
  PodMode mode = PodMode::kOne;
  int64_t count = 1;          // kFixed
  double percent = 0;         // kPercent
  int max_pods = 0;           // cap on pods hit; 0: the plan's max_pods
  double grace_seconds = -1;  // pod-terminate; -1: the deployment's grace period
  int replicas = -1;          // scale
  FaultKnobs knobs;           // fault
  NetworkFault network;       // proxy-fault

  // When the action stops acting, -1 for "at the end of the run" (reversible without duration)
  // and `at` for instant actions.
  Nanos end() const;
};

// Aborts the run when availability (by requests, over the last `window`) falls below `floor`.
struct GuardPlan {
  bool enabled = false;
  double min_availability = 0;
  Nanos window = 10 * kNanosPerSecond;
};

enum class ExpectKind {
  kAvailability,
  kRecovery,
  kAutoscaling,
  kSelfHealing,
  kZeroDowntime,
  kCircuitBreaker,
};
const char* expect_kind_name(ExpectKind kind);
std::optional<ExpectKind> expect_kind_from(std::string_view name);

// One `expect` entry. Which fields matter depends on the kind (docs/chaos.md lists them).
struct Expectation {
  ExpectKind kind = ExpectKind::kAvailability;
  std::string name;    // `name` as written, or derived ("availability during pod-kill#1")
  std::string path;    // "options.expect[1]"
  std::string during;  // action id: the phase while it acts
  std::string after;   // action id: the phase after it ends
  std::string phase;   // availability without during/after: "baseline" or "run"
  BucketSlo slo;       // what a good 100 ms bucket is

  std::optional<double> min;            // availability / zero-downtime: by requests
  std::optional<double> min_by_time;    // availability: share of good buckets
  Nanos window = 30 * kNanosPerSecond;  // length of an "after" phase (cut at the next action)

  Nanos within = -1;         // recovery: time to recover; self-healing: overrides the bound
  Nanos detect_within = -1;  // recovery: time to detect
  Nanos stable = 2 * kNanosPerSecond;  // recovery: how long "recovered" must hold

  std::string target;  // autoscaling: the deployment with the HPA
  Nanos from = 0;      // autoscaling: when the load step starts
  Nanos scale_up_within = -1;
  int replica_tolerance = 1;
  Nanos scale_down_window = -1;  // -1: the platform's, else Kubernetes' default 300 s
  Nanos max_violation = -1;      // seconds of SLO violation allowed during the scale-up

  bool restart = true;  // self-healing: a restart is expected (false: none may happen)
  Nanos restart_allowance = 5 * kNanosPerSecond;

  std::string caller;                      // circuit-breaker: the deployment making the calls
  std::string dependency;                  // circuit-breaker: the dependency label of its client
  Nanos fast_fail = 100 * kNanosPerMilli;  // latency bound of calls while the breaker is open
  double fast_fail_percentile = 99;        // ... for this percentile of them
  Nanos close_within = 30 * kNanosPerSecond;
  double max_reached_share = 0.5;  // of the calls while open, at most this share may reach it
};

struct ChaosPlan {
  std::vector<ChaosAction> actions;
  std::vector<Expectation> expectations;
  int max_pods = 5;  // default cap on the pods one action may hit
  GuardPlan guard;
  uint64_t seed = 0;  // for mode one/fixed/percent; 0: a random seed

  bool empty() const { return actions.empty() && expectations.empty(); }
  // True when the run needs a platform: any action, or a validation that reads platform state.
  bool needs_platform() const;
  // The action with this id, or nullptr.
  const ChaosAction* action(const std::string& id) const;
};

}  // namespace stampede
