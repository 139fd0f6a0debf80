#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "targets/local/api/api_server.h"
#include "targets/local/api/kube/kube_api.h"
#include "targets/local/api/kube/tls_front.h"
#include "targets/local/cli/api_client.h"
#include "targets/local/cli/commands.h"
#include "targets/local/cli/kubeconfig_file.h"
#include "targets/local/cli/runtime_file.h"
#include "targets/local/process/child_process.h"
#include "targets/local/runtime/clock.h"
#include "targets/local/runtime/runtime.h"
#include "targets/local/values/values_loader.h"

namespace stampede::local {
namespace {

std::string random_token() {
  std::random_device rd;
  char buf[33];
  for (int i = 0; i < 32; i += 8) std::snprintf(buf + i, 9, "%08x", rd());
  return std::string(buf, 32);
}

std::string binary_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : exe.parent_path().string();
}

// The supervisor in this process: runs until a signal or POST /v1/shutdown.
int supervise(RuntimeOptions options) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // Blocked before any thread starts, so every thread inherits the mask and sigtimedwait below
  // is the only place they are taken.
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  std::string state_dir = options.state_dir;
  std::string values_path = options.values_path;
  bool kube_extensions = options.values.local.kubernetes_api_extensions;
  auto runtime = Runtime::start(std::move(options));
  if (!runtime.ok()) {
    std::fprintf(stderr, "error: %s\n", runtime.error().message().c_str());
    return kUpExitFailure;
  }
  std::atomic<bool> stop_requested{false};
  std::string token = random_token();
  // The Kubernetes API, on the same port and token as the control API.
  kube::KubeApiOptions kube_options;
  kube_options.token = token;
  kube_options.extensions = kube_extensions;
  auto kube_api = kube::KubeApi::start(*runtime.value(), kube_options);
  if (!kube_api.ok()) {
    std::fprintf(stderr, "error: %s\n", kube_api.error().message().c_str());
    runtime.value()->shutdown();
    return kUpExitFailure;
  }
  kube::KubeApi* kube = kube_api.value().get();
  auto api = ApiServer::start(
      *runtime.value(), token, [&] { stop_requested = true; }, 0,
      [kube](const http::Request& request, const http::Peer&) { return kube->handle(request); });
  if (!api.ok()) {
    std::fprintf(stderr, "error: %s\n", api.error().message().c_str());
    kube->stop();
    runtime.value()->shutdown();
    return kUpExitFailure;
  }
  kube->set_port(api.value()->port());
  // kubectl sends the token only over https: a TLS front relays to the same server.
  auto identity = kube::make_tls_identity();
  Result<std::unique_ptr<kube::TlsFront>> front =
      identity.ok() ? kube::TlsFront::start(identity.value(), api.value()->port())
                    : Result<std::unique_ptr<kube::TlsFront>>(identity.error());
  if (!front.ok()) {
    std::fprintf(stderr, "error: %s\n", front.error().message().c_str());
    api.value()->stop();
    kube->stop();
    runtime.value()->shutdown();
    return kUpExitFailure;
  }
  const std::string kube_server = "https://127.0.0.1:" + std::to_string(front.value()->port());
  RuntimeInfo info;
  info.pid = ::getpid();
  info.api = "http://127.0.0.1:" + std::to_string(api.value()->port());
  info.token = token;
  info.state_dir = state_dir;
  info.values = values_path;
  info.started_unix_ms = unix_ms_of(mono_now_ns());
  Status written = write_kubeconfig(state_dir, kube_server, token, identity.value().ca_pem);
  if (written.ok()) written = write_runtime_file(info);
  if (!written.ok()) {
    std::fprintf(stderr, "error: %s\n", written.error().message().c_str());
    front.value()->stop();
    api.value()->stop();
    kube->stop();
    runtime.value()->shutdown();
    ::unlink(kubeconfig_path(state_dir).c_str());
    return kUpExitFailure;
  }
  std::fprintf(stderr,
               "stampede up: control API %s, state in %s (pid %d); Kubernetes API %s (kubectl: "
               "KUBECONFIG=%s)\n",
               info.api.c_str(), state_dir.c_str(), static_cast<int>(info.pid), kube_server.c_str(),
               kubeconfig_path(state_dir).c_str());
  while (!stop_requested) {
    timespec wait{0, 200'000'000};
    int sig = sigtimedwait(&stop_signals, nullptr, &wait);
    if (sig == SIGINT || sig == SIGTERM) {
      std::fprintf(stderr, "stampede up: %s, stopping everything\n",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
      break;
    }
  }
  runtime.value()->shutdown();
  front.value()->stop();
  api.value()->stop();
  kube->stop();
  runtime.value()->stop();
  ::unlink(runtime_file_path(state_dir).c_str());
  ::unlink(kubeconfig_path(state_dir).c_str());
  std::fprintf(stderr, "stampede up: stopped\n");
  return kUpExitOk;
}

// Waits for the detached supervisor to be Ready; prints the frontend URL.
int wait_detached(pid_t child, const std::string& state_dir, double timeout_seconds) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  std::string log = state_dir + "/supervisor.log";
  auto child_failed = [&] {
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) != child) return false;
    std::fprintf(stderr, "error: stampede up failed to start; the end of %s:\n", log.c_str());
    for (const std::string& line : tail_lines(log, 15))
      std::fprintf(stderr, "  %s\n", line.c_str());
    return true;
  };
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    if (child_failed()) return kUpExitFailure;
    auto info = read_runtime_file(state_dir);
    if (info.ok() && info.value().pid == child) {
      auto deployments = api_call(info.value(), "GET", "/v1/deployments");
      if (deployments.ok() && deployments.value().status == 200) {
        bool all_ready = true;
        last.clear();
        std::string url;
        for (const auto& d : deployments.value().body) {
          int want = d["replicas"].get<int>(), ready = d["ready"].get<int>();
          if (ready < want) {
            all_ready = false;
            last += " " + d["name"].get<std::string>() + " " + std::to_string(ready) + "/" +
                    std::to_string(want);
          }
          if (d["service"].is_object() && (url.empty() || d["name"] == "frontend")) {
            url = "http://127.0.0.1:" + std::to_string(d["service"]["port"].get<int>());
          }
        }
        if (all_ready) {
          std::fprintf(stderr,
                       "stampede up: everything is Ready (state in %s; `stampede down` stops it)\n",
                       state_dir.c_str());
          std::printf("%s\n", url.c_str());
          return kUpExitOk;
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::fprintf(stderr,
               "error: not Ready after %gs:%s; still running (see `stampede ps`, stop with "
               "`stampede down`)\n",
               timeout_seconds, last.empty() ? " the control API did not answer" : last.c_str());
  return kUpExitFailure;
}

}  // namespace

int up_main(const UpFlags& flags) {
  std::string bin = binary_dir();
  ValuesSources sources;
  sources.chart_values = flags.chart_values.empty() ? find_chart_values(bin) : flags.chart_values;
  if (sources.chart_values.empty()) {
    std::fprintf(stderr,
                 "error: charts/shop-reference/values.yaml not found in the current folder or next "
                 "to %s (use --chart-values FILE)\n",
                 bin.c_str());
    return kUpExitBadValues;
  }
  sources.overlay_files = flags.values_files;
  sources.sets = flags.sets;
  auto values = load_values(sources);
  if (!values.ok()) {
    std::fprintf(stderr, "error: %s\n", values.error().message().c_str());
    return kUpExitBadValues;
  }
  RuntimeOptions options;
  options.values = std::move(values).value();
  options.values_path = std::filesystem::absolute(sources.chart_values).string();
  options.state_dir = absolute_state_dir(flags.state_dir);
  options.binary_dir = bin;
  options.admin_token = random_token();
  std::error_code ec;
  std::filesystem::create_directories(options.state_dir, ec);
  if (ec) {
    std::fprintf(stderr, "error: --state-dir %s: %s\n", options.state_dir.c_str(),
                 ec.message().c_str());
    return kUpExitFailure;
  }
  auto running = read_runtime_file(options.state_dir);
  if (running.ok() && process_alive(running.value().pid)) {
    std::fprintf(stderr,
                 "error: stampede up is already running in %s (pid %d); `stampede down` first\n",
                 options.state_dir.c_str(), static_cast<int>(running.value().pid));
    return kUpExitFailure;
  }
  ::unlink(runtime_file_path(options.state_dir).c_str());  // stale
  if (!flags.detach) return supervise(std::move(options));

  std::string state_dir = options.state_dir;
  std::fflush(nullptr);
  pid_t child = ::fork();  // no threads exist yet in this process
  if (child < 0) {
    std::perror("error: fork");
    return kUpExitFailure;
  }
  if (child == 0) {
    ::setsid();
    int null_fd = ::open("/dev/null", O_RDONLY);
    int log_fd =
        ::open((state_dir + "/supervisor.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    if (log_fd >= 0) {
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
    }
    int rc = supervise(std::move(options));
    std::fflush(nullptr);
    std::_Exit(rc);
  }
  return wait_detached(child, state_dir, flags.ready_timeout_seconds);
}

}  // namespace stampede::local
