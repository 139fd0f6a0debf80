#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "targets/local/cli/api_client.h"
#include "targets/local/cli/commands.h"
#include "targets/local/cli/kubeconfig_file.h"
#include "targets/local/cli/ps_render.h"
#include "targets/local/cli/runtime_file.h"

namespace stampede::local {
namespace {

Result<nlohmann::json> get(const RuntimeInfo& info, const std::string& path) {
  auto r = api_call(info, "GET", path);
  if (!r.ok()) return r.error();
  if (r.value().status != 200) {
    return Error("GET " + path + ": HTTP " + std::to_string(r.value().status) + " " +
                 r.value().body.dump());
  }
  return r.value().body;
}

// Waits until none of `pids` exists; false at the deadline.
bool wait_gone(const std::vector<pid_t>& pids, std::chrono::steady_clock::time_point deadline) {
  while (std::chrono::steady_clock::now() < deadline) {
    bool any = false;
    for (pid_t pid : pids) any = any || process_alive(pid);
    if (!any) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

int ps_main(const PsFlags& flags) {
  std::string dir = absolute_state_dir(flags.state_dir);
  auto info = read_runtime_file(dir);
  if (!info.ok()) {
    std::fprintf(stderr, "error: %s\n", info.error().message().c_str());
    return kUpExitFailure;
  }
  auto status = get(info.value(), "/v1/status");
  auto deployments = get(info.value(), "/v1/deployments");
  auto pods = get(info.value(), "/v1/pods");
  for (const auto* r : {&status, &deployments, &pods}) {
    if (!r->ok()) {
      std::fprintf(stderr, "error: %s\n", r->error().message().c_str());
      return kUpExitFailure;
    }
  }
  if (flags.json) {
    auto hpas = get(info.value(), "/v1/hpas");
    nlohmann::json all = {{"status", status.value()},
                          {"deployments", deployments.value()},
                          {"pods", pods.value()},
                          {"hpas", hpas.ok() ? hpas.value() : nlohmann::json::array()}};
    std::printf("%s\n", all.dump(2).c_str());
  } else {
    std::fputs(render_ps(status.value(), deployments.value(), pods.value()).c_str(), stdout);
  }
  return kUpExitOk;
}

int down_main(const DownFlags& flags) {
  std::string dir = absolute_state_dir(flags.state_dir);
  auto info = read_runtime_file(dir);
  if (!info.ok()) {
    std::fprintf(stderr, "stampede down: nothing running in %s\n", dir.c_str());
    return kUpExitOk;
  }
  pid_t supervisor = info.value().pid;
  if (!process_alive(supervisor)) {
    // Its pods died with it (parent-death signal); only the files are left.
    ::unlink(runtime_file_path(dir).c_str());
    ::unlink(kubeconfig_path(dir).c_str());
    std::fprintf(stderr, "stampede down: pid %d is gone; removed its stale runtime.json\n",
                 static_cast<int>(supervisor));
    return kUpExitOk;
  }
  std::vector<pid_t> pids = {supervisor};
  auto pods = get(info.value(), "/v1/pods");
  if (pods.ok()) {
    for (const auto& p : pods.value()) {
      if (p["pid"].get<int>() > 0) pids.push_back(p["pid"].get<int>());
    }
  }
  auto answer = api_call(info.value(), "POST", "/v1/shutdown");
  if (!answer.ok() || answer.value().status != 200) {
    std::fprintf(
        stderr,
        "stampede down: the control API did not take the shutdown (%s); sending SIGTERM to %d\n",
        answer.ok() ? ("HTTP " + std::to_string(answer.value().status)).c_str()
                    : answer.error().message().c_str(),
        static_cast<int>(supervisor));
    ::kill(supervisor, SIGTERM);
  }
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_seconds * 1000));
  if (wait_gone(pids, deadline)) {
    std::fprintf(stderr, "stampede down: stopped %zu processes\n", pids.size());
    return kUpExitOk;
  }
  // Past the timeout: SIGKILL the supervisor; its pods follow through the parent-death signal.
  std::fprintf(stderr, "stampede down: still running after %gs; killing pid %d\n",
               flags.timeout_seconds, static_cast<int>(supervisor));
  ::kill(supervisor, SIGKILL);
  for (pid_t pid : pids) ::kill(-pid, SIGKILL);
  wait_gone(pids, std::chrono::steady_clock::now() + std::chrono::seconds(10));
  ::unlink(runtime_file_path(dir).c_str());
  ::unlink(kubeconfig_path(dir).c_str());
  return kUpExitFailure;
}

}  // namespace stampede::local
