#include "engine/chaos/platform_sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/chaos/chaos_test_util.h"

namespace stampede {
namespace {

const char* kCheckoutMetrics =
    "# TYPE shop_circuit_breaker_state gauge\n"
    "shop_circuit_breaker_state{dependency=\"payment\"} 1\n"
    "shop_circuit_breaker_state{dependency=\"cart\"} 0\n"
    "shop_client_requests_total{dependency=\"payment\",method=\"Charge\",outcome=\"ok\"} 10\n"
    "shop_client_requests_total{dependency=\"payment\",method=\"Charge\","
    "outcome=\"deadline_exceeded\"} 5\n"
    "shop_client_requests_total{dependency=\"payment\",method=\"Charge\",outcome=\"circuit_open\"} "
    "40\n"
    "shop_client_requests_total{dependency=\"cart\",method=\"GetCart\",outcome=\"ok\"} 99\n"
    "shop_client_request_duration_seconds_bucket{dependency=\"payment\",method=\"Charge\","
    "le=\"0.1\"} 10\n"
    "shop_client_request_duration_seconds_bucket{dependency=\"payment\",method=\"Charge\","
    "le=\"+Inf\"} 15\n";

TEST(PlatformSamplerTest, BreakerMetricsAreSummedPerDependency) {
  BreakerSample s;
  s.dependency = "payment";
  add_breaker_metrics(kCheckoutMetrics, s);
  add_breaker_metrics(kCheckoutMetrics, s);  // a second pod
  EXPECT_EQ(s.pods, 2);
  EXPECT_EQ(s.open_pods, 2);
  EXPECT_EQ(s.calls_reached, 30);
  EXPECT_EQ(s.calls_failed, 10);
  EXPECT_EQ(s.calls_refused, 80);
  ASSERT_EQ(s.latency.size(), 2u);
  EXPECT_EQ(s.latency[0].first, 0.1);
  EXPECT_EQ(s.latency[0].second, 20);
  EXPECT_TRUE(std::isinf(s.latency[1].first));
  BreakerSample none;
  none.dependency = "email";
  add_breaker_metrics(kCheckoutMetrics, none);
  EXPECT_EQ(none.pods, 0) << "a page without the dependency's breaker does not count";
}

TEST(PlatformSamplerTest, BreakerTotalsNeverDecreaseWhenPodsRestartOrMissAScrape) {
  auto pod = [](double reached, double refused, double fast) {
    BreakerSample s;
    s.calls_reached = reached;
    s.calls_refused = refused;
    s.latency = {{0.1, fast}, {HUGE_VAL, reached}};
    return s;
  };
  BreakerSample total;
  BreakerSample a1 = pod(10, 0, 8), b1 = pod(5, 0, 5);
  add_pod_growth(nullptr, a1, total);
  add_pod_growth(nullptr, b1, total);
  EXPECT_EQ(total.calls_reached, 15);
  // b misses this scrape; a grows by 4 reached and 20 refused.
  BreakerSample a2 = pod(14, 20, 9);
  add_pod_growth(&a1, a2, total);
  EXPECT_EQ(total.calls_reached, 19);
  EXPECT_EQ(total.calls_refused, 20);
  // b was restarted meanwhile: its counters start again from zero, and count as growth.
  BreakerSample b2 = pod(2, 3, 2);
  add_pod_growth(&b1, b2, total);
  EXPECT_EQ(total.calls_reached, 21);
  EXPECT_EQ(total.calls_refused, 23);
  ASSERT_EQ(total.latency.size(), 2u);
  EXPECT_EQ(total.latency[0].second, 8 + 5 + 1 + 2);
  EXPECT_EQ(total.latency[1].second, 21);
}

// A checkout pod's /metrics page with `ok` successful Charge calls to payment.
std::string payment_calls(int ok) {
  return "shop_circuit_breaker_state{dependency=\"payment\"} 0\n"
         "shop_client_requests_total{dependency=\"payment\",method=\"Charge\",outcome=\"ok\"} " +
         std::to_string(ok) + "\n";
}

TEST(PlatformSamplerTest, CallsCountFromTheRunStartEvenForAPodFirstSeenLate) {
  FakePlatform fake;
  Nanos now = 5 * kNanosPerSecond;
  fake.set_clock([&] { return now; });
  fake.add_deployment(chaos_test::deployment("checkout"), 2);  // created before the run
  PlatformSampler sampler(fake, 8 * kNanosPerSecond, {{"checkout", "payment"}});
  ResilienceResult out;
  ChaosObservations obs;
  sampler.prime(obs);
  now = 9 * kNanosPerSecond;
  // checkout-2 misses the first scrape (no metrics yet).
  fake.set_metrics("checkout-1", payment_calls(10));
  sampler.sample(now, out, obs);
  EXPECT_EQ(obs.breakers.back().calls_reached, 0) << "pre-run calls are the baseline";
  // checkout-2 answers for the first time with 100 calls, most of them from before the run.
  fake.set_metrics("checkout-1", payment_calls(12));
  fake.set_metrics("checkout-2", payment_calls(100));
  sampler.sample(now, out, obs);
  EXPECT_EQ(obs.breakers.back().calls_reached, 2) << "not a jump of 100";
  fake.set_metrics("checkout-2", payment_calls(103));
  sampler.sample(now, out, obs);
  EXPECT_EQ(obs.breakers.back().calls_reached, 5);
  // A pod created during the run: all its calls are the run's.
  now = 10 * kNanosPerSecond;
  ASSERT_TRUE(fake.scale("checkout", 3).ok());
  fake.set_metrics("checkout-3", payment_calls(7));
  sampler.sample(now, out, obs);
  EXPECT_EQ(obs.breakers.back().calls_reached, 12);
}

TEST(PlatformSamplerTest, SamplesDeploymentsHpasEventsAndBreakers) {
  FakePlatform fake;
  Nanos now = 10 * kNanosPerSecond;
  fake.set_clock([&] { return now; });
  chaos_test::add_shop(fake);
  fake.add_deployment(chaos_test::deployment("checkout"), 2);
  fake.set_metrics("checkout", kCheckoutMetrics);
  PlatformSampler sampler(fake, 8 * kNanosPerSecond, {{"checkout", "payment"}});
  ResilienceResult out;
  ChaosObservations obs;
  sampler.prime(obs);
  now = 11 * kNanosPerSecond;
  ASSERT_TRUE(fake.kill_pod("cart-1").ok());
  fake.set_hpa_utilization("frontend", 140, 4);
  sampler.sample(12 * kNanosPerSecond, out, obs);
  ASSERT_EQ(out.platform_samples.size(), 4u);
  const PlatformSample* cart = nullptr;
  const PlatformSample* frontend = nullptr;
  for (const PlatformSample& s : out.platform_samples) {
    EXPECT_EQ(s.t, 4);
    if (s.deployment == "cart") cart = &s;
    if (s.deployment == "frontend") frontend = &s;
  }
  ASSERT_TRUE(cart && frontend);
  EXPECT_EQ(cart->restarts, 0);  // the killed pod was replaced, not restarted
  EXPECT_EQ(cart->ready, 2);
  EXPECT_EQ(frontend->desired, 4);
  EXPECT_EQ(frontend->cpu_utilization, 140);
  ASSERT_EQ(obs.hpa.size(), 1u);
  EXPECT_EQ(obs.hpa[0].utilization, 140);
  EXPECT_EQ(obs.hpa[0].desired, 4);
  // Only events since prime(), at seconds since the run started.
  ASSERT_FALSE(out.platform_events.empty());
  EXPECT_EQ(out.platform_events[0].kind, "pod-terminated");
  EXPECT_EQ(out.platform_events[0].t, 3);
  ASSERT_EQ(obs.breakers.size(), 1u);
  EXPECT_EQ(obs.breakers[0].pods, 2);
  EXPECT_EQ(obs.breakers[0].open_pods, 2);
  // A second sample pulls no event twice.
  size_t events = out.platform_events.size();
  sampler.sample(13 * kNanosPerSecond, out, obs);
  EXPECT_EQ(out.platform_events.size(), events);
  // A failing platform is a warning, once.
  fake.set_reachable(false);
  sampler.sample(14 * kNanosPerSecond, out, obs);
  sampler.sample(15 * kNanosPerSecond, out, obs);
  EXPECT_EQ(std::count_if(obs.warnings.begin(), obs.warnings.end(),
                          [](const std::string& w) { return w.find("deployments") != w.npos; }),
            1);
}

}  // namespace
}  // namespace stampede
