// Deadline-bounded socket steps shared by the probes and http_call(). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.h"

namespace stampede::local {

using Deadline = std::chrono::steady_clock::time_point;

// An owned socket descriptor; closes on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  int release();

 private:
  int fd_ = -1;
};

// Connects to an IPv4/IPv6 literal and port before `deadline`. Errors name the address.
Result<Fd> connect_before(const std::string& host, uint16_t port, Deadline deadline);
// Writes all of `data` before `deadline`.
Status send_all_before(int fd, const std::string& data, Deadline deadline);
// Reads what is available (waits until something arrives, EOF, or the deadline). Returns the
// number of bytes appended to `out`; 0 on EOF.
Result<size_t> read_some_before(int fd, std::string& out, Deadline deadline);
// Milliseconds left until `deadline` (>= 0).
int millis_left(Deadline deadline);

}  // namespace stampede::local
