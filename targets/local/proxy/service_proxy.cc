#include "targets/local/proxy/service_proxy.h"

#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "targets/local/proxy/proxy_core.h"

namespace stampede::local {
namespace {

// How long stop() lets the io thread finish closing before it stops the loop regardless.
constexpr std::chrono::seconds kStopGrace{10};

// One io thread serves every connection of the Service: the proxy sits on loopback in front of
// local processes, where the kernel's copies, not the proxy's bookkeeping, bound the throughput;
// one thread needs no locks on the data path, keeps a connection's two directions and its
// faults on one timeline, and leaves the machine's other cores to the load generator and the
// services themselves (bench/proxy.sh measures the cost).
class ServiceProxyImpl final : public ServiceProxy {
 public:
  ServiceProxyImpl(std::string name, std::unique_ptr<internal::ProxyCore> core)
      : name_(std::move(name)), core_(std::move(core)) {
    std::promise<void> finished;
    finished_ = finished.get_future();
    thread_ = std::thread([this, finished = std::move(finished)]() mutable {
      core_->run();
      finished.set_value();
    });
  }
  ServiceProxyImpl(const ServiceProxyImpl&) = delete;
  ServiceProxyImpl& operator=(const ServiceProxyImpl&) = delete;
  ~ServiceProxyImpl() override { stop(); }

  const std::string& name() const override { return name_; }
  uint16_t port() const override { return core_->port(); }

  void set_endpoints(std::vector<Endpoint> endpoints) override {
    core_->endpoints().set(std::move(endpoints));
  }
  std::vector<Endpoint> endpoints() const override { return core_->endpoints().list(); }

  Status set_fault(const ProxyFault& fault) override {
    if (Status s = core_->faults().set(fault); !s) {
      return s.error().with_context("service proxy " + name_ + ": fault");
    }
    core_->notify_fault(fault.reset_existing);
    return Status::Ok();
  }
  void clear_fault() override {
    core_->faults().clear();
    core_->notify_fault(false);
  }
  ProxyFault fault() const override { return core_->faults().get(); }
  ProxyStats stats() const override { return core_->counters().snapshot(); }

  void stop() override {
    std::lock_guard lock(stop_mu_);
    if (!thread_.joinable()) return;
    core_->shutdown();
    if (finished_.wait_for(kStopGrace) != std::future_status::ready) core_->force_stop();
    thread_.join();
  }

 private:
  const std::string name_;
  const std::unique_ptr<internal::ProxyCore> core_;
  std::mutex stop_mu_;  // serialises stop()
  std::future<void> finished_;
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<ServiceProxy>> ServiceProxy::start(const std::string& name,
                                                          const std::string& bind_host,
                                                          uint16_t port) {
  auto core = internal::ProxyCore::open(bind_host, port);
  if (!core.ok()) return core.error().with_context("service proxy " + name);
  return std::unique_ptr<ServiceProxy>(
      std::make_unique<ServiceProxyImpl>(name, std::move(core).value()));
}

}  // namespace stampede::local
