// Test helper: a real redis-server child process on a free loopback port.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "common/result.h"

namespace shop::testing {

// Owns one redis-server process (no persistence, bound to 127.0.0.1) and a temp dir for its
// log. The destructor kills the process and removes the dir. One thread at a time.
class RedisTestServer {
 public:
  static constexpr const char* kBinary = "/usr/bin/redis-server";

  // Starts on a free port (retrying on a port clash) and waits until it answers PING.
  static stampede::Result<std::unique_ptr<RedisTestServer>> start();
  ~RedisTestServer();
  RedisTestServer(const RedisTestServer&) = delete;
  RedisTestServer& operator=(const RedisTestServer&) = delete;

  int port() const { return port_; }
  // Kills the process (SIGKILL) and reaps it; its sockets are closed when this returns.
  void kill();
  // Starts it again on the same port and waits until it answers. Errors: it did not come up.
  stampede::Status restart();
  // Freezes (SIGSTOP) / thaws (SIGCONT) the process: connections stay open, nothing answers.
  void pause();
  void resume();

 private:
  RedisTestServer(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}
  stampede::Status launch();

  std::string dir_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace shop::testing
