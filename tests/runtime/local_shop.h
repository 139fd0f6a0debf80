// The shop run by the real `stampede up --detach` for the runtime tests: its own state folder
// under the test temp dir, values given as an overlay file and --set flags, the control API at
// hand through runtime.json. The destructor runs `stampede down` and, should anything survive
// it, SIGKILLs the supervisor and every pod it knew of. Used from one test thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "targets/local/cli/api_client.h"
#include "targets/local/cli/runtime_file.h"
#include "tests/engine/engine_fixture.h"

namespace runtime_test {

using nlohmann::json;

struct UpOptions {
  std::vector<std::string> enabled;       // services to run; empty: the chart's choice (all)
  std::string values_yaml;                // overlay written to a file and passed with --values
  std::vector<std::string> values_files;  // more --values files, after values_yaml, in order
  std::vector<std::string> sets;          // --set flags
  int ready_timeout_seconds = 120;
};

class LocalShop {
 public:
  // Runs `stampede up --detach`. Never null: ready() says whether it came up Ready, and
  // up_result() holds what it printed (the supervisor may be running either way).
  static std::unique_ptr<LocalShop> up(const UpOptions& options);
  ~LocalShop();
  LocalShop(const LocalShop&) = delete;
  LocalShop& operator=(const LocalShop&) = delete;

  bool ready() const { return up_result_.exit_code == 0 && info_.pid > 0; }
  const stampede::engine_test::RunResult& up_result() const { return up_result_; }
  std::string up_output() const { return stampede::engine_test::describe(up_result_); }
  const stampede::local::RuntimeInfo& info() const { return info_; }
  const std::string& state_dir() const { return state_dir_; }
  const std::string& url() const { return url_; }
  stampede::engine_test::TempDir& dir() { return dir_; }

  // One API call; status 0 when the API did not answer.
  stampede::local::ApiAnswer call(const std::string& method, const std::string& path,
                                  const std::string& body = "");
  json get(const std::string& path);  // the body of a 200, else null
  json pods(const std::string& deployment);
  json deployment(const std::string& name);
  uint16_t service_port(const std::string& name);
  // Events with seq >= since.
  json events(uint64_t since = 0);
  // The first event of `kind` for `pod` (any pod when "") with seq >= since; null when none.
  json find_event(const std::string& kind, const std::string& pod, uint64_t since = 0);
  // Runs `stampede down`; its result.
  stampede::engine_test::RunResult down();

 private:
  LocalShop() = default;
  stampede::engine_test::TempDir dir_;
  std::string state_dir_;
  std::string url_;
  stampede::local::RuntimeInfo info_;
  bool down_ = false;
  stampede::engine_test::RunResult up_result_;
};

// Values overlay enabling only `services` (every other service of the chart disabled).
std::string only_services(const std::vector<std::string>& services);
// Polls `condition` every 50 ms for up to `limit`.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit);
// The monotonic clock of the runtime's events, in ns.
int64_t mono_now_ns();
// CPU seconds (user + system) a process has used, from /proc; -1 when it is gone.
double process_cpu_seconds(pid_t pid);

}  // namespace runtime_test
