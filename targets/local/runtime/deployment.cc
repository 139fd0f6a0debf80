#include "targets/local/runtime/deployment.h"

#include <time.h>

#include <algorithm>
#include <cstdio>

#include "targets/local/runtime/clock.h"
#include "targets/local/runtime/rollout_plan.h"

namespace stampede::local {
namespace {

// What the template hash is taken over besides the spec: the template's annotations ("" for
// none, so that a deployment never restarted keeps the hash it always had).
std::string annotations_text(const std::map<std::string, std::string>& annotations) {
  std::string text;
  for (const auto& [k, v] : annotations) text += k + "=" + v + "\n";
  return text;
}

// RFC 3339 in UTC with milliseconds (kubectl writes whole seconds; the milliseconds keep two
// restarts within a second apart).
std::string rfc3339_now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  tm utc;
  gmtime_r(&ts.tv_sec, &utc);
  char buf[48];
  size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf + n, sizeof(buf) - n, ".%03ldZ", ts.tv_nsec / 1'000'000);
  return buf;
}

}  // namespace

Deployment::Deployment(const PodContext& context, const Wiring& wiring, DeploymentSpec spec,
                       int replicas)
    : context_(context),
      wiring_(wiring),
      spec_(std::make_shared<const DeploymentSpec>(std::move(spec))),
      replicas_(replicas),
      rng_(std::random_device{}()) {
  hash_ = local::template_hash(*spec_, *wiring_.common_env, annotations_text(annotations_));
}

std::shared_ptr<Pod> Deployment::pod(const std::string& name) const {
  for (const auto& p : pods_) {
    if (p->name() == name) return p;
  }
  return nullptr;
}

void Deployment::tick(int64_t now_ns) {
  for (const auto& p : pods_) p->tick(now_ns);
  pods_.erase(std::remove_if(pods_.begin(), pods_.end(), [](const auto& p) { return p->gone(); }),
              pods_.end());
  if (!stopped_) reconcile();
}

int Deployment::current() const {
  return static_cast<int>(
      std::count_if(pods_.begin(), pods_.end(), [](const auto& p) { return !p->deleting(); }));
}

int Deployment::ready() const {
  return static_cast<int>(std::count_if(
      pods_.begin(), pods_.end(), [](const auto& p) { return !p->deleting() && p->ready(); }));
}

int Deployment::available() const {
  const int64_t now = mono_now_ns();
  return static_cast<int>(std::count_if(pods_.begin(), pods_.end(), [&](const auto& p) {
    return !p->deleting() && p->available(now, spec_->min_ready_seconds);
  }));
}

int Deployment::updated() const {
  return static_cast<int>(std::count_if(pods_.begin(), pods_.end(), [&](const auto& p) {
    return !p->deleting() && p->hash() == hash_;
  }));
}

void Deployment::create_pod() {
  std::map<std::string, uint16_t> ports;
  for (const ContainerPort& cp : spec_->ports) {
    auto port = pick_free_port();
    ports[cp.name] = port.ok() ? port.value() : 0;
  }
  PodWiring w;
  w.path = wiring_.path;
  w.common_env = wiring_.common_env;
  w.ports = ports;
  w.admin_token = wiring_.admin_token;
  w.data_dir = wiring_.data_dir;
  w.pod_name = pod_name(spec_->name, hash_, rng_);
  for (const std::string& dep : spec_->dependencies) {
    auto it = wiring_.addresses.find(dep);
    if (it != wiring_.addresses.end()) w.dependency_addrs[it->second.env] = it->second.value;
  }
  pods_.push_back(std::make_shared<Pod>(context_, spec_, hash_, std::move(w)));
}

int Deployment::remove(std::vector<std::shared_ptr<Pod>> candidates, int count,
                       const std::string& why) {
  // The ReplicaSet controller deletes pods that are not Ready before Ready ones, newer first.
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    if (a->ready() != b->ready()) return !a->ready();
    return a->created_ns() > b->created_ns();
  });
  int removed = 0;
  for (const auto& p : candidates) {
    if (removed >= count) break;
    p->terminate(p->spec().termination_grace_period_seconds, why);
    ++removed;
  }
  return removed;
}

void Deployment::reconcile() {
  std::vector<std::shared_ptr<Pod>> fresh, old;
  for (const auto& p : pods_) {
    if (p->deleting()) continue;
    (p->hash() == hash_ ? fresh : old).push_back(p);
  }
  int fresh_total = static_cast<int>(fresh.size());
  if (old.empty()) {
    for (int i = fresh_total; i < replicas_; ++i) create_pod();
    if (fresh_total > replicas_) remove(fresh, fresh_total - replicas_, "scaled down");
    finish_rollout_if_done(fresh_total);
    return;
  }
  // A rollout: more new pods than wanted (scaled down meanwhile) go first.
  if (fresh_total > replicas_) {
    fresh_total -= remove(fresh, fresh_total - replicas_, "scaled down");
  }
  // The rollout paces itself on available pods: Ready for minReadySeconds.
  const int64_t now = mono_now_ns();
  auto is_available = [&](const std::shared_ptr<Pod>& p) {
    return p->available(now, spec_->min_ready_seconds);
  };
  auto count_available = [&](const std::vector<std::shared_ptr<Pod>>& v) {
    return static_cast<int>(std::count_if(v.begin(), v.end(), is_available));
  };
  auto [surge, unavailable] =
      resolve_fenceposts(spec_->max_surge, spec_->max_unavailable, replicas_);
  RolloutCounts c;
  c.desired = replicas_;
  c.max_surge = surge;
  c.max_unavailable = unavailable;
  c.new_total = fresh_total;
  c.new_available = count_available(fresh);
  c.old_total = static_cast<int>(old.size());
  c.old_available = count_available(old);
  RolloutStep step = plan_rollout_step(c);
  for (int i = 0; i < step.create_new; ++i) create_pod();
  std::vector<std::shared_ptr<Pod>> old_unavailable, old_available;
  for (const auto& p : old) (is_available(p) ? old_available : old_unavailable).push_back(p);
  int removed = remove(old_unavailable, step.remove_old_unavailable, "rollout: old template");
  removed += remove(old_available, step.remove_old_available, "rollout: old template");
  // The last old pod is on its way out: done now, as Kubernetes counts no terminating pods.
  if (removed == c.old_total) finish_rollout_if_done(fresh_total + step.create_new);
}

void Deployment::finish_rollout_if_done(int fresh_total) {
  if (rollout_in_progress_ && fresh_total == replicas_ && available() == replicas_) {
    rollout_in_progress_ = false;
    context_.events->add("rollout-finished", spec_->name, "",
                         "revision " + std::to_string(revision_));
  }
}

Result<uint64_t> Deployment::scale(int replicas, bool by_hpa, const std::string& why) {
  if (replicas < 0) return Error("replicas must be >= 0, got " + std::to_string(replicas));
  int from = replicas_;
  replicas_ = replicas;
  return context_.events->add(
      by_hpa ? "hpa-scaled" : "scaled", spec_->name, "",
      std::to_string(from) + " -> " + std::to_string(replicas) + (why.empty() ? "" : ": " + why));
}

uint64_t Deployment::rollout_restart(
    std::optional<std::map<std::string, std::string>> annotations) {
  if (annotations) {
    annotations_ = std::move(*annotations);
  } else {
    annotations_["kubectl.kubernetes.io/restartedAt"] = rfc3339_now();
  }
  hash_ = local::template_hash(*spec_, *wiring_.common_env, annotations_text(annotations_));
  ++revision_;
  rollout_in_progress_ = true;
  return context_.events->add("rollout-started", spec_->name, "",
                              "revision " + std::to_string(revision_) + ", template " + hash_);
}

void Deployment::terminate_all() {
  stopped_ = true;
  for (const auto& p : pods_) {
    if (!p->deleting()) p->terminate(p->spec().termination_grace_period_seconds, "shutdown");
  }
}

}  // namespace stampede::local
