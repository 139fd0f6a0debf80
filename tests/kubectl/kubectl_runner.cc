#include "tests/kubectl/kubectl_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "common/testing/subprocess.h"

extern char** environ;

namespace kubectl_test {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

pid_t spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const fs::path& out, const fs::path& err) {
  return stampede::spawn_process(args, out.string(), err.string(), &env);
}

KubectlResult collect(pid_t pid, const fs::path& out, const fs::path& err,
                      steady_clock::time_point start, milliseconds limit) {
  KubectlResult r;
  int status = stampede::wait_until(pid, steady_clock::now() + limit);
  if (status == -1) {
    r.timed_out = true;
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  r.elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
  r.exit_code = !r.timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

}  // namespace

std::string KubectlResult::describe() const {
  return "exit " + std::to_string(exit_code) + (timed_out ? " (timed out)" : "") + " after " +
         std::to_string(elapsed.count()) + " ms\n--- stdout\n" + out + "\n--- stderr\n" + err;
}

Kubectl::Kubectl(std::string kubeconfig, fs::path dir)
    : kubeconfig_(std::move(kubeconfig)), dir_(std::move(dir)) {
  fs::create_directories(dir_ / "home");
}

std::string Kubectl::binary() {
  std::string path = std::string(STAMPEDE_SOURCE_DIR) + "/tests/chart/bin/kubectl";
  return access(path.c_str(), X_OK) == 0 ? path : "";
}

std::vector<std::string> Kubectl::argv(const std::vector<std::string>& args) const {
  std::vector<std::string> v = {binary(), "--cache-dir", (dir_ / "cache").string(),
                                "--request-timeout=20s"};
  v.insert(v.end(), args.begin(), args.end());
  return v;
}

std::vector<std::string> Kubectl::env() const {
  return {"KUBECONFIG=" + kubeconfig_, "HOME=" + (dir_ / "home").string(), "PATH=/usr/bin:/bin",
          "LANG=C"};
}

KubectlResult Kubectl::run(const std::vector<std::string>& args, milliseconds limit) const {
  if (binary().empty()) {
    KubectlResult r;
    r.err = "tests/chart/bin/kubectl is missing: run scripts/install-deps.sh";
    return r;
  }
  int n = runs_++;
  fs::path out = dir_ / ("kubectl" + std::to_string(n) + ".out");
  fs::path err = dir_ / ("kubectl" + std::to_string(n) + ".err");
  auto start = steady_clock::now();
  pid_t pid = spawn(argv(args), env(), out, err);
  if (pid <= 0) {
    KubectlResult r;
    r.err = "could not start " + binary();
    return r;
  }
  return collect(pid, out, err, start, limit);
}

std::unique_ptr<Kubectl::Background> Kubectl::start(const std::vector<std::string>& args) const {
  int n = runs_++;
  fs::path out = dir_ / ("kubectl" + std::to_string(n) + ".out");
  fs::path err = dir_ / ("kubectl" + std::to_string(n) + ".err");
  pid_t pid = binary().empty() ? -1 : spawn(argv(args), env(), out, err);
  return std::make_unique<Background>(pid, out, err);
}

Kubectl::Background::Background(pid_t pid, fs::path out, fs::path err)
    : pid_(pid), out_(std::move(out)), err_(std::move(err)), start_(steady_clock::now()) {}

Kubectl::Background::~Background() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string Kubectl::Background::output() const {
  return read_file(out_);
}

KubectlResult Kubectl::Background::stop(milliseconds limit) {
  if (pid_ <= 0) {
    KubectlResult r;
    r.err = "kubectl was not started";
    return r;
  }
  KubectlResult r = collect(pid_, out_, err_, start_, limit);
  pid_ = -1;
  return r;
}

}  // namespace kubectl_test
