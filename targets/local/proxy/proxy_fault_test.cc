// The network faults, each measured through real sockets with generous bounds (this machine is
// shared and noisy): latency and jitter per chunk, the bandwidth limit, resets of new and of
// existing connections, the blackhole, and clearing.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "targets/local/proxy/service_proxy.h"
#include "targets/local/proxy/testing/proxy_fixture.h"

namespace stampede::local::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Ms = std::chrono::duration<double, std::milli>;
using Outcome = TestSocket::Outcome;

class ServiceProxyFault : public ::testing::Test {
 protected:
  void SetUp() override {
    proxy_ = start_proxy("cart");
    ASSERT_TRUE(proxy_);
  }

  void set(const ProxyFault& fault) {
    const Status s = proxy_->set_fault(fault);
    ASSERT_TRUE(s.ok()) << s.error().message();
  }

  std::unique_ptr<ServiceProxy> proxy_;
};

TEST_F(ServiceProxyFault, LatencyDelaysEveryChunkInBothDirections) {
  TestBackend backend;
  proxy_->set_endpoints({endpoint_of(backend, "pod")});
  TestSocket client(proxy_->port());
  const Ms baseline = round_trip(client, "warm-up");

  ProxyFault fault;
  fault.latency_ms = 100;
  set(fault);
  for (int i = 0; i < 5; ++i) {
    const Ms rtt = round_trip(client, "ping " + std::to_string(i));
    // 100 ms on the way there and 100 ms on the way back.
    EXPECT_GE(rtt.count(), 200.0) << "baseline " << baseline.count() << " ms";
    EXPECT_LT(rtt.count(), 1200.0);
  }
  proxy_->clear_fault();
  // The fastest of a few, so that one scheduling hiccup on a busy machine does not count.
  double fastest = 1e9;
  for (int i = 0; i < 5; ++i) fastest = std::min(fastest, round_trip(client, "fast again").count());
  EXPECT_LT(fastest, 150.0);
}

TEST_F(ServiceProxyFault, JitterStaysWithinItsRange) {
  TestBackend backend;
  proxy_->set_endpoints({endpoint_of(backend, "pod")});
  TestSocket client(proxy_->port());
  ProxyFault fault;
  fault.latency_ms = 20;
  fault.jitter_ms = 100;
  set(fault);
  std::vector<double> rtts;
  for (int i = 0; i < 12; ++i) rtts.push_back(round_trip(client, "j" + std::to_string(i)).count());
  const auto [low, high] = std::minmax_element(rtts.begin(), rtts.end());
  // Each direction adds 20..120 ms: a round trip 40..240 ms, plus scheduling noise on top.
  EXPECT_GE(*low, 40.0);
  EXPECT_LT(*high, 240.0 + 500.0);
  // Jitter, not a fixed delay: twelve sums of two uniform delays do not fall in 10 ms.
  EXPECT_GT(*high - *low, 10.0);
}

TEST_F(ServiceProxyFault, LatencyAndJitterKeepTheBytesInOrder) {
  TestBackend backend;
  proxy_->set_endpoints({endpoint_of(backend, "pod")});
  ProxyFault fault;
  fault.latency_ms = 2;
  fault.jitter_ms = 10;
  set(fault);
  TestSocket client(proxy_->port());
  const std::string data = payload(512 * 1024, 3);
  std::string send_error;
  std::thread sender([&] {
    try {
      client.send_all(data);
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
  EXPECT_TRUE(echoed == data) << "bytes reordered or changed under jitter";
}

TEST_F(ServiceProxyFault, BandwidthLimitsEachDirection) {
  constexpr size_t kBytes = 400 * 1000;
  BackendOptions sink_options;
  sink_options.half_close_first = true;  // records what arrives: the upstream direction
  TestBackend sink(sink_options);
  TestBackend source(BackendOptions::greets(payload(kBytes, 4)));  // the downstream direction
  ProxyFault fault;
  fault.bandwidth_kbps = 200;  // 200,000 bytes per second each way
  set(fault);

  auto upstream = start_proxy("up");
  ASSERT_TRUE(upstream);
  ASSERT_TRUE(upstream->set_fault(fault).ok());
  upstream->set_endpoints({endpoint_of(sink, "sink")});
  proxy_->set_endpoints({endpoint_of(source, "source")});

  // Both directions at once, each on its own connection and proxy.
  Ms up_took{}, down_took{};
  std::string up_error;
  std::thread up([&] {
    try {
      const Clock::time_point start = Clock::now();
      TestSocket client(upstream->port());
      client.read_to_eof();  // the sink's half-close
      client.send_all(payload(kBytes, 5));
      client.shutdown_write();
      if (!eventually([&] { return sink.eofs_seen() == 1; }, milliseconds(20000))) {
        up_error = "the sink did not get everything";
      }
      up_took = Clock::now() - start;
    } catch (const std::exception& e) {
      up_error = e.what();
    }
  });
  const Clock::time_point start = Clock::now();
  TestSocket client(proxy_->port());
  EXPECT_EQ(client.read_exact(kBytes), payload(kBytes, 4));
  down_took = Clock::now() - start;
  up.join();
  EXPECT_EQ(up_error, "");
  EXPECT_EQ(sink.received(), payload(kBytes, 5));

  // 400 kB at 200 kB/s: 2 s (less the 4 kB burst). Wide bounds for a busy machine.
  for (const Ms& took : {up_took, down_took}) {
    EXPECT_GE(took.count(), 1500.0);
    EXPECT_LT(took.count(), 6000.0);
  }
  // Counted when the write completes, which the client may see a moment before the proxy does.
  EXPECT_TRUE(eventually([&] { return proxy_->stats().bytes_down == kBytes; }))
      << proxy_->stats().bytes_down;
  EXPECT_EQ(upstream->stats().bytes_up, kBytes);
}

// Opens a connection to a greeting backend and tells whether it was reset instead of greeted.
bool reset_on_connect(uint16_t port) {
  TestSocket client(port);
  const TestSocket::Read read = client.read_some(milliseconds(5000), 2);
  if (read.outcome == Outcome::kReset) return true;
  EXPECT_EQ(read.outcome, Outcome::kData) << to_string(read.outcome);
  return false;
}

TEST_F(ServiceProxyFault, ResetRateResetsThatFractionOfNewConnections) {
  TestBackend backend(BackendOptions::greets("g"));
  proxy_->set_endpoints({endpoint_of(backend, "pod")});
  TestSocket before(proxy_->port());
  EXPECT_EQ(before.read_exact(1), "g");

  ProxyFault fault;
  fault.reset_rate = 0.5;
  set(fault);
  constexpr int kConnections = 200;
  int resets = 0;
  for (int i = 0; i < kConnections; ++i) resets += reset_on_connect(proxy_->port()) ? 1 : 0;
  // Binomial(200, 0.5): mean 100, sd 7; 60..140 is more than five sd either way.
  EXPECT_GE(resets, 60);
  EXPECT_LE(resets, 140);
  EXPECT_EQ(proxy_->stats().connections_reset, static_cast<uint64_t>(resets));
  EXPECT_EQ(backend.accepted(), static_cast<uint64_t>(1 + kConnections - resets));
  // The rate applies to new connections only.
  round_trip(before, "untouched");

  fault.reset_rate = 1;
  set(fault);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(reset_on_connect(proxy_->port()));
  proxy_->clear_fault();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(reset_on_connect(proxy_->port()));
}

TEST_F(ServiceProxyFault, ResetExistingResetsEveryOpenConnection) {
  TestBackend backend;
  proxy_->set_endpoints({endpoint_of(backend, "pod")});
  std::vector<TestSocket> open;
  for (int i = 0; i < 5; ++i) {
    open.emplace_back(proxy_->port());
    round_trip(open.back(), "hello");
  }
  ProxyFault fault;
  fault.reset_existing = true;
  set(fault);
  for (TestSocket& socket : open) {
    const Outcome end = socket.wait_for_end(milliseconds(5000));
    EXPECT_EQ(end, Outcome::kReset) << to_string(end);
  }
  EXPECT_TRUE(eventually([&] { return backend.resets_seen() == 5; }))
      << "backend saw " << backend.resets_seen() << " resets";
  EXPECT_EQ(proxy_->stats().connections_reset, 5u);
  EXPECT_TRUE(eventually([&] { return proxy_->stats().active_connections == 0; }));
  // It acts once, when applied: a connection made afterwards is served.
  TestSocket after(proxy_->port());
  round_trip(after, "served");
}

TEST_F(ServiceProxyFault, BlackholeForwardsNothingUntilCleared) {
  TestBackend backend(BackendOptions::greets("g"));
  proxy_->set_endpoints({endpoint_of(backend, "pod")});
  TestSocket existing(proxy_->port());
  EXPECT_EQ(existing.read_exact(1), "g");
  round_trip(existing, "before");
  const uint64_t received_before = backend.bytes_received();

  ProxyFault fault;
  fault.blackhole = true;
  set(fault);
  existing.send_all("lost on the way");
  TestSocket::Read read = existing.read_some(milliseconds(300));
  EXPECT_EQ(read.outcome, Outcome::kTimeout) << to_string(read.outcome) << " " << read.data;
  // A new connection is accepted (not refused), and nothing comes back, not even the greeting.
  TestSocket fresh(proxy_->port());
  fresh.send_all("lost too");
  read = fresh.read_some(milliseconds(300));
  EXPECT_EQ(read.outcome, Outcome::kTimeout) << to_string(read.outcome) << " " << read.data;
  EXPECT_EQ(backend.bytes_received(), received_before);
  EXPECT_EQ(proxy_->stats().active_connections, 2u);  // both held open

  proxy_->clear_fault();
  // New data flows again; what was sent into the blackhole is gone.
  round_trip(existing, "after");
  round_trip(fresh, "after too");
  EXPECT_EQ(backend.bytes_received(), received_before + 5 + 9);
}

TEST_F(ServiceProxyFault, ClearingReleasesDataHeldByTheLatency) {
  TestBackend backend;
  proxy_->set_endpoints({endpoint_of(backend, "pod")});
  TestSocket client(proxy_->port());
  round_trip(client, "warm-up");
  ProxyFault fault;
  fault.latency_ms = 5000;
  set(fault);
  const Clock::time_point start = Clock::now();
  client.send_all("held");
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(client.read_some(milliseconds(0)).outcome, Outcome::kTimeout);
  proxy_->clear_fault();
  EXPECT_EQ(client.read_exact(4), "held");
  EXPECT_LT(Ms(Clock::now() - start).count(), 2500.0);  // not the 10 s the fault would take
}

TEST_F(ServiceProxyFault, FaultsReportWhatWasSet) {
  ProxyFault fault;
  fault.latency_ms = 12;
  fault.jitter_ms = 3;
  fault.bandwidth_kbps = 64;
  fault.blackhole = true;
  set(fault);
  const ProxyFault now = proxy_->fault();
  EXPECT_EQ(now.latency_ms, 12);
  EXPECT_EQ(now.jitter_ms, 3);
  EXPECT_EQ(now.bandwidth_kbps, 64);
  EXPECT_TRUE(now.blackhole);
  proxy_->clear_fault();
  EXPECT_FALSE(proxy_->fault().blackhole);
}

}  // namespace
}  // namespace stampede::local::testing
