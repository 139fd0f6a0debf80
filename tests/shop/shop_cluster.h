// A whole shop on loopback for end-to-end tests: every service of the `shop` binary started as
// its own process (PORT=0, PORT_FILE, LISTEN_ADDR=127.0.0.1, an admin token, a temp data dir),
// wired to each other through *_SERVICE_ADDR in dependency order, optionally with a real
// redis-server behind the cart. Processes are SIGTERM'd (then SIGKILL'd) and the data dir removed
// on destruction. Used from one test thread; not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace shop_test {

struct ClusterOptions {
  bool redis = false;  // start redis-server and give the cart REDIS_ADDR
  // Extra environment per service ("checkout" -> {"PAYMENT_BREAKER_FAILURES": "3"}); "*" applies
  // to every service.
  std::map<std::string, std::map<std::string, std::string>> env;
};

struct ServiceProcess {
  pid_t pid = -1;
  uint16_t port = 0;
  uint16_t metrics_port = 0;
  uint16_t admin_port = 0;
  std::vector<std::string> env;  // what it was started with, for restart()
};

class ShopCluster {
 public:
  // The services in start order (dependencies first).
  static const std::vector<std::string>& services();

  // Starts everything; on failure returns null and fills `error` (with the failing service's
  // log tail).
  static std::unique_ptr<ShopCluster> start(const ClusterOptions& options, std::string& error);
  ~ShopCluster();
  ShopCluster(const ShopCluster&) = delete;
  ShopCluster& operator=(const ShopCluster&) = delete;

  const std::filesystem::path& data_dir() const { return dir_; }
  std::string frontend_url() const;
  const ServiceProcess& service(const std::string& name) const { return procs_.at(name); }
  std::string address(const std::string& name) const;
  uint16_t redis_port() const { return redis_port_; }

  // PUT/DELETE /admin/faults on the service's admin port; returns the HTTP status (0: no answer).
  int set_faults(const std::string& name, const std::string& json);
  int clear_faults(const std::string& name);
  // The service's /metrics text ("" when it does not answer).
  std::string metrics(const std::string& name) const;

  // Sends a signal to the service's process.
  void signal(const std::string& name, int sig);
  // Waits for the process to exit (at most `timeout`); its exit code, 128+signal when killed by
  // one, or -1 on timeout.
  int wait_exit(const std::string& name, std::chrono::milliseconds timeout);
  // Starts the service again with the same environment (a fresh port unless `same_port`).
  bool restart(const std::string& name, std::string& error, bool same_port = true);
  // The last `lines` lines of the service's log.
  std::string log_tail(const std::string& name, int lines = 30) const;

 private:
  ShopCluster() = default;
  bool launch(const std::string& name, std::vector<std::string> env, std::string& error);
  void stop_all();

  std::filesystem::path dir_;
  std::string token_ = "test-admin-token";
  std::map<std::string, ServiceProcess> procs_;
  pid_t redis_pid_ = -1;
  uint16_t redis_port_ = 0;
};

// A minimal HTTP/1.1 exchange with 127.0.0.1:port (Connection: close), bounded by `timeout`.
struct HttpReply {
  int status = 0;                              // 0: no response (connection error or timeout)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};
HttpReply http_call(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Runs `shop ARGS...` to completion; returns {exit code, stdout}.
std::pair<int, std::string> run_shop(const std::vector<std::string>& args);

// Polls `condition` every 50 ms for up to `limit`.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit);

// The value of the first sample of `metric` whose labels contain `labels` (e.g.
// "dependency=\"payment\""), from Prometheus text; NaN when absent.
double metric_value(const std::string& text, const std::string& metric,
                    const std::string& labels = "");

}  // namespace shop_test
