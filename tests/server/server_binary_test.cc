// Starts the real stampede-testserver binary as a child process: startup line, port file,
// serving, clean exit on SIGTERM, refusal of non-loopback addresses.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/test_client.h"

extern char** environ;

namespace stampede::testserver {
namespace {

// A child process whose stdout we read line by line. Killed (SIGKILL) and reaped if still
// running when destroyed.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    args.insert(args.begin(), STAMPEDE_TESTSERVER_BINARY);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) fclose(out_);
  }

  bool running() const { return pid_ > 0; }

  // One line of the child's stdout without the newline ("" at EOF).
  std::string read_line() {
    char line[256] = {};
    if (out_ == nullptr || fgets(line, sizeof line, out_) == nullptr) return {};
    std::string text(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  // Sends `signal` and waits up to `timeout` for the exit; returns the wait status or -1.
  int stop(int signal, std::chrono::milliseconds timeout) {
    if (signal != 0) kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

TEST(TestserverBinary, PrintsPortServesAndExitsOnSigterm) {
  const std::string port_file =
      ::testing::TempDir() + "testserver_port_" + std::to_string(getpid());
  Child child({"--port", "0", "--threads", "2", "--port-file", port_file});
  ASSERT_TRUE(child.running());
  const std::string line = child.read_line();
  const std::string prefix = "listening on 127.0.0.1:";
  ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
  const int port = std::stoi(line.substr(prefix.size()));
  ASSERT_GT(port, 0);

  std::ifstream in(port_file);
  int written_port = 0;
  in >> written_port;
  EXPECT_EQ(written_port, port);
  std::remove(port_file.c_str());

  TestClient client(static_cast<std::uint16_t>(port));
  EXPECT_EQ(client.get("/").body(), "ok");

  const int status = child.stop(SIGTERM, std::chrono::milliseconds(3000));
  ASSERT_NE(status, -1) << "no exit after SIGTERM";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(TestserverBinary, ExitsCleanlyOnSigint) {
  Child child({});
  ASSERT_TRUE(child.running());
  ASSERT_EQ(child.read_line().rfind("listening on ", 0), 0u);
  const int status = child.stop(SIGINT, std::chrono::milliseconds(3000));
  ASSERT_NE(status, -1);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(TestserverBinary, RefusesNonLoopbackAddresses) {
  Child child({"--bind", "0.0.0.0"});
  ASSERT_TRUE(child.running());
  EXPECT_EQ(child.read_line(), "");
  const int status = child.stop(0, std::chrono::milliseconds(3000));
  ASSERT_NE(status, -1);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

}  // namespace
}  // namespace stampede::testserver
