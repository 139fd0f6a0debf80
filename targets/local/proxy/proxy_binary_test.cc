// stampede-proxy as a process: it prints where it listens, proxies, applies a fault from its
// flags, stops on SIGTERM with exit 0, and rejects bad flags with exit 2 and one line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "targets/local/proxy/testing/proxy_fixture.h"

extern char** environ;

namespace stampede::local::testing {
namespace {

using std::chrono::milliseconds;

// The proxy binary as a child process with its stdout and stderr on pipes. Killed (SIGKILL) in
// the destructor if still running, so a failing test leaves nothing behind.
class ProxyProcess {
 public:
  explicit ProxyProcess(std::vector<std::string> args) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return;
    args.insert(args.begin(), STAMPEDE_PROXY_BINARY);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }
  ProxyProcess(const ProxyProcess&) = delete;
  ProxyProcess& operator=(const ProxyProcess&) = delete;
  ~ProxyProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
    if (err_ >= 0) ::close(err_);
  }

  bool running() const { return pid_ > 0; }
  // The first line on stdout (up to 10 s).
  std::string first_line() { return read_line(out_); }
  std::string first_error_line() { return read_line(err_); }
  void signal(int sig) { ::kill(pid_, sig); }
  // The exit code, or -1 if it does not exit within 10 s (or died of a signal).
  int wait_exit() {
    for (int i = 0; i < 1000; ++i) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    return -1;
  }

 private:
  static std::string read_line(int fd) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    while (std::chrono::steady_clock::now() < deadline) {
      char c;
      const ssize_t n = ::read(fd, &c, 1);
      if (n == 1) {
        if (c == '\n') return line;
        line += c;
      } else if (n == 0) {
        return line;
      } else {
        std::this_thread::sleep_for(milliseconds(5));
      }
    }
    return line;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
};

TEST(StampedeProxyBinary, ProxiesWithAFaultAndStopsOnSigterm) {
  TestBackend backend;
  ProxyProcess process(
      {"--endpoint", "pod-0=127.0.0.1:" + std::to_string(backend.port()), "--latency-ms", "30"});
  ASSERT_TRUE(process.running());
  const std::string line = process.first_line();
  ASSERT_EQ(line.rfind("listening on 127.0.0.1:", 0), 0u) << line;
  const uint16_t port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  TestSocket client(port);
  EXPECT_GE(round_trip(client, "through the process").count(), 60.0);
  process.signal(SIGTERM);
  EXPECT_EQ(process.wait_exit(), 0);
  EXPECT_NE(client.wait_for_end(milliseconds(5000)), TestSocket::Outcome::kTimeout);
}

TEST(StampedeProxyBinary, BadFlagsExitTwoWithOneLine) {
  {
    ProxyProcess process({"--endpoint", "localhost:80"});
    EXPECT_EQ(process.first_error_line(),
              "stampede-proxy: --endpoint 'localhost:80': host 'localhost' is not an IP address "
              "literal");
    EXPECT_EQ(process.wait_exit(), 2);
  }
  {
    ProxyProcess process({"--endpoint", "127.0.0.1:80", "--reset-rate", "2"});
    EXPECT_NE(process.first_error_line().find("--reset-rate"), std::string::npos);
    EXPECT_EQ(process.wait_exit(), 2);
  }
  {
    ProxyProcess process({"--endpoint", "127.0.0.1:80", "--bind", "nowhere"});
    EXPECT_EQ(process.first_error_line(),
              "stampede-proxy: service proxy stampede-proxy: bind address 'nowhere': not an IP "
              "address literal");
    EXPECT_EQ(process.wait_exit(), 1);
  }
}

}  // namespace
}  // namespace stampede::local::testing
