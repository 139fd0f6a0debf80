// Child processes and files for the engine integration tests; see engine_fixture.h.
#include "tests/engine/engine_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "common/testing/subprocess.h"

extern char** environ;

namespace stampede::engine_test {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A unique new folder under gtest's temp dir (mkdtemp), named after the running test.
fs::path make_temp_dir() {
  std::string name = "stampede_engine_";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    name += std::string(info->test_suite_name()) + "_" + info->name();
  }
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  std::string pattern = (fs::path(::testing::TempDir()) / (name + "_XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

pid_t spawn(const std::vector<std::string>& args, const std::string& out_path,
            const std::string& err_path) {
  return spawn_process(args, out_path, err_path);
}

}  // namespace

TestServer::TestServer() : dir_(make_temp_dir()) {
  if (dir_.empty()) return;
  const fs::path port_file = dir_ / "port";
  pid_ = spawn({STAMPEDE_TESTSERVER_BINARY, "--port", "0", "--port-file", port_file.string()}, "",
               (dir_ / "server.err").string());
  if (pid_ <= 0) return;
  const auto deadline = steady_clock::now() + std::chrono::seconds(5);
  while (steady_clock::now() < deadline) {
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) {
      port_ = port;
      return;
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
}

TestServer::~TestServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (wait_until(pid_, steady_clock::now() + std::chrono::seconds(3)) == -1) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string TestServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string raw_http(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n = 0;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return reply;
}

std::string TestServer::raw_request(const std::string& request) const {
  return raw_http(port_, request);
}

nlohmann::json TestServer::stats() const {
  const std::string reply = raw_request("GET /stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  const size_t body = reply.find("\r\n\r\n");
  if (body == std::string::npos) return nullptr;
  return nlohmann::json::parse(reply.substr(body + 4), nullptr, /*allow_exceptions=*/false);
}

bool TestServer::reset_stats() const {
  const std::string reply =
      raw_request("POST /stats/reset HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
  return reply.rfind("HTTP/1.0 200", 0) == 0 || reply.rfind("HTTP/1.1 200", 0) == 0;
}

RefusingPort::RefusingPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
    port_ = ntohs(addr.sin_port);
  }
}

RefusingPort::~RefusingPort() {
  if (fd_ >= 0) close(fd_);
}

TempDir::TempDir() : path_(make_temp_dir()) {}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const fs::path file = path_ / name;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::trunc) << content;
  return file.string();
}

StampedeProcess::StampedeProcess(const std::vector<std::string>& args, const fs::path& capture_dir)
    : out_path_(capture_dir / "stampede.stdout"),
      err_path_(capture_dir / "stampede.stderr"),
      start_(steady_clock::now()) {
  std::vector<std::string> argv = args;
  argv.insert(argv.begin(), STAMPEDE_BINARY);
  pid_ = spawn(argv, out_path_.string(), err_path_.string());
}

StampedeProcess::~StampedeProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void StampedeProcess::signal(int signal) const {
  if (pid_ > 0) kill(pid_, signal);
}

RunResult StampedeProcess::wait(milliseconds timeout) {
  RunResult result;
  if (pid_ <= 0) {
    result.err = "stampede was not started";
    return result;
  }
  int status = wait_until(pid_, steady_clock::now() + timeout);
  if (status == -1) {
    result.timed_out = true;
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  result.elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start_);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  result.out = read_text(out_path_);
  result.err = read_text(err_path_);
  return result;
}

RunResult run_stampede(const std::vector<std::string>& args, const TempDir& dir,
                       milliseconds timeout) {
  StampedeProcess process(args, dir.path());
  return process.wait(timeout);
}

RunResult run_script(const TempDir& dir, const std::string& script,
                     const std::vector<std::string>& extra, milliseconds timeout) {
  const std::string path = dir.write("script.lua", script);
  std::vector<std::string> args = {"run", "--quiet", "--out", dir.out_dir(), path};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_stampede(args, dir, timeout);
}

nlohmann::json load_summary(const TempDir& dir) {
  const std::string text = read_text(fs::path(dir.out_dir()) / "summary.json");
  if (text.empty()) return nullptr;
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string describe(const RunResult& result) {
  std::ostringstream text;
  text << "exit " << result.exit_code;
  if (result.term_signal != 0) text << " (signal " << result.term_signal << ")";
  if (result.timed_out) text << " (timed out, killed)";
  text << " after " << result.elapsed.count() << " ms\n--- stdout ---\n"
       << result.out.substr(0, 6000) << "\n--- stderr ---\n"
       << result.err.substr(0, 6000);
  return text.str();
}

double metric_field(const nlohmann::json& summary, const std::string& metric,
                    const std::string& field) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!summary.is_object() || !summary.contains("metrics")) return nan;
  const auto& metrics = summary["metrics"];
  if (!metrics.contains(metric) || !metrics[metric].contains(field)) return nan;
  const auto& value = metrics[metric][field];
  return value.is_number() ? value.get<double>() : nan;
}

namespace {

// Depth-first walk over a group and its "groups" (k6 nests them), calling fn on every check.
template <typename Fn>
void for_each_check(const nlohmann::json& group, Fn&& fn) {
  if (!group.is_object()) return;
  if (group.contains("checks")) {
    for (const auto& check : group["checks"]) fn(check);
  }
  if (group.contains("groups")) {
    for (const auto& child : group["groups"]) for_each_check(child, fn);
  }
}

}  // namespace

CheckCounts check_counts(const nlohmann::json& summary, const std::string& name) {
  CheckCounts counts;
  if (!summary.is_object() || !summary.contains("root_group")) return counts;
  for_each_check(summary["root_group"], [&](const nlohmann::json& check) {
    if (check.value("name", "") == name) {
      counts.passes = check.value("passes", int64_t{-1});
      counts.fails = check.value("fails", int64_t{-1});
    }
  });
  return counts;
}

std::string failed_checks(const nlohmann::json& summary) {
  std::string text;
  if (!summary.is_object() || !summary.contains("root_group")) return "no root_group";
  for_each_check(summary["root_group"], [&](const nlohmann::json& check) {
    if (check.value("fails", 0) > 0) text += check.dump() + "\n";
  });
  return text;
}

std::string with_base(const TestServer& server, const std::string& body) {
  return "local BASE = '" + server.base_url() + "'\n" + body;
}

}  // namespace stampede::engine_test
