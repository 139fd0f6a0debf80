#include "shop-reference/common/faults.h"

#include <gtest/gtest.h>
#include <time.h>

#include <map>
#include "shop-reference/common/testing/env_of.h"

namespace shop {
namespace {

using testing::env_of;

TEST(FaultPatch, AppliesOnlyTheFieldsGiven) {
  FaultSpec base;
  base.latency_ms = 100;
  auto s = apply_fault_patch(base, R"({"error_rate": 0.5, "hang": true})");
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s.value().latency_ms, 100);
  EXPECT_DOUBLE_EQ(s.value().error_rate, 0.5);
  EXPECT_TRUE(s.value().hang);
  EXPECT_FALSE(s.value().crash);
}

TEST(FaultPatch, RejectsBadInputNamingTheKnob) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {"{", "faults: malformed JSON body"},
      {"[1]", "faults: expected a JSON object of knobs"},
      {R"({"latency": 5})", "faults.latency: unknown knob"},
      {R"({"latency_ms": -1})", "faults.latency_ms: expected 0..600000 ms"},
      {R"({"latency_ms": 1.5})", "faults.latency_ms: expected a whole number of milliseconds"},
      {R"({"jitter_ms": 99999999999999999999})", "faults.jitter_ms:"},
      {R"({"error_rate": 2})", "faults.error_rate: expected a number in [0, 1]"},
      {R"({"hang": "yes"})", "faults.hang: expected true or false"},
  };
  for (const auto& c : cases) {
    auto s = apply_fault_patch(FaultSpec{}, c.body);
    ASSERT_FALSE(s.ok()) << c.body;
    EXPECT_EQ(s.error().message().rfind(c.message, 0), 0u) << s.error().message();
  }
}

TEST(FaultSpecJson, RoundTrips) {
  FaultSpec s;
  s.latency_ms = 5;
  s.jitter_ms = 7;
  s.error_rate = 0.125;
  s.unhealthy = true;
  s.cpu_burn_ms = 3;
  auto back = apply_fault_patch(FaultSpec{}, to_json(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), s);
}

TEST(FaultEnv, ReadsEveryKnobAndNamesBadOnes) {
  auto s = fault_spec_from_env(env_of({{"FAULT_LATENCY_MS", "20"},
                                       {"FAULT_JITTER_MS", "5"},
                                       {"FAULT_ERROR_RATE", "0.1"},
                                       {"FAULT_HANG", "true"},
                                       {"FAULT_UNHEALTHY", "1"},
                                       {"FAULT_CPU_BURN_MS", "2"},
                                       {"FAULT_CRASH", "no"}}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value().latency_ms, 20);
  EXPECT_EQ(s.value().jitter_ms, 5);
  EXPECT_DOUBLE_EQ(s.value().error_rate, 0.1);
  EXPECT_TRUE(s.value().hang);
  EXPECT_TRUE(s.value().unhealthy);
  EXPECT_EQ(s.value().cpu_burn_ms, 2);
  EXPECT_FALSE(s.value().crash);
  auto bad = fault_spec_from_env(env_of({{"FAULT_ERROR_RATE", "1.5"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("FAULT_ERROR_RATE"), std::string::npos);
}

TEST(Faults, DecisionsFollowTheKnobs) {
  Faults f;
  EXPECT_FALSE(f.decide("M").fail);
  FaultSpec s;
  s.error_rate = 1;
  s.latency_ms = 10;
  s.jitter_ms = 5;
  f.set(s);
  for (int i = 0; i < 200; ++i) {
    FaultDecision d = f.decide("M");
    EXPECT_TRUE(d.fail);
    EXPECT_GE(d.delay.count(), 10);
    EXPECT_LE(d.delay.count(), 15);
  }
  s.error_rate = 0.5;
  f.set(s);
  int failed = 0;
  for (int i = 0; i < 2000; ++i) failed += f.decide("M").fail ? 1 : 0;
  EXPECT_GT(failed, 800);
  EXPECT_LT(failed, 1200);
  f.set(FaultSpec{});
  EXPECT_FALSE(f.decide("M").fail);
  EXPECT_EQ(f.decide("M").delay.count(), 0);
}

TEST(Faults, MethodsLimitThePerRequestKnobs) {
  Faults f;
  auto s = apply_fault_patch(FaultSpec{}, R"({"error_rate": 1, "hang": true, "unhealthy": true,
                                              "methods": ["ShipOrder"]})");
  ASSERT_TRUE(s.ok()) << s.error().message();
  f.set(s.value());
  EXPECT_TRUE(f.decide("ShipOrder").fail);
  EXPECT_TRUE(f.hang("ShipOrder"));
  EXPECT_FALSE(f.decide("GetQuote").fail);
  EXPECT_FALSE(f.hang("Check"));
  EXPECT_TRUE(f.unhealthy());  // readiness is per process, not per method
  EXPECT_FALSE(apply_fault_patch(FaultSpec{}, R"({"methods": "ShipOrder"})").ok());
  EXPECT_FALSE(apply_fault_patch(FaultSpec{}, R"({"methods": [""]})").ok());
  auto env = fault_spec_from_env(env_of({{"FAULT_METHODS", "Charge,Refund"}}));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env.value().methods, (std::vector<std::string>{"Charge", "Refund"}));
  EXPECT_FALSE(fault_spec_from_env(env_of({{"FAULT_METHODS", "Charge,,Refund"}})).ok());
}

TEST(Faults, HangAndUnhealthyAreVisibleWithoutDeciding) {
  Faults f;
  FaultSpec s;
  s.hang = true;
  s.unhealthy = true;
  f.set(s);
  EXPECT_TRUE(f.hang("M"));
  EXPECT_TRUE(f.unhealthy());
  int polls = 0;
  EXPECT_FALSE(wait_while_hung(f, "M", [&] { return ++polls > 3; }));
  f.set(FaultSpec{});
  EXPECT_TRUE(wait_while_hung(f, "M", [] { return false; }));
}

TEST(Faults, WaitForStopsEarlyWhenAsked) {
  int polls = 0;
  EXPECT_FALSE(wait_for(std::chrono::hours(1), [&] { return ++polls > 2; }));
  EXPECT_TRUE(wait_for(std::chrono::milliseconds(0), [] { return false; }));
}

TEST(Faults, BurnCpuSpendsThreadCpuTime) {
  auto cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
  };
  double before = cpu();
  burn_cpu(std::chrono::milliseconds(30));
  EXPECT_GE(cpu() - before, 30.0);
}

}  // namespace
}  // namespace shop
