// The proxy's data path does not allocate per chunk: with every operator new in this process
// counted, megabytes through an open connection (hundreds of chunks each way) cost no more
// allocations than a handful, with and without the latency and bandwidth faults. Its own
// executable, because it replaces the global operator new.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "targets/local/proxy/service_proxy.h"
#include "targets/local/proxy/testing/proxy_fixture.h"

namespace {
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

namespace stampede::local::testing {
namespace {

// A client that sends `total` bytes and reads the echo back with one thread, poll() and fixed
// buffers: nothing on its side allocates either. Returns bytes echoed (total unless it failed).
size_t echo_through(int fd, size_t total, std::vector<char>& out, std::vector<char>& in) {
  size_t sent = 0, received = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (received < total && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < total ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    if ((p.revents & POLLOUT) && sent < total) {
      const size_t n = std::min(out.size(), total - sent);
      const ssize_t k = ::send(fd, out.data(), n, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (k > 0) sent += static_cast<size_t>(k);
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t k = ::recv(fd, in.data(), in.size(), MSG_DONTWAIT);
      if (k > 0) received += static_cast<size_t>(k);
      if (k == 0 || (k < 0 && errno != EAGAIN)) break;
    }
  }
  return received;
}

int connect_to(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Allocations while `bytes` go through an open connection that has already carried some.
uint64_t allocations_for(ServiceProxy& proxy, size_t bytes) {
  const int fd = connect_to(proxy.port());
  EXPECT_GE(fd, 0);
  if (fd < 0) return UINT64_MAX;
  std::vector<char> out(64 * 1024, 'x'), in(64 * 1024);
  EXPECT_EQ(echo_through(fd, 1 << 20, out, in), size_t{1} << 20);  // warm-up
  const uint64_t before = g_allocations.load();
  EXPECT_EQ(echo_through(fd, bytes, out, in), bytes);
  const uint64_t after = g_allocations.load();
  ::close(fd);
  return after - before;
}

TEST(ServiceProxyAllocations, NonePerChunkInTheSteadyState) {
  TestBackend backend;
  auto proxy = start_proxy("alloc");
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(backend, "pod")});
  // 16 MiB each way: at least 512 chunks of 32 KiB in each direction.
  const uint64_t plain = allocations_for(*proxy, 16 << 20);
  EXPECT_LE(plain, 16u) << "allocations while 16 MiB went through and back";
}

TEST(ServiceProxyAllocations, NonePerChunkUnderLatencyAndBandwidthFaults) {
  TestBackend backend;
  auto proxy = start_proxy("alloc");
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(backend, "pod")});
  ProxyFault fault;
  fault.latency_ms = 1;
  fault.jitter_ms = 1;
  fault.bandwidth_kbps = 20000;  // 20 MB/s: 1024-byte..20 kB writes paced by the timer
  ASSERT_TRUE(proxy->set_fault(fault).ok());
  const uint64_t faulted = allocations_for(*proxy, 4 << 20);
  EXPECT_LE(faulted, 16u) << "allocations while 4 MiB went through and back under faults";
}

}  // namespace
}  // namespace stampede::local::testing
