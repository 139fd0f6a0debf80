// Test-only: a blocking TCP client for the proxy tests, on plain POSIX sockets so that what the
// kernel reports (data, EOF, reset) is seen as it is. Every wait is bounded; helpers that expect
// something throw std::runtime_error when it does not come. Not thread-safe, except that one
// thread may send while another reads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stampede::local::testing {

class TestSocket {
 public:
  static constexpr std::chrono::milliseconds kTimeout{20000};

  // How a read ended.
  enum class Outcome { kData, kEof, kReset, kTimeout };
  struct Read {
    Outcome outcome = Outcome::kTimeout;
    std::string data;  // with kData
  };

  // Connects to 127.0.0.1:port (::1 with ipv6) with TCP_NODELAY; throws when the connect fails.
  explicit TestSocket(uint16_t port, bool ipv6 = false);
  TestSocket(const TestSocket&) = delete;
  TestSocket& operator=(const TestSocket&) = delete;
  TestSocket(TestSocket&& other) noexcept;
  ~TestSocket();

  // Sends every byte; throws on error or when the peer takes nothing for kTimeout.
  void send_all(std::string_view bytes);
  // Sends until the peer has taken nothing for `quiet` or `limit` bytes went out; returns the
  // bytes sent. Throws on error.
  size_t send_until_stalled(std::chrono::milliseconds quiet, size_t limit);
  // Waits up to `timeout` for bytes (at most `max`), the end of the stream or a reset.
  Read read_some(std::chrono::milliseconds timeout, size_t max = 64 * 1024);
  // Reads exactly n bytes; throws on EOF, reset or timeout.
  std::string read_exact(size_t n);
  // Reads until EOF; throws on reset or timeout.
  std::string read_to_eof();
  // Reads and drops bytes until EOF or reset; kTimeout when neither comes within `timeout`.
  Outcome wait_for_end(std::chrono::milliseconds timeout);
  void shutdown_write();
  // Closes with SO_LINGER 0: the peer sees a reset.
  void reset();
  void close();

 private:
  int fd_ = -1;
};

// A name for an outcome in test messages.
const char* to_string(TestSocket::Outcome outcome);

// A loopback port that refuses connections for as long as the object lives (bound, never
// listening), standing in for a crashed endpoint.
class RefusingPort {
 public:
  RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  ~RefusingPort();
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A loopback port that never answers a connect for as long as the object lives: it listens
// with a backlog of 0 and its one queue slot is taken, so the kernel drops further SYNs (the
// connect hangs, like a host that is gone), standing in for an unreachable endpoint.
class UnansweringPort {
 public:
  UnansweringPort();
  UnansweringPort(const UnansweringPort&) = delete;
  UnansweringPort& operator=(const UnansweringPort&) = delete;
  ~UnansweringPort();
  uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  int filler_ = -1;  // the connection that fills the accept queue
  uint16_t port_ = 0;
};

}  // namespace stampede::local::testing
