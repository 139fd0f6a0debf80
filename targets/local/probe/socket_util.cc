#include "targets/local/probe/socket_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stampede::local {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

int Fd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

int millis_left(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

namespace {

// Waits for `events` on fd; false on timeout.
Result<bool> wait_for(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, millis_left(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return Error(std::string("poll: ") + std::strerror(errno));
  }
}

}  // namespace

Result<Fd> connect_before(const std::string& host, uint16_t port, Deadline deadline) {
  std::string where = "connect " + host + ":" + std::to_string(port);
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
  } else {
    return Error(where + ": not an IP literal");
  }
  Fd fd(::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return Error(where + ": socket: " + std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    if (errno != EINPROGRESS) return Error(where + ": " + std::strerror(errno));
    auto ready = wait_for(fd.get(), POLLOUT, deadline);
    if (!ready.ok()) return ready.error().with_context(where);
    if (!ready.value()) return Error(where + ": timed out");
    int err = 0;
    socklen_t errlen = sizeof(err);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &errlen);
    if (err != 0) return Error(where + ": " + std::strerror(err));
  }
  return fd;
}

Status send_all_before(int fd, const std::string& data, Deadline deadline) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return Error(std::string("send: ") + std::strerror(errno));
    }
    auto ready = wait_for(fd, POLLOUT, deadline);
    if (!ready.ok()) return ready.error();
    if (!ready.value()) return Error("timed out sending the request");
  }
  return Status::Ok();
}

Result<size_t> read_some_before(int fd, std::string& out, Deadline deadline) {
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n >= 0) {
      out.append(buf, static_cast<size_t>(n));
      return static_cast<size_t>(n);
    }
    if (errno != EAGAIN && errno != EINTR)
      return Error(std::string("read: ") + std::strerror(errno));
    auto ready = wait_for(fd, POLLIN, deadline);
    if (!ready.ok()) return ready.error();
    if (!ready.value()) return Error("timed out waiting for the response");
  }
}

}  // namespace stampede::local
