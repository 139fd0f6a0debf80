#include "targets/local/proxy/testing/proxy_fixture.h"

#include <thread>

namespace stampede::local::testing {

std::unique_ptr<ServiceProxy> start_proxy(const std::string& name) {
  auto started = ServiceProxy::start(name, "127.0.0.1", 0);
  EXPECT_TRUE(started.ok()) << started.error().message();
  if (!started.ok()) return nullptr;
  return std::move(started).value();
}

Endpoint endpoint_of(const TestBackend& backend, const std::string& pod) {
  return endpoint_at(backend.port(), pod);
}

Endpoint endpoint_at(uint16_t port, const std::string& pod) {
  return Endpoint{pod, "127.0.0.1", port};
}

std::string payload(size_t n, uint32_t seed) {
  std::string out(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<char>(x >> 24);
  }
  return out;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return condition();
}

std::chrono::duration<double, std::milli> round_trip(TestSocket& socket,
                                                     const std::string& message) {
  const auto start = std::chrono::steady_clock::now();
  socket.send_all(message);
  const std::string echoed = socket.read_exact(message.size());
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(echoed, message);
  return took;
}

}  // namespace stampede::local::testing
