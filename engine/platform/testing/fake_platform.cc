#include "engine/platform/testing/fake_platform.h"

#include <algorithm>

#include "targets/kubernetes/label_selector.h"

namespace stampede {

FakePlatform::FakePlatform() : clock_(monotonic_now) {}

void FakePlatform::add_deployment(DeploymentState deployment, int pods) {
  std::lock_guard<std::mutex> lock(mu_);
  Deployment d;
  d.state = std::move(deployment);
  if (d.state.service.empty()) d.state.service = d.state.name;
  d.state.labels["app"] = d.state.name;
  d.state.replicas = pods;
  for (int i = 0; i < pods; ++i) d.pods.push_back(make_pod(d));
  refresh(d);
  std::string name = d.state.name;
  deployments_[name] = std::move(d);
}

void FakePlatform::set_clock(std::function<Nanos()> clock) {
  std::lock_guard<std::mutex> lock(mu_);
  clock_ = std::move(clock);
}

void FakePlatform::set_reachable(bool reachable) {
  std::lock_guard<std::mutex> lock(mu_);
  reachable_ = reachable;
}

void FakePlatform::fail_next(const std::string& operation, int after) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_next_[operation].push_back(after);
}

void FakePlatform::set_metrics(const std::string& deployment_or_pod, std::string text) {
  std::lock_guard<std::mutex> lock(mu_);
  metrics_[deployment_or_pod] = std::move(text);
}

void FakePlatform::set_hpa_utilization(const std::string& deployment, double utilization,
                                       int desired) {
  std::lock_guard<std::mutex> lock(mu_);
  Deployment* d = find_deployment(deployment);
  if (d == nullptr || !d->state.hpa) return;
  d->state.hpa->current_utilization = utilization;
  if (desired != d->state.replicas) {
    int from = d->state.replicas;
    d->state.hpa->desired_replicas = desired;
    d->state.hpa->last_scale_mono_ns = clock_();
    while (static_cast<int>(d->pods.size()) < desired) d->pods.push_back(make_pod(*d));
    while (static_cast<int>(d->pods.size()) > desired) d->pods.pop_back();
    d->state.replicas = desired;
    log_event("hpa-scaled", deployment, "",
              std::to_string(from) + " -> " + std::to_string(desired));
  }
  refresh(*d);
}

void FakePlatform::set_pod_cpu(const std::string& pod, double utilization) {
  std::lock_guard<std::mutex> lock(mu_);
  if (PodState* p = find_pod(pod)) p->cpu_utilization = utilization;
}

void FakePlatform::emit(const std::string& kind, const std::string& deployment,
                        const std::string& pod, const std::string& detail) {
  std::lock_guard<std::mutex> lock(mu_);
  log_event(kind, deployment, pod, detail);
}

void FakePlatform::restart_pod(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Deployment* owner = nullptr;
  PodState* p = find_pod(pod, &owner);
  if (p == nullptr) return;
  ++p->restarts;
  p->state = "running";
  p->ready = true;
  pod_faults_.erase(pod);  // a new container starts with no runtime knobs
  log_event("pod-restarted", owner->state.name, pod, "restart " + std::to_string(p->restarts));
  log_event("pod-ready", owner->state.name, pod, "");
  refresh(*owner);
}

void FakePlatform::set_pod_state(const std::string& pod, const std::string& state) {
  std::lock_guard<std::mutex> lock(mu_);
  if (PodState* p = find_pod(pod)) p->state = state;
}

std::vector<std::string> FakePlatform::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::optional<FaultKnobs> FakePlatform::pod_faults(const std::string& pod) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pod_faults_.find(pod);
  if (it == pod_faults_.end()) return std::nullopt;
  return it->second;
}

std::optional<NetworkFault> FakePlatform::service_fault(const std::string& service) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = service_faults_.find(service);
  if (it == service_faults_.end()) return std::nullopt;
  return it->second;
}

bool FakePlatform::paused(const std::string& pod) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, d] : deployments_) {
    for (const PodState& p : d.pods) {
      if (p.name == pod) return p.state == "paused";
    }
  }
  return false;
}

int FakePlatform::replicas(const std::string& deployment) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = deployments_.find(deployment);
  return it == deployments_.end() ? -1 : it->second.state.replicas;
}

std::vector<std::string> FakePlatform::pod_names(const std::string& deployment) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  auto it = deployments_.find(deployment);
  if (it != deployments_.end()) {
    for (const PodState& p : it->second.pods) out.push_back(p.name);
  }
  return out;
}

Status FakePlatform::gate(const std::string& operation) {
  if (!reachable_) return Error("fake platform: connection refused");
  auto it = fail_next_.find(operation);
  if (it == fail_next_.end() || it->second.empty()) return Status();
  int& before = it->second.front();
  if (before > 0) {
    --before;
    return Status();
  }
  it->second.erase(it->second.begin());
  return Error("fake platform: " + operation + " failed (injected)");
}

void FakePlatform::log_event(const std::string& kind, const std::string& deployment,
                             const std::string& pod, const std::string& detail) {
  PlatformEventRecord e;
  e.seq = static_cast<int64_t>(events_.size()) + 1;
  e.mono_ns = clock_();
  e.kind = kind;
  e.deployment = deployment;
  e.pod = pod;
  e.detail = detail;
  events_.push_back(std::move(e));
}

PodState FakePlatform::make_pod(Deployment& d) {
  PodState p;
  p.name = d.state.name + "-" + std::to_string(d.next_pod++);
  p.deployment = d.state.name;
  p.phase = "Running";
  p.state = "running";
  p.ready = true;
  p.ports = {{"grpc", 0}, {"metrics", 0}};
  p.created_mono_ns = clock_();
  p.labels = {{"app", d.state.name}};
  return p;
}

PodState* FakePlatform::find_pod(const std::string& name, Deployment** owner) {
  for (auto& [dname, d] : deployments_) {
    for (PodState& p : d.pods) {
      if (p.name == name) {
        if (owner != nullptr) *owner = &d;
        return &p;
      }
    }
  }
  return nullptr;
}

FakePlatform::Deployment* FakePlatform::find_deployment(const std::string& name) {
  auto it = deployments_.find(name);
  return it == deployments_.end() ? nullptr : &it->second;
}

void FakePlatform::refresh(Deployment& d) {
  d.state.current = static_cast<int>(d.pods.size());
  d.state.ready = static_cast<int>(
      std::count_if(d.pods.begin(), d.pods.end(), [](const PodState& p) { return p.ready; }));
  d.state.available = d.state.ready;
  d.state.updated = d.state.current;
  if (d.state.hpa) d.state.hpa->current_replicas = d.state.current;
}

Status FakePlatform::ping() {
  std::lock_guard<std::mutex> lock(mu_);
  return gate("ping");
}

void FakePlatform::settle() {
  for (const std::string& name : starting_) {
    Deployment* owner = nullptr;
    PodState* p = find_pod(name, &owner);
    if (p == nullptr) continue;
    p->ready = true;
    p->state = "running";
    log_event("pod-ready", owner->state.name, name, "");
    refresh(*owner);
  }
  starting_.clear();
}

Result<std::vector<DeploymentState>> FakePlatform::deployments() {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("deployments");
  if (!st.ok()) return st.error();
  settle();
  std::vector<DeploymentState> out;
  for (const auto& [name, d] : deployments_) out.push_back(d.state);
  return out;
}

Result<std::vector<PodState>> FakePlatform::pods(const std::string& selector) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("pods");
  if (!st.ok()) return st.error();
  settle();
  // Kubernetes' label selectors, as the API server takes them.
  auto parsed = kube::LabelSelector::parse(selector);
  if (!parsed.ok()) return parsed.error();
  std::vector<PodState> out;
  for (const auto& [name, d] : deployments_) {
    for (const PodState& p : d.pods) {
      if (parsed.value().matches(p.labels)) out.push_back(p);
    }
  }
  return out;
}

Result<std::vector<HpaState>> FakePlatform::hpas() {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("hpas");
  if (!st.ok()) return st.error();
  std::vector<HpaState> out;
  for (const auto& [name, d] : deployments_) {
    if (d.state.hpa) out.push_back(*d.state.hpa);
  }
  return out;
}

Result<EventBatch> FakePlatform::events_since(int64_t cursor) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("events");
  if (!st.ok()) return st.error();
  settle();
  EventBatch batch;
  for (const PlatformEventRecord& e : events_) {
    if (e.seq >= cursor) batch.events.push_back(e);
  }
  batch.next = static_cast<int64_t>(events_.size()) + 1;
  return batch;
}

Result<std::string> FakePlatform::pod_metrics(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("metrics");
  if (!st.ok()) return st.error();
  Deployment* owner = nullptr;
  if (find_pod(pod, &owner) == nullptr) return Error("pod " + pod + ": not found");
  auto it = metrics_.find(pod);
  if (it == metrics_.end()) it = metrics_.find(owner->state.name);
  if (it == metrics_.end()) return Error("pod " + pod + ": no metrics");
  return it->second;
}

std::string FakePlatform::cannot(Capability what) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cannot_.find(what);
  return it == cannot_.end() ? std::string() : it->second;
}

void FakePlatform::set_cannot(Capability what, std::string why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (why.empty()) {
    cannot_.erase(what);
  } else {
    cannot_[what] = std::move(why);
  }
}

Status FakePlatform::kill_pod(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("kill");
  if (!st.ok()) return st;
  Deployment* owner = nullptr;
  PodState* p = find_pod(pod, &owner);
  if (p == nullptr) return Error("delete pods \"" + pod + "\": not found (NotFound, 404)");
  calls_.push_back("kill " + pod);
  // A force delete (no grace period), as on Kubernetes: the pod is gone, a new one replaces it.
  std::string dname = owner->state.name;
  std::erase_if(owner->pods, [&](const PodState& x) { return x.name == pod; });
  pod_faults_.erase(pod);
  log_event("pod-terminated", dname, pod, "grace period 0");
  log_event("pod-deleted", dname, pod, "");
  PodState fresh = make_pod(*owner);
  log_event("pod-created", dname, fresh.name, "");
  // A replacement becomes Ready after the delete returned: at the next look (settle()).
  fresh.ready = false;
  fresh.state = "starting";
  starting_.push_back(fresh.name);
  owner->pods.push_back(std::move(fresh));
  refresh(*owner);
  return Status();
}

Status FakePlatform::terminate_pod(const std::string& pod, double grace_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("terminate");
  if (!st.ok()) return st;
  Deployment* owner = nullptr;
  PodState* p = find_pod(pod, &owner);
  if (p == nullptr) return Error("pod '" + pod + "' not found");
  calls_.push_back("terminate " + pod +
                   (grace_seconds >= 0 ? " " + std::to_string(grace_seconds) : std::string()));
  std::string dname = owner->state.name;
  std::erase_if(owner->pods, [&](const PodState& x) { return x.name == pod; });
  pod_faults_.erase(pod);
  log_event("pod-terminated", dname, pod, "");
  PodState fresh = make_pod(*owner);
  log_event("pod-created", dname, fresh.name, "");
  // A replacement becomes Ready after the delete returned: at the next look (settle()).
  fresh.ready = false;
  fresh.state = "starting";
  starting_.push_back(fresh.name);
  owner->pods.push_back(std::move(fresh));
  refresh(*owner);
  return Status();
}

Status FakePlatform::check_pod_faults(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("check-faults");
  if (!st.ok()) return st;
  if (find_pod(pod) == nullptr) return Error("pod '" + pod + "' not found");
  return Status();
}

Status FakePlatform::pause_pod(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("pause");
  if (!st.ok()) return st;
  Deployment* owner = nullptr;
  PodState* p = find_pod(pod, &owner);
  if (p == nullptr) return Error("pod '" + pod + "' not found");
  calls_.push_back("pause " + pod);
  p->state = "paused";
  p->ready = false;
  log_event("pod-paused", owner->state.name, pod, "");
  refresh(*owner);
  return Status();
}

Status FakePlatform::resume_pod(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("resume");
  if (!st.ok()) return st;
  Deployment* owner = nullptr;
  PodState* p = find_pod(pod, &owner);
  calls_.push_back("resume " + pod);
  if (p == nullptr || p->state != "paused") return Status();  // nothing to undo
  p->state = "running";
  p->ready = true;
  log_event("pod-resumed", owner->state.name, pod, "");
  refresh(*owner);
  return Status();
}

Status FakePlatform::scale(const std::string& deployment, int replicas) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("scale");
  if (!st.ok()) return st;
  Deployment* d = find_deployment(deployment);
  if (d == nullptr) return Error("deployment '" + deployment + "' not found");
  calls_.push_back("scale " + deployment + " " + std::to_string(replicas));
  int from = d->state.replicas;
  d->state.replicas = replicas;
  while (static_cast<int>(d->pods.size()) < replicas) {
    d->pods.push_back(make_pod(*d));
    log_event("pod-created", deployment, d->pods.back().name, "");
  }
  while (static_cast<int>(d->pods.size()) > replicas) {
    log_event("pod-terminated", deployment, d->pods.back().name, "scaled down");
    pod_faults_.erase(d->pods.back().name);
    d->pods.pop_back();
  }
  log_event("scaled", deployment, "", std::to_string(from) + " -> " + std::to_string(replicas));
  refresh(*d);
  return Status();
}

Status FakePlatform::rollout_restart(const std::string& deployment) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("restart");
  if (!st.ok()) return st;
  Deployment* d = find_deployment(deployment);
  if (d == nullptr) return Error("deployment '" + deployment + "' not found");
  calls_.push_back("restart " + deployment);
  log_event("rollout-started", deployment, "", "");
  size_t n = d->pods.size();
  for (size_t i = 0; i < n; ++i) {
    PodState fresh = make_pod(*d);
    log_event("pod-created", deployment, fresh.name, "");
    log_event("pod-terminated", deployment, d->pods[i].name, "rollout");
    pod_faults_.erase(d->pods[i].name);
    d->pods[i] = std::move(fresh);
  }
  ++d->state.revision;
  log_event("rollout-finished", deployment, "", "");
  refresh(*d);
  return Status();
}

Status FakePlatform::set_pod_faults(const std::string& pod, const FaultKnobs& knobs) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("set-faults");
  if (!st.ok()) return st;
  Deployment* owner = nullptr;
  if (find_pod(pod, &owner) == nullptr) return Error("pod '" + pod + "' not found");
  calls_.push_back("set-faults " + pod + " " + knobs.describe());
  pod_faults_[pod] = knobs;
  log_event("fault-set", owner->state.name, pod, knobs.describe());
  return Status();
}

Status FakePlatform::clear_pod_faults(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("clear-faults");
  if (!st.ok()) return st;
  calls_.push_back("clear-faults " + pod);
  Deployment* owner = nullptr;
  if (find_pod(pod, &owner) != nullptr && pod_faults_.erase(pod) > 0) {
    log_event("fault-cleared", owner->state.name, pod, "");
  }
  return Status();
}

Status FakePlatform::set_service_fault(const std::string& service, const NetworkFault& fault) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("set-service-fault");
  if (!st.ok()) return st;
  bool known = std::any_of(deployments_.begin(), deployments_.end(),
                           [&](const auto& kv) { return kv.second.state.service == service; });
  if (!known) return Error("service '" + service + "' not found");
  calls_.push_back("set-service-fault " + service + " " + fault.describe());
  service_faults_[service] = fault;
  log_event("fault-set", service, "", fault.describe());
  return Status();
}

Status FakePlatform::clear_service_fault(const std::string& service) {
  std::lock_guard<std::mutex> lock(mu_);
  Status st = gate("clear-service-fault");
  if (!st.ok()) return st;
  calls_.push_back("clear-service-fault " + service);
  if (service_faults_.erase(service) > 0) log_event("fault-cleared", service, "", "");
  return Status();
}

}  // namespace stampede
