// One pod: one container (a process group) with the kubelet's behaviour around it: start,
// probes (startup gates liveness and readiness), readiness, restarts with CrashLoopBackOff on
// any exit (restartPolicy Always), liveness failures killing the container with its grace
// period, kill / terminate / pause / resume from the API, and deletion.
// Not thread-safe: owned by its Deployment on the runtime's control thread.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "targets/local/cgroup/cpu_limiter.h"
#include "targets/local/probe/probe_runner.h"
#include "targets/local/probe/probe_tracker.h"
#include "targets/local/process/child_process.h"
#include "targets/local/runtime/crash_backoff.h"
#include "targets/local/runtime/event_log.h"
#include "targets/local/runtime/pod_template.h"
#include "targets/local/values/spec.h"

namespace stampede::local {

class Pod;

// Runs a probe off the control thread and calls `done` back on the control thread.
using ProbeLauncher = std::function<void(const ProbeSpec&, const ProbeTarget&,
                                         std::function<void(const ProbeOutcome&)> done)>;

// What every pod shares, owned by the runtime.
struct PodContext {
  EventLog* events = nullptr;
  ProbeLauncher launch_probe;
  std::string log_dir;
  std::string binary_dir;
  std::map<std::string, std::string> executables;  // image repository -> executable
  double backoff_base_seconds = 10;
  double backoff_max_seconds = 300;
  const CpuLimiter* cpu_limiter = nullptr;  // null: CPU limits are not enforced
};

struct LastExit {
  ExitStatus status;
  std::string reason;  // Error, Completed, OOMKilled-like words: "Error", "Killed", "Liveness"
  int64_t at_ns = 0;
  int64_t started_ns = 0;  // when that container had started
  pid_t pid = -1;          // the process it was
};

class Pod : public std::enable_shared_from_this<Pod> {
 public:
  // `wiring` holds the pod's ports and what its environment is built from (see pod_env()).
  Pod(const PodContext& context, std::shared_ptr<const DeploymentSpec> spec,
      std::string template_hash, PodWiring wiring);

  // Advances the pod at `now_ns`: reaps an exited container, restarts it when its back-off is
  // over, enforces a grace period, starts due probes.
  void tick(int64_t now_ns);

  // API actions. Each returns the seq of the event that records it, or an error (409-worthy:
  // "pod x is not running").
  Result<uint64_t> kill();    // SIGKILL now; restarted
  Result<uint64_t> pause();   // SIGSTOP
  Result<uint64_t> resume();  // SIGCONT
  // Deletes the pod: SIGTERM, SIGKILL after `grace_seconds`; out of the endpoints at once.
  uint64_t terminate(int grace_seconds, const std::string& why);

  const std::string& name() const { return name_; }
  const std::string& deployment() const { return spec_->name; }
  const std::string& hash() const { return hash_; }
  const DeploymentSpec& spec() const { return *spec_; }
  bool deleting() const { return deleting_; }
  // When the deletion was (last) asked for and its grace period; 0 and -1 while not deleting.
  int64_t deletion_ns() const { return deletion_ns_; }
  int deletion_grace_seconds() const { return deletion_grace_seconds_; }
  bool gone() const { return deleting_ && pid_ < 0; }  // deleted and its process is reaped
  bool ready() const { return ready_; }
  // Ready for at least `min_ready_seconds` by `now_ns` (Kubernetes' "available").
  bool available(int64_t now_ns, int min_ready_seconds) const {
    return ready_ && now_ns - ready_changed_ns_ >= int64_t{min_ready_seconds} * 1'000'000'000;
  }
  bool started() const { return started_; }
  bool paused() const { return paused_; }
  pid_t pid() const { return pid_; }
  int restarts() const { return restarts_; }
  int64_t created_ns() const { return created_ns_; }
  int64_t ready_changed_ns() const { return ready_changed_ns_; }
  int64_t container_started_ns() const { return container_started_ns_; }
  const std::map<std::string, uint16_t>& ports() const { return ports_; }
  const EnvList& env() const { return env_; }
  // While waiting to (re)start the container: when it will be started (the back-off's end).
  int64_t restart_at_ns() const { return restart_at_ns_; }
  // Where the latest container's output begins in the log file, and where the one before it
  // began (-1: none); the previous container's output ends where the latest one's begins.
  int64_t log_offset() const { return log_offset_; }
  int64_t previous_log_offset() const { return previous_log_offset_; }
  const std::optional<LastExit>& last_exit() const { return last_exit_; }
  const std::vector<std::string>& last_log_lines() const { return last_log_lines_; }
  std::string log_path() const;
  // "Pending" | "Running" | "Terminating".
  std::string phase() const;
  // "starting" | "running" | "paused" | "crash-loop-backoff" | "terminating" | "exited".
  std::string state() const;

 private:
  void start_container(int64_t now_ns);
  // New loopback ports for every container port (and the environment that carries them).
  void repick_ports();
  // The cgroup.procs file the container joins (its CPU limit), or "" when not limited.
  std::string cgroup_procs();
  void on_exit(const ExitStatus& status, int64_t now_ns);
  void stop_container(int grace_seconds, const std::string& reason, int64_t now_ns);
  void start_probes(int64_t now_ns);
  void on_probe(ProbeRole role, uint64_t generation, const ProbeOutcome& outcome);
  void update_ready();
  uint64_t event(const std::string& kind, const std::string& detail);

  const PodContext& context_;
  std::shared_ptr<const DeploymentSpec> spec_;
  std::string name_;
  std::string hash_;
  PodWiring wiring_;
  std::map<std::string, uint16_t> ports_;
  EnvList env_;
  bool ready_this_container_ = false;  // the current/last container was Ready at some point
  int64_t created_ns_;

  pid_t pid_ = -1;
  uint64_t generation_ = 0;  // one per container start; stale probe results are dropped
  int64_t container_started_ns_ = 0;
  int restarts_ = 0;
  bool started_ = false;
  bool ready_ = false;
  int64_t ready_changed_ns_ = 0;
  bool paused_ = false;
  bool deleting_ = false;
  bool stopping_ = false;      // SIGTERM sent (deletion or a failed liveness/startup probe)
  std::string stop_reason_;    // why the container is being stopped
  int64_t kill_at_ns_ = 0;     // SIGKILL deadline while stopping_
  bool waiting_ = true;        // no container: not started yet, or backing off
  int64_t restart_at_ns_ = 0;  // when waiting_: when to start the container
  bool backing_off_ = false;   // waiting_ with a CrashLoopBackOff delay
  CrashBackoff backoff_;
  std::optional<ProbeTracker> liveness_, readiness_, startup_;
  std::optional<LastExit> last_exit_;
  std::vector<std::string> last_log_lines_;
  std::unique_ptr<CpuLimit> cpu_limit_;  // the pod's cgroup, kept across container restarts
  int64_t deletion_ns_ = 0;
  int deletion_grace_seconds_ = -1;
  int64_t log_offset_ = 0;
  int64_t previous_log_offset_ = -1;
};

}  // namespace stampede::local
