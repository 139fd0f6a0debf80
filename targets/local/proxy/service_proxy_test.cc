// ServiceProxy as a Service: byte-exact piping with half-close and resets, round robin over the
// endpoints, endpoint changes, refusals, many connections at once, stop(). Real sockets on
// 127.0.0.1 against real (in-process) TCP backends; every wait is bounded.
#include "targets/local/proxy/service_proxy.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "targets/local/proxy/testing/proxy_fixture.h"

namespace stampede::local::testing {
namespace {

using std::chrono::milliseconds;
using Outcome = TestSocket::Outcome;

// The greeting a backend named `name` sends: its name and a newline.
std::string greeting_from(TestSocket& socket) {
  return socket.read_exact(2).substr(0, 1);
}

TEST(ServiceProxy, EchoesLargeTransfersByteForByteAndPassesHalfClosesBothWays) {
  TestBackend backend;
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(backend, "echo-0")});

  const std::string data = payload(8 << 20, 1);
  TestSocket client(proxy->port());
  std::string send_error;
  std::thread sender([&] {
    try {
      client.send_all(data);
      // The half-close travels to the backend, whose echo then ends with its own half-close.
      client.shutdown_write();
    } catch (const std::exception& e) {
      send_error = e.what();
    }
  });
  std::string echoed;
  try {
    echoed = client.read_to_eof();
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  sender.join();
  EXPECT_EQ(send_error, "");
  ASSERT_EQ(echoed.size(), data.size());
  EXPECT_TRUE(echoed == data) << "the echo differs from what was sent";

  EXPECT_TRUE(eventually([&] { return proxy->stats().active_connections == 0; }));
  const ProxyStats stats = proxy->stats();
  EXPECT_EQ(stats.connections_accepted, 1u);
  EXPECT_EQ(stats.bytes_up, data.size());
  EXPECT_EQ(stats.bytes_down, data.size());
  EXPECT_EQ(backend.eofs_seen(), 1u);
}

TEST(ServiceProxy, HalfCloseFromTheBackendLetsTheClientKeepSending) {
  BackendOptions options = BackendOptions::greets("hello");
  options.half_close_first = true;
  TestBackend backend(options);
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(backend, "speaker-0")});

  TestSocket client(proxy->port());
  EXPECT_EQ(client.read_to_eof(), "hello");  // the backend's FIN arrived as EOF
  client.send_all("still talking");          // the other direction is still open
  client.shutdown_write();
  EXPECT_TRUE(eventually([&] { return backend.eofs_seen() == 1; }));
  EXPECT_EQ(backend.received(), "still talking");
  EXPECT_TRUE(eventually([&] { return proxy->stats().active_connections == 0; }));
}

TEST(ServiceProxy, BackPressureBoundsWhatItHolds) {
  // A stuck backend: the proxy must stop reading from the client once its buffer and the
  // sockets' are full, not take everything the client sends.
  BackendOptions options;
  options.silent = true;
  TestBackend stuck(options);
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(stuck, "stuck")});
  TestSocket client(proxy->port());
  constexpr size_t kLimit = size_t{256} << 20;
  const size_t sent = client.send_until_stalled(milliseconds(500), kLimit);
  // Kernel socket buffers on loopback autotune to a few MB each; the proxy adds 32 KiB.
  EXPECT_LT(sent, size_t{64} << 20) << "the proxy kept reading from the client";
  EXPECT_GT(sent, 0u);
  EXPECT_LT(proxy->stats().bytes_up, sent);
  EXPECT_EQ(proxy->stats().active_connections, 1u);
}

TEST(ServiceProxy, BalancesNewConnectionsRoundRobin) {
  TestBackend a(BackendOptions::greets("a\n")), b(BackendOptions::greets("b\n")),
      c(BackendOptions::greets("c\n"));
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(a, "a"), endpoint_of(b, "b"), endpoint_of(c, "c")});

  std::string order;
  std::vector<TestSocket> open;  // kept open: balancing is per connection, not per request
  for (int i = 0; i < 9; ++i) {
    open.emplace_back(proxy->port());
    order += greeting_from(open.back());
  }
  // Each endpoint in turn, whatever the starting point.
  ASSERT_EQ(order.size(), 9u);
  for (size_t i = 3; i < order.size(); ++i) EXPECT_EQ(order[i], order[i - 3]) << order;
  EXPECT_EQ(std::string(order.begin(), order.begin() + 3).find_first_not_of("abc"),
            std::string::npos);
  EXPECT_EQ(a.accepted(), 3u);
  EXPECT_EQ(b.accepted(), 3u);
  EXPECT_EQ(c.accepted(), 3u);
  EXPECT_EQ(proxy->stats().active_connections, 9u);
  // Several requests on one connection stay on its endpoint.
  TestSocket& first = open.front();
  for (int i = 0; i < 3; ++i) round_trip(first, "ping");
  EXPECT_EQ(a.accepted() + b.accepted() + c.accepted(), 9u);
}

TEST(ServiceProxy, EndpointChangesAffectNewConnectionsOnly) {
  TestBackend old_pod(BackendOptions::greets("o\n")), new_pod(BackendOptions::greets("n\n"));
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(old_pod, "old")});
  TestSocket before(proxy->port());
  EXPECT_EQ(greeting_from(before), "o");

  proxy->set_endpoints({endpoint_of(new_pod, "new")});
  ASSERT_EQ(proxy->endpoints().size(), 1u);
  EXPECT_EQ(proxy->endpoints()[0].pod, "new");
  TestSocket after(proxy->port());
  EXPECT_EQ(greeting_from(after), "n");
  // The connection made before the change still talks to the old endpoint.
  round_trip(before, "still here");
  EXPECT_EQ(old_pod.bytes_received(), 10u);
  EXPECT_EQ(new_pod.bytes_received(), 0u);
  EXPECT_EQ(old_pod.accepted(), 1u);
}

TEST(ServiceProxy, NoEndpointResetsTheClientAtOnce) {
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  const auto start = std::chrono::steady_clock::now();
  TestSocket client(proxy->port());
  const Outcome end = client.wait_for_end(milliseconds(5000));
  EXPECT_EQ(end, Outcome::kReset) << to_string(end);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  EXPECT_EQ(proxy->stats().connections_refused, 1u);
  EXPECT_EQ(proxy->stats().connections_accepted, 1u);
  EXPECT_EQ(proxy->stats().active_connections, 0u);

  // An endpoint appearing later serves the next connection.
  TestBackend backend;
  proxy->set_endpoints({endpoint_of(backend, "late")});
  TestSocket next(proxy->port());
  round_trip(next, "ok");
}

TEST(ServiceProxy, SkipsAnEndpointThatRefuses) {
  RefusingPort dead1, dead2;
  TestBackend live(BackendOptions::greets("L\n"));
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_at(dead1.port(), "dead-1"), endpoint_of(live, "live"),
                        endpoint_at(dead2.port(), "dead-2")});
  for (int i = 0; i < 6; ++i) {
    TestSocket client(proxy->port());
    EXPECT_EQ(greeting_from(client), "L");
  }
  EXPECT_EQ(live.accepted(), 6u);
  EXPECT_EQ(proxy->stats().connections_refused, 0u);
}

TEST(ServiceProxy, MovesOnFromAnEndpointThatDoesNotAnswerTheConnect) {
  UnansweringPort gone;
  // The same kind of port, checked directly: a connect to it does not complete.
  {
    UnansweringPort probe;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(probe.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    pollfd p{fd, POLLOUT, 0};
    const int ready = ::poll(&p, 1, 1500);
    ::close(fd);
    if (ready != 0) GTEST_SKIP() << "this kernel answers connects to a full accept queue";
  }
  TestBackend live(BackendOptions::greets("L\n"));
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_at(gone.port(), "gone"), endpoint_of(live, "live")});
  const auto start = std::chrono::steady_clock::now();
  TestSocket client(proxy->port());  // the first connection tries "gone" first
  EXPECT_EQ(greeting_from(client), "L");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, milliseconds(4900));  // the 5 s connect timeout
  EXPECT_LT(took, milliseconds(15000));
}

TEST(ServiceProxy, ResetsTheClientWhenEveryEndpointRefuses) {
  RefusingPort dead1, dead2;
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_at(dead1.port(), "dead-1"), endpoint_at(dead2.port(), "dead-2"),
                        Endpoint{"bad", "not-an-ip", 80}});
  TestSocket client(proxy->port());
  EXPECT_EQ(client.wait_for_end(milliseconds(5000)), Outcome::kReset);
  EXPECT_TRUE(eventually([&] { return proxy->stats().connections_refused == 1; }));
  EXPECT_EQ(proxy->stats().active_connections, 0u);
}

TEST(ServiceProxy, PassesResetsOnBothWays) {
  BackendOptions options;
  options.reset_trigger = "RST!";
  TestBackend backend(options);
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(backend, "pod")});

  // Backend resets -> the client sees a reset, not a clean EOF.
  TestSocket client(proxy->port());
  round_trip(client, "hi");
  client.send_all("RST!");
  const Outcome end = client.wait_for_end(milliseconds(5000));
  EXPECT_EQ(end, Outcome::kReset) << to_string(end);

  // Client resets -> the backend sees a reset.
  TestSocket other(proxy->port());
  round_trip(other, "hi");
  other.reset();
  EXPECT_TRUE(eventually([&] { return backend.resets_seen() == 1; }))
      << "resets seen by the backend: " << backend.resets_seen();
  EXPECT_TRUE(eventually([&] { return proxy->stats().active_connections == 0; }));
}

TEST(ServiceProxy, CarriesManyConcurrentConnections) {
  TestBackend a, b;
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(a, "a"), endpoint_of(b, "b")});

  constexpr int kConnections = 128;
  constexpr int kThreads = 4;
  std::vector<TestSocket> sockets;
  sockets.reserve(kConnections);
  for (int i = 0; i < kConnections; ++i) sockets.emplace_back(proxy->port());
  EXPECT_TRUE(eventually([&] { return proxy->stats().active_connections == kConnections; }))
      << proxy->stats().active_connections;

  // Each thread drives its share of the connections in rounds, all of them open throughout.
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int round = 0; round < 4; ++round) {
          for (int i = t; i < kConnections; i += kThreads) {
            const std::string message = payload(4096 + i, i * 10 + round);
            sockets[i].send_all(message);
            if (sockets[i].read_exact(message.size()) != message) {
              errors[t] = "connection " + std::to_string(i) + ": echo differs";
              return;
            }
          }
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(a.accepted() + b.accepted(), static_cast<uint64_t>(kConnections));
  EXPECT_EQ(a.accepted(), b.accepted());
  sockets.clear();
  EXPECT_TRUE(eventually([&] { return proxy->stats().active_connections == 0; }));
}

TEST(ServiceProxy, StopClosesTheListenerAndEveryConnection) {
  TestBackend backend;
  auto proxy = start_proxy();
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_of(backend, "pod")});
  const uint16_t port = proxy->port();
  std::vector<TestSocket> open;
  for (int i = 0; i < 10; ++i) {
    open.emplace_back(port);
    round_trip(open.back(), "x");
  }
  // One connection with data in flight the other way too.
  open.front().send_all(payload(1 << 20, 9));

  const auto start = std::chrono::steady_clock::now();
  proxy->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  for (TestSocket& socket : open) {
    const Outcome end = socket.wait_for_end(milliseconds(5000));
    EXPECT_TRUE(end == Outcome::kReset || end == Outcome::kEof) << to_string(end);
  }
  EXPECT_EQ(proxy->stats().active_connections, 0u);
  EXPECT_THROW(TestSocket{port}, std::runtime_error);  // nothing listens any more
  EXPECT_TRUE(eventually([&] { return backend.resets_seen() + backend.eofs_seen() == 10; }));
  proxy->stop();  // idempotent
  proxy.reset();  // and the destructor after it
}

TEST(ServiceProxy, StartErrorsNameTheAddress) {
  auto first = start_proxy("cart");
  ASSERT_TRUE(first);
  auto clash = ServiceProxy::start("cart", "127.0.0.1", first->port());
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().message(),
            "service proxy cart: bind 127.0.0.1:" + std::to_string(first->port()) +
                ": Address already in use");
  auto bad = ServiceProxy::start("cart", "localhost", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "service proxy cart: bind address 'localhost': not an IP address literal");
}

TEST(ServiceProxy, ServesOnIpv6Loopback) {
  TestBackend backend;
  auto started = ServiceProxy::start("v6", "::1", 0);
  if (!started.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << started.error().message();
  auto proxy = std::move(started).value();
  proxy->set_endpoints({endpoint_of(backend, "pod")});
  EXPECT_EQ(proxy->name(), "v6");
  TestSocket client(proxy->port(), /*ipv6=*/true);
  round_trip(client, "over ::1");
  EXPECT_EQ(backend.bytes_received(), 8u);
}

TEST(ServiceProxy, SetFaultRejectsBadValuesNamingTheField) {
  auto proxy = start_proxy("cart");
  ASSERT_TRUE(proxy);
  ProxyFault fault;
  fault.reset_rate = 2;
  Status s = proxy->set_fault(fault);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "service proxy cart: fault: reset_rate: must be a number from 0 to 1, got 2");
  EXPECT_EQ(proxy->fault().reset_rate, 0);
  fault.reset_rate = 0.25;
  fault.latency_ms = 10;
  ASSERT_TRUE(proxy->set_fault(fault).ok());
  EXPECT_EQ(proxy->fault().reset_rate, 0.25);
  EXPECT_EQ(proxy->fault().latency_ms, 10);
  proxy->clear_fault();
  EXPECT_EQ(proxy->fault().latency_ms, 0);
}

}  // namespace
}  // namespace stampede::local::testing
