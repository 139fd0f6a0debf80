#include "shop-reference/cart/redis_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace shop::testing {
namespace {

using stampede::Error;
using stampede::Status;

// A port the kernel just handed out; another process may take it before redis binds it, in
// which case redis exits and start() tries another.
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

bool answers_ping(int port) {
  timeval tv{0, 200'000};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (c == nullptr) return false;
  bool ok = false;
  if (!c->err && redisSetTimeout(c, tv) == REDIS_OK) {
    auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = r != nullptr && r->type == REDIS_REPLY_STATUS;
    if (r) freeReplyObject(r);
  }
  redisFree(c);
  return ok;
}

std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

stampede::Result<std::unique_ptr<RedisTestServer>> RedisTestServer::start() {
  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    // A fresh dir per attempt: a failed attempt's destructor removes its own.
    const int port = free_port();
    if (port <= 0) return Error("no free loopback port");
    char tmpl[] = "/tmp/redis_test_server.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return Error("mkdtemp failed");
    std::unique_ptr<RedisTestServer> server(new RedisTestServer(tmpl, port));
    Status s = server->launch();
    if (s.ok()) return server;
    last_error = s.error().message();
  }
  return Error("redis-server did not start after 5 attempts: " + last_error);
}

Status RedisTestServer::launch() {
  const std::string port = std::to_string(port_);
  const std::string log = dir_ + "/redis.log";
  std::vector<std::string> args = {
      kBinary, "--port", port, "--bind",    "127.0.0.1", "--save",      "",  "--appendonly",
      "no",    "--dir",  dir_, "--logfile", log,         "--daemonize", "no"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  // The child must not inherit our sockets (hiredis does not set FD_CLOEXEC): a copy held by
  // redis would keep a connection open after the test dropped it.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  const int rc = posix_spawn(&pid_, kBinary, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    return Error(std::string("spawning ") + kBinary + " failed: " + std::to_string(rc));
  }
  // Bounded: 500 polls 10 ms apart, a 5 s budget for a local start.
  for (int i = 0; i < 500; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Error("redis-server on port " + port + " exited: " + last_line(log));
    }
    if (answers_ping(port_)) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill();
  return Error("redis-server on port " + port + " did not answer PING within 5 s");
}

void RedisTestServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) == -1 && errno == EINTR) {
  }
  pid_ = -1;
}

Status RedisTestServer::restart() {
  kill();
  return launch();
}

void RedisTestServer::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisTestServer::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

RedisTestServer::~RedisTestServer() {
  kill();
  unlink((dir_ + "/redis.log").c_str());
  rmdir(dir_.c_str());
}

}  // namespace shop::testing
