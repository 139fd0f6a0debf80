#include "targets/local/runtime/runtime.h"

#include <unistd.h>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "targets/local/runtime/clock.h"

namespace stampede::local {
namespace {

constexpr auto kTick = std::chrono::milliseconds(50);
constexpr double kCpuSamplePeriod = 1.0;

}  // namespace

Runtime::Runtime(RuntimeOptions options)
    : options_(std::move(options)), started_ns_(mono_now_ns()) {}

Result<std::unique_ptr<Runtime>> Runtime::start(RuntimeOptions options) {
  std::unique_ptr<Runtime> rt(new Runtime(std::move(options)));
  if (auto s = rt->init(); !s.ok()) return s.error();
  rt->schedule_tick();
  rt->control_ = std::thread([r = rt.get()] { r->io_.run(); });
  return rt;
}

Status Runtime::init() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string logs = options_.state_dir + "/logs";
  const std::string data = options_.state_dir + "/data";
  for (const std::string& dir : {logs, data}) {
    fs::create_directories(dir, ec);
    if (ec) return Error(dir + ": cannot create: " + ec.message());
  }
  const Values& values = options_.values;
  pod_context_.events = &events_;
  pod_context_.log_dir = logs;
  pod_context_.binary_dir = options_.binary_dir;
  pod_context_.executables = values.local.executables;
  pod_context_.backoff_base_seconds = values.local.crash_loop_backoff_base_seconds;
  pod_context_.backoff_max_seconds = values.local.crash_loop_backoff_max_seconds;
  pod_context_.launch_probe = [this](const ProbeSpec& spec, const ProbeTarget& target,
                                     std::function<void(const ProbeOutcome&)> done) {
    launch_probe(spec, target, std::move(done));
  };
  wiring_.common_env = &values.common_env;
  const char* path = std::getenv("PATH");
  wiring_.path = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  wiring_.admin_token = options_.admin_token;
  wiring_.data_dir = data;
  cpu_.set_window(values.local.cpu_window_seconds);
  // CPU limits through cgroups where this machine allows it; said plainly where it does not.
  if (values.local.cpu_limits == CpuLimitsSetting::kOff) {
    cpu_limits_status_ = "off: localRuntime.cpuLimits is off";
  } else {
    CpuLimitSupport support = probe_cpu_limits();
    cpu_limits_status_ = support.describe();
    if (support.mode == CpuLimitMode::kOff) {
      if (values.local.cpu_limits == CpuLimitsSetting::kRequired) {
        return Error("localRuntime.cpuLimits: required, but " + support.why_not);
      }
      std::fprintf(stderr, "stampede up: %s\n", support.why_not.c_str());
    } else {
      // Groups are up<pid>-<pod>; empty ones a crashed runtime left behind go now (groups that
      // hold processes, another runtime's, are left alone).
      auto stale = CpuLimiter(support, "up").remove_stale();
      if (stale.ok() && stale.value().removed > 0) {
        std::fprintf(stderr, "stampede up: removed %d stale cgroups\n", stale.value().removed);
      }
      cpu_limiter_ = std::make_unique<CpuLimiter>(support, "up" + std::to_string(::getpid()) + "-");
      pod_context_.cpu_limiter = cpu_limiter_.get();
    }
  }

  // Services first: their ports are the addresses the pods are given.
  for (const DeploymentSpec& d : values.deployments) {
    if (!d.service) continue;
    auto fixed = values.local.service_ports.find(d.name);
    uint16_t port =
        fixed == values.local.service_ports.end() ? 0 : static_cast<uint16_t>(fixed->second);
    auto proxy = ServiceProxy::start(d.name, "127.0.0.1", port);
    if (!proxy.ok()) return proxy.error().with_context("service " + d.name);
    if (!d.address_env.empty()) {
      wiring_.addresses[d.name] = {d.address_env,
                                   "127.0.0.1:" + std::to_string(proxy.value()->port())};
    }
    proxies_[d.name] = std::move(proxy).value();
  }
  for (const DeploymentSpec& d : values.deployments) {
    int replicas = d.replicas;
    if (d.autoscaling.enabled) {
      auto hpa = HpaRunner::create(d);
      if (!hpa.ok()) return hpa.error();
      hpas_[d.name] = std::move(hpa).value();
      // The HPA owns the replica count; it starts from minReplicas.
      replicas =
          std::max(d.autoscaling.min_replicas, std::min(replicas, d.autoscaling.max_replicas));
    }
    deployments_.push_back(std::make_unique<Deployment>(pod_context_, wiring_, d, replicas));
  }
  return Status::Ok();
}

Runtime::~Runtime() {
  stop();
}

void Runtime::schedule_tick() {
  timer_.expires_after(kTick);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    tick();
    schedule_tick();
  });
}

void Runtime::tick() {
  int64_t now_ns = mono_now_ns();
  double now = mono_seconds(now_ns);
  for (const auto& d : deployments_) d->tick(now_ns);
  update_endpoints();
  if (now >= next_cpu_sample_) {
    cpu_.sample(now, deployments_);
    next_cpu_sample_ = now + kCpuSamplePeriod;
  }
  if (now >= next_hpa_sync_) {
    if (next_hpa_sync_ > 0 && !shutting_down_) {
      for (auto& [name, hpa] : hpas_) {
        if (Deployment* d = deployment(name)) hpa->sync(now, *d, cpu_);
      }
    }
    next_hpa_sync_ = now + options_.values.local.hpa_sync_period_seconds;
  }
  if (observer_) observer_();
}

void Runtime::after_call() {
  update_endpoints();  // an action may have changed readiness: the Service follows at once
  if (observer_) observer_();
}

void Runtime::update_endpoints() {
  for (const auto& d : deployments_) {
    auto proxy = proxies_.find(d->name());
    if (proxy == proxies_.end()) continue;
    std::vector<Endpoint> endpoints;
    const std::string& target = d->spec().service->target_port;
    for (const auto& pod : d->pods()) {
      if (!pod->ready() || pod->deleting()) continue;
      auto port = pod->ports().find(target);
      if (port != pod->ports().end()) endpoints.push_back({pod->name(), "127.0.0.1", port->second});
    }
    std::vector<Endpoint>& last = endpoints_[d->name()];
    bool same = last.size() == endpoints.size();
    for (size_t i = 0; same && i < last.size(); ++i) {
      same = last[i].pod == endpoints[i].pod && last[i].port == endpoints[i].port;
    }
    if (same) continue;
    last = endpoints;
    proxy->second->set_endpoints(endpoints);
  }
}

void Runtime::launch_probe(const ProbeSpec& spec, const ProbeTarget& target,
                           std::function<void(const ProbeOutcome&)> done) {
  boost::asio::post(probe_pool_, [this, spec, target, done = std::move(done)] {
    ProbeOutcome outcome = run_probe(spec, target);
    boost::asio::post(io_, [this, done, outcome] {
      done(outcome);
      update_endpoints();  // readiness may have changed: endpoints follow without waiting a tick
    });
  });
}

Deployment* Runtime::deployment(const std::string& name) const {
  for (const auto& d : deployments_) {
    if (d->name() == name) return d.get();
  }
  return nullptr;
}

std::shared_ptr<Pod> Runtime::pod(const std::string& name) const {
  for (const auto& d : deployments_) {
    if (auto p = d->pod(name)) return p;
  }
  return nullptr;
}

ServiceProxy* Runtime::proxy(const std::string& service) const {
  auto it = proxies_.find(service);
  return it == proxies_.end() ? nullptr : it->second.get();
}

std::vector<Endpoint> Runtime::service_endpoints(const std::string& service) const {
  auto it = endpoints_.find(service);
  return it == endpoints_.end() ? std::vector<Endpoint>() : it->second;
}

const HpaRunner* Runtime::hpa(const std::string& deployment) const {
  auto it = hpas_.find(deployment);
  return it == hpas_.end() ? nullptr : it->second.get();
}

double Runtime::pod_cpu_millicores(const std::string& pod) const {
  auto u = cpu_.usage(pod);
  return u ? u->millicores : -1;
}

void Runtime::shutdown() {
  auto grace = call([this] {
    shutting_down_ = true;
    int longest = 0;
    for (const auto& d : deployments_) {
      longest = std::max(longest, d->spec().termination_grace_period_seconds);
      d->terminate_all();
    }
    return longest;
  });
  if (!grace.ok()) return;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace.value() + 10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = call([this] {
      size_t n = 0;
      for (const auto& d : deployments_) n += d->pods().size();
      return n;
    });
    if (!left.ok() || left.value() == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Past every grace period: SIGKILL whatever is left, and reap it.
  (void)call([this] {
    for (const auto& d : deployments_) {
      for (const auto& p : d->pods()) signal_group(p->pid(), SIGKILL);
    }
    return 0;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
}

void Runtime::stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  boost::asio::post(io_, [this] { timer_.cancel(); });
  probe_pool_.join();
  io_.stop();
  if (control_.joinable()) control_.join();
  for (const auto& d : deployments_) {
    for (const auto& p : d->pods()) signal_group(p->pid(), SIGKILL);
  }
  for (auto& [name, proxy] : proxies_) proxy->stop();
}

}  // namespace stampede::local
