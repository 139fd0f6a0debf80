#include "targets/local/runtime/pod.h"

#include <signal.h>

#include <sys/stat.h>

#include <cmath>

#include "targets/local/runtime/clock.h"

namespace stampede::local {
namespace {

constexpr size_t kLogLinesKept = 20;

std::string env_entry(const std::pair<std::string, std::string>& kv) {
  return kv.first + "=" + kv.second;
}

const char* role_name(ProbeRole role) {
  switch (role) {
    case ProbeRole::kLiveness:
      return "liveness";
    case ProbeRole::kReadiness:
      return "readiness";
    case ProbeRole::kStartup:
      return "startup";
  }
  return "?";
}

}  // namespace

Pod::Pod(const PodContext& context, std::shared_ptr<const DeploymentSpec> spec,
         std::string template_hash, PodWiring wiring)
    : context_(context),
      spec_(std::move(spec)),
      name_(wiring.pod_name),
      hash_(std::move(template_hash)),
      wiring_(std::move(wiring)),
      ports_(wiring_.ports),
      env_(pod_env(*spec_, wiring_)),
      created_ns_(mono_now_ns()),
      backoff_(context.backoff_base_seconds, context.backoff_max_seconds) {
  restart_at_ns_ = created_ns_;
  event("pod-created", "template " + hash_);
}

std::string Pod::log_path() const {
  return context_.log_dir + "/" + name_ + ".log";
}

uint64_t Pod::event(const std::string& kind, const std::string& detail) {
  return context_.events->add(kind, spec_->name, name_, detail);
}

void Pod::tick(int64_t now_ns) {
  if (pid_ > 0) {
    if (auto status = try_reap(pid_)) {
      on_exit(*status, now_ns);
    } else if (stopping_ && now_ns >= kill_at_ns_) {
      signal_group(pid_, SIGKILL);
      kill_at_ns_ = INT64_MAX;  // sent once; the reap follows
    }
  }
  if (pid_ < 0 && waiting_ && !deleting_ && now_ns >= restart_at_ns_) start_container(now_ns);
  if (pid_ > 0 && !stopping_) start_probes(now_ns);
}

void Pod::repick_ports() {
  for (auto& [name, port] : wiring_.ports) {
    auto fresh = pick_free_port();
    if (fresh.ok()) port = fresh.value();
  }
  ports_ = wiring_.ports;
  env_ = pod_env(*spec_, wiring_);
}

void Pod::start_container(int64_t now_ns) {
  waiting_ = false;
  backing_off_ = false;
  if (generation_ > 0) {
    ++restarts_;
    event("pod-restarted", "restart " + std::to_string(restarts_));
    // A container that never became Ready may have lost a port to another process between the
    // pick and its bind: it starts again on fresh ports rather than failing the same way.
    if (!ready_this_container_) repick_ports();
  }
  ready_this_container_ = false;
  ++generation_;
  container_started_ns_ = now_ns;
  // The log file holds every container's output in turn: remember where this one's begins.
  struct stat st;
  previous_log_offset_ = generation_ > 1 ? log_offset_ : -1;
  log_offset_ = ::stat(log_path().c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
  started_ = !spec_->startup.has_value();
  double t0 = mono_seconds(now_ns);
  liveness_.reset();
  readiness_.reset();
  startup_.reset();
  if (spec_->liveness) liveness_.emplace(*spec_->liveness, ProbeRole::kLiveness, t0);
  if (spec_->readiness) readiness_.emplace(*spec_->readiness, ProbeRole::kReadiness, t0);
  if (spec_->startup) startup_.emplace(*spec_->startup, ProbeRole::kStartup, t0);

  std::string image = spec_->image_repository;
  std::string exe_name;
  auto mapped = context_.executables.find(image);
  if (mapped != context_.executables.end()) {
    exe_name = mapped->second;
  } else if (!spec_->command.empty()) {
    exe_name = spec_->command[0];
  }
  std::vector<std::string> argv = pod_argv(*spec_, env_);
  // With an executable standing in for the image, the args follow it (the image's entrypoint);
  // otherwise command[0] is the executable and argv[0].
  if (mapped != context_.executables.end()) argv.insert(argv.begin(), exe_name);
  Result<pid_t> pid = Error("no executable: image '" + image +
                            "' is not in localRuntime.executables and the service has no command");
  if (!exe_name.empty()) {
    auto exe = resolve_executable(exe_name, context_.binary_dir);
    if (exe.ok()) {
      std::vector<std::string> env;
      for (const auto& kv : env_) env.push_back(env_entry(kv));
      pid = spawn_process({exe.value(), argv, env, log_path(), "", cgroup_procs()});
    } else {
      pid = exe.error();
    }
  }
  if (!pid.ok()) {
    // Like a container that cannot be created: logged, counted as a failed start, backed off.
    if (FILE* f = std::fopen(log_path().c_str(), "a")) {
      std::fprintf(f, "stampede: cannot start %s: %s\n", name_.c_str(),
                   pid.error().message().c_str());
      std::fclose(f);
    }
    on_exit(ExitStatus{128, 0}, now_ns);
    return;
  }
  pid_ = pid.value();
  event("pod-started", "pid " + std::to_string(pid_));
  update_ready();
}

std::string Pod::cgroup_procs() {
  const CpuLimiter* limiter = context_.cpu_limiter;
  if (limiter == nullptr || spec_->cpu_limit_millis <= 0) return "";
  if (!cpu_limit_) {
    auto limit = limiter->limit(name_, spec_->cpu_limit_millis);
    if (!limit.ok()) {
      event("cpu-limit-failed", limit.error().message());
      return "";
    }
    cpu_limit_ = std::move(limit).value();
  }
  return cpu_limit_->procs_file();
}

void Pod::on_exit(const ExitStatus& status, int64_t now_ns) {
  pid_t pid = pid_;
  pid_ = -1;
  paused_ = false;
  bool was_stopping = stopping_;
  stopping_ = false;
  started_ = false;
  update_ready();
  LastExit exit;
  exit.status = status;
  exit.at_ns = now_ns;
  exit.started_ns = container_started_ns_;
  exit.pid = pid;
  exit.reason = was_stopping ? stop_reason_ : (status.code == 0 ? "Completed" : "Error");
  last_exit_ = exit;
  last_log_lines_ = tail_lines(log_path(), kLogLinesKept);
  event("pod-exited", status.describe() + " (" + exit.reason + ")");
  if (deleting_) return;
  double delay = backoff_.on_exit(mono_seconds(now_ns));
  waiting_ = true;
  restart_at_ns_ = now_ns + static_cast<int64_t>(delay * 1e9);
  if (delay > 0) {
    backing_off_ = true;
    char buf[64];
    std::snprintf(buf, sizeof(buf), "back-off %gs restarting failed container", delay);
    event("crash-loop-backoff", buf);
  }
}

void Pod::stop_container(int grace_seconds, const std::string& reason, int64_t now_ns) {
  if (pid_ < 0) return;
  if (!stopping_) {
    stopping_ = true;
    stop_reason_ = reason;
    kill_at_ns_ = now_ns + static_cast<int64_t>(grace_seconds) * 1'000'000'000;
    signal_group(pid_, grace_seconds > 0 ? SIGTERM : SIGKILL);
  } else {
    // A shorter grace than the one running wins, as with a second `kubectl delete`.
    int64_t at = now_ns + static_cast<int64_t>(grace_seconds) * 1'000'000'000;
    if (at < kill_at_ns_) kill_at_ns_ = at;
  }
  update_ready();
}

void Pod::start_probes(int64_t now_ns) {
  double now = mono_seconds(now_ns);
  // The startup probe gates the others; once it has passed it runs no more.
  struct Slot {
    std::optional<ProbeTracker>* tracker;
    bool active;
  };
  Slot slots[] = {{&startup_, !started_}, {&liveness_, started_}, {&readiness_, started_}};
  for (const Slot& slot : slots) {
    auto& tracker = *slot.tracker;
    if (!slot.active || !tracker || tracker->in_flight() || now < tracker->next_due()) continue;
    tracker->begin(now);
    ProbeTarget target;
    auto port = ports_.find(tracker->spec().port_name);
    if (port != ports_.end()) target.port = port->second;
    for (const auto& kv : env_) target.env.push_back(env_entry(kv));
    ProbeRole role = tracker->role();
    uint64_t generation = generation_;
    std::weak_ptr<Pod> self = weak_from_this();
    context_.launch_probe(tracker->spec(), target, [self, role, generation](const ProbeOutcome& o) {
      if (auto pod = self.lock()) pod->on_probe(role, generation, o);
    });
  }
}

void Pod::on_probe(ProbeRole role, uint64_t generation, const ProbeOutcome& outcome) {
  if (generation != generation_ || pid_ < 0) return;  // a container that is gone
  std::optional<ProbeTracker>& tracker = role == ProbeRole::kLiveness    ? liveness_
                                         : role == ProbeRole::kReadiness ? readiness_
                                                                         : startup_;
  if (!tracker) return;
  bool changed = tracker->record(outcome.success, outcome.message);
  if (stopping_) return;  // on hold while the container is being stopped
  int64_t now_ns = mono_now_ns();
  if (changed && !tracker->result()) {
    event("probe-failed", std::string(role_name(role)) + " probe failed " +
                              std::to_string(tracker->run_length()) + " times: " + outcome.message);
  }
  if (role == ProbeRole::kStartup && changed && tracker->result()) {
    started_ = true;
  } else if ((role == ProbeRole::kLiveness || role == ProbeRole::kStartup) && changed &&
             !tracker->result()) {
    int grace = tracker->spec().termination_grace_period_seconds.value_or(
        spec_->termination_grace_period_seconds);
    stop_container(grace, role == ProbeRole::kLiveness ? "Liveness" : "Startup", now_ns);
    return;
  }
  update_ready();
}

void Pod::update_ready() {
  bool ready =
      pid_ > 0 && started_ && !stopping_ && !deleting_ && (!readiness_ || readiness_->result());
  if (ready == ready_) return;
  ready_ = ready;
  ready_this_container_ = ready_this_container_ || ready;
  ready_changed_ns_ = mono_now_ns();
  event(ready ? "pod-ready" : "pod-unready", ready ? "" : (deleting_ ? "deleting" : ""));
}

Result<uint64_t> Pod::kill() {
  if (pid_ < 0 || deleting_) return Error("pod " + name_ + " has no running container");
  uint64_t seq = event("pod-killed", "SIGKILL");
  signal_group(pid_, SIGKILL);
  stopping_ = true;
  stop_reason_ = "Killed";
  kill_at_ns_ = INT64_MAX;
  update_ready();
  return seq;
}

Result<uint64_t> Pod::pause() {
  if (pid_ < 0 || deleting_ || stopping_)
    return Error("pod " + name_ + " has no running container");
  if (paused_) return Error("pod " + name_ + " is already paused");
  signal_group(pid_, SIGSTOP);
  paused_ = true;
  return event("pod-paused", "SIGSTOP");
}

Result<uint64_t> Pod::resume() {
  if (!paused_ || pid_ < 0) return Error("pod " + name_ + " is not paused");
  signal_group(pid_, SIGCONT);
  paused_ = false;
  return event("pod-resumed", "SIGCONT");
}

uint64_t Pod::terminate(int grace_seconds, const std::string& why) {
  // A second deletion only ever shortens the grace period, as in Kubernetes.
  int64_t now_ns = mono_now_ns();
  if (!deleting_ || now_ns + int64_t{grace_seconds} * 1'000'000'000 <
                        deletion_ns_ + int64_t{deletion_grace_seconds_} * 1'000'000'000) {
    deletion_ns_ = now_ns;
    deletion_grace_seconds_ = grace_seconds;
  }
  deleting_ = true;
  uint64_t seq = event("pod-terminated", why + ", grace " + std::to_string(grace_seconds) + "s");
  if (pid_ > 0) {
    stop_container(grace_seconds, "Terminated", now_ns);
  }
  update_ready();
  return seq;
}

std::string Pod::phase() const {
  if (deleting_) return "Terminating";
  if (generation_ == 0) return "Pending";
  return "Running";
}

std::string Pod::state() const {
  // A paused container being stopped is terminating: the SIGTERM waits, pending, until the
  // SIGKILL after the grace period, as for a frozen process in a cluster.
  if (deleting_ || stopping_) return "terminating";
  if (paused_) return "paused";
  if (pid_ < 0) return backing_off_ ? "crash-loop-backoff" : "exited";
  if (!started_) return "starting";
  return "running";
}

}  // namespace stampede::local
