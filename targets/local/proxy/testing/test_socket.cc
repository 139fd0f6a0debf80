#include "targets/local/proxy/testing/test_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace stampede::local::testing {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Waits for `events` on fd for up to `timeout`; returns false on timeout.
bool wait(int fd, short events, std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) fail("poll");
  }
}

}  // namespace

TestSocket::TestSocket(uint16_t port, bool ipv6) {
  fd_ = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc;
  if (ipv6) {
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(port);
    address.sin6_addr = in6addr_loopback;
    rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } else {
    const sockaddr_in address = loopback(port);
    rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  }
  if (rc != 0) {
    const int saved = errno;
    ::close(fd_);
    fd_ = -1;
    errno = saved;
    fail(std::string("connect ") + (ipv6 ? "[::1]:" : "127.0.0.1:") + std::to_string(port));
  }
}

TestSocket::TestSocket(TestSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

TestSocket::~TestSocket() {
  close();
}

void TestSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void TestSocket::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    if (!wait(fd_, POLLOUT, kTimeout)) throw std::runtime_error("send: timed out");
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      fail("send");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

size_t TestSocket::send_until_stalled(std::chrono::milliseconds quiet, size_t limit) {
  static const std::string block(64 * 1024, 'b');
  size_t sent = 0;
  while (sent < limit && wait(fd_, POLLOUT, quiet)) {
    const size_t n = std::min(block.size(), limit - sent);
    const ssize_t k = ::send(fd_, block.data(), n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (k < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      fail("send");
    }
    sent += static_cast<size_t>(k);
  }
  return sent;
}

TestSocket::Read TestSocket::read_some(std::chrono::milliseconds timeout, size_t max) {
  Read read;
  if (!wait(fd_, POLLIN, timeout)) return read;  // kTimeout
  read.data.resize(max);
  const ssize_t n = ::recv(fd_, read.data.data(), max, MSG_DONTWAIT);
  if (n > 0) {
    read.data.resize(static_cast<size_t>(n));
    read.outcome = Outcome::kData;
  } else {
    read.data.clear();
    if (n == 0) {
      read.outcome = Outcome::kEof;
    } else if (errno == ECONNRESET) {
      read.outcome = Outcome::kReset;
    } else {
      fail("recv");
    }
  }
  return read;
}

std::string TestSocket::read_exact(size_t n) {
  std::string out;
  while (out.size() < n) {
    Read read = read_some(kTimeout, n - out.size());
    if (read.outcome != Outcome::kData) {
      throw std::runtime_error("read_exact: " + std::string(to_string(read.outcome)) + " after " +
                               std::to_string(out.size()) + " of " + std::to_string(n) + " bytes");
    }
    out += read.data;
  }
  return out;
}

std::string TestSocket::read_to_eof() {
  std::string out;
  for (;;) {
    Read read = read_some(kTimeout);
    if (read.outcome == Outcome::kEof) return out;
    if (read.outcome != Outcome::kData) {
      throw std::runtime_error("read_to_eof: " + std::string(to_string(read.outcome)) + " after " +
                               std::to_string(out.size()) + " bytes");
    }
    out += read.data;
  }
}

TestSocket::Outcome TestSocket::wait_for_end(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Outcome::kTimeout;
    Read read = read_some(left);
    if (read.outcome != Outcome::kData) return read.outcome;
  }
}

void TestSocket::shutdown_write() {
  if (::shutdown(fd_, SHUT_WR) != 0) fail("shutdown");
}

void TestSocket::reset() {
  const linger option{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof option);
  close();
}

const char* to_string(TestSocket::Outcome outcome) {
  switch (outcome) {
    case TestSocket::Outcome::kData:
      return "data";
    case TestSocket::Outcome::kEof:
      return "EOF";
    case TestSocket::Outcome::kReset:
      return "reset";
    case TestSocket::Outcome::kTimeout:
      return "timeout";
  }
  return "?";
}

RefusingPort::RefusingPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  sockaddr_in address = loopback(0);
  socklen_t size = sizeof address;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0) fail("bind");
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) fail("getsockname");
  port_ = ntohs(address.sin_port);
}

RefusingPort::~RefusingPort() {
  ::close(fd_);
}

UnansweringPort::UnansweringPort() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) fail("socket");
  sockaddr_in address = loopback(0);
  socklen_t size = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0) fail("bind");
  if (::listen(listener_, 0) != 0) fail("listen");
  if (::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    fail("getsockname");
  }
  port_ = ntohs(address.sin_port);
  filler_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (filler_ < 0) fail("socket");
  if (::connect(filler_, reinterpret_cast<const sockaddr*>(&address), size) != 0) fail("connect");
}

UnansweringPort::~UnansweringPort() {
  ::close(filler_);
  ::close(listener_);
}

}  // namespace stampede::local::testing
