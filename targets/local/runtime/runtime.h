// The local runtime: runs the chart's values on this machine with Kubernetes semantics. Owns
// one Service proxy per service, one Deployment per enabled service, the event log, the HPAs and
// the CPU sampling, all driven by one control thread (an io_context ticking every 50 ms); probes
// run on a small pool and report back to the control thread.
//
// Thread-safety: start(), call(), shutdown() and stop() are thread-safe. Everything reached
// through the accessors belongs to the control thread: use it only inside call().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "targets/local/proxy/service_proxy.h"
#include "targets/local/runtime/deployment.h"
#include "targets/local/runtime/event_log.h"
#include "targets/local/runtime/hpa_runner.h"
#include "targets/local/values/spec.h"

namespace stampede::local {

struct RuntimeOptions {
  Values values;
  std::string values_path;  // for /v1/status
  std::string state_dir;    // absolute; logs/ and data/ are made inside
  std::string binary_dir;   // where relative executables are looked up
  std::string admin_token;  // given to every pod as ADMIN_TOKEN
};

class Runtime {
 public:
  // Binds every Service port, creates the deployments and starts the control thread (pods start
  // at its first tick). Errors: a Service port that cannot be bound, folders that cannot be made.
  static Result<std::unique_ptr<Runtime>> start(RuntimeOptions options);
  ~Runtime();  // stop()
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs `fn` on the control thread and returns its result; `fn` must own what it captures (it
  // may outlive a caller that gave up). Errors: the runtime is stopped, or 30 s passed.
  template <typename F>
  auto call(F fn) -> Result<decltype(fn())>;

  // Graceful stop of every pod (SIGTERM, grace, SIGKILL) and waits until every process is gone
  // (bounded by the longest grace period + 10 s). Idempotent.
  void shutdown();
  // Stops the control thread and the proxies. Call after shutdown(); idempotent.
  void stop();

  // Control thread only (inside call()).
  const RuntimeOptions& options() const { return options_; }
  const std::vector<std::unique_ptr<Deployment>>& deployments() const { return deployments_; }
  Deployment* deployment(const std::string& name) const;
  std::shared_ptr<Pod> pod(const std::string& name) const;
  ServiceProxy* proxy(const std::string& service) const;
  // The Ready endpoints last given to the service's proxy.
  std::vector<Endpoint> service_endpoints(const std::string& service) const;
  EventLog& events() { return events_; }
  const HpaRunner* hpa(const std::string& deployment) const;
  // Pod CPU usage in millicores over the CPU window; < 0 when unknown.
  double pod_cpu_millicores(const std::string& pod) const;
  int64_t started_ns() const { return started_ns_; }
  std::string cpu_limits_status() const { return cpu_limits_status_; }
  // Called on the control thread at the end of every tick and after every call() task (the
  // Kubernetes API renders its objects from it); empty to remove. Control thread only.
  void set_observer(std::function<void()> observer) { observer_ = std::move(observer); }

 private:
  explicit Runtime(RuntimeOptions options);
  Status init();
  void schedule_tick();
  void tick();
  void update_endpoints();
  // After every call() task: endpoints follow the action at once, then the observer.
  void after_call();
  void launch_probe(const ProbeSpec& spec, const ProbeTarget& target,
                    std::function<void(const ProbeOutcome&)> done);

  RuntimeOptions options_;
  int64_t started_ns_;
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_{io_};
  boost::asio::thread_pool probe_pool_{8};
  std::thread control_;
  bool stopped_ = false;  // guarded by stop_mu_
  std::mutex stop_mu_;

  EventLog events_;
  std::unique_ptr<CpuLimiter> cpu_limiter_;  // declared before the pods that use it
  PodContext pod_context_;
  Wiring wiring_;
  std::map<std::string, std::unique_ptr<ServiceProxy>> proxies_;
  std::map<std::string, std::vector<Endpoint>> endpoints_;  // last set, per service
  std::vector<std::unique_ptr<Deployment>> deployments_;
  std::map<std::string, std::unique_ptr<HpaRunner>> hpas_;
  CpuSampler cpu_;
  std::string cpu_limits_status_ = "off";
  double next_cpu_sample_ = 0;
  double next_hpa_sync_ = 0;
  bool shutting_down_ = false;
  std::function<void()> observer_;
};

template <typename F>
auto Runtime::call(F fn) -> Result<decltype(fn())> {
  using R = decltype(fn());
  auto task = std::make_shared<std::packaged_task<R()>>(std::move(fn));
  std::future<R> result = task->get_future();
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return Error("the runtime is stopped");
    boost::asio::post(io_, [this, task] {
      (*task)();
      after_call();
    });
  }
  if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    return Error("the runtime did not answer within 30 s");
  }
  return result.get();
}

}  // namespace stampede::local
