// Load on a local Service through gRPC: every call on a fresh channel (a new TCP connection),
// so that the Service's proxy balances each call as kube-proxy balances connections. Used by
// the runtime tests; a GrpcLoad runs on its own thread, bounded in rate and time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace runtime_test {

// One ProductCatalogService/GetProduct through 127.0.0.1:port; "" on success, else the error.
std::string get_product_once(uint16_t port, std::chrono::milliseconds deadline);

struct CallOutcome {
  int64_t mono_ns = 0;  // when the call started
  bool ok = false;
  std::string error;
};

// Calls get_product_once() `rate` times a second for at most `duration` (or until stop()).
// Thread-safe: outcomes() may be read while it runs.
class GrpcLoad {
 public:
  GrpcLoad(uint16_t port, double rate, std::chrono::milliseconds duration);
  ~GrpcLoad();  // stop()
  void stop();  // ends the load now and joins the thread
  void wait();  // joins the thread once the duration has passed
  std::vector<CallOutcome> outcomes() const;

 private:
  void run(uint16_t port, double rate, std::chrono::milliseconds duration);
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<CallOutcome> outcomes_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace runtime_test
