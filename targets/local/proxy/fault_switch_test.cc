// FaultSwitch and validate_fault: ranges with field-naming errors; the io thread's view follows
// set() and clear().
#include "targets/local/proxy/fault_switch.h"

#include <gtest/gtest.h>

#include <limits>

namespace stampede::local::internal {
namespace {

TEST(ProxyValidateFault, AcceptsZeroAndSensibleValues) {
  EXPECT_TRUE(validate_fault(ProxyFault{}).ok());
  ProxyFault fault;
  fault.latency_ms = 100;
  fault.jitter_ms = 50;
  fault.bandwidth_kbps = 64;
  fault.reset_rate = 1;
  fault.reset_existing = true;
  fault.blackhole = true;
  EXPECT_TRUE(validate_fault(fault).ok());
}

TEST(ProxyValidateFault, NamesTheFieldAndTheValue) {
  ProxyFault fault;
  fault.latency_ms = -5;
  Status s = validate_fault(fault);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "latency_ms: must be a number from 0 to 3600000, got -5");

  fault = ProxyFault{};
  fault.reset_rate = 1.5;
  s = validate_fault(fault);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "reset_rate: must be a number from 0 to 1, got 1.5");

  fault = ProxyFault{};
  fault.jitter_ms = std::numeric_limits<double>::quiet_NaN();
  s = validate_fault(fault);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message().rfind("jitter_ms: ", 0), 0u) << s.error().message();

  fault = ProxyFault{};
  fault.bandwidth_kbps = -1;
  s = validate_fault(fault);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message().rfind("bandwidth_kbps: ", 0), 0u) << s.error().message();
}

TEST(ProxyFaultSwitch, TheIoViewFollowsChanges) {
  FaultSwitch faults;
  EXPECT_EQ(faults.current().latency_ms, 0);
  const uint64_t g0 = faults.current_generation();
  ProxyFault fault;
  fault.latency_ms = 25;
  ASSERT_TRUE(faults.set(fault).ok());
  EXPECT_EQ(faults.get().latency_ms, 25);
  EXPECT_EQ(faults.current().latency_ms, 25);
  const uint64_t g1 = faults.current_generation();
  EXPECT_NE(g1, g0);
  faults.clear();
  EXPECT_EQ(faults.current().latency_ms, 0);
  EXPECT_NE(faults.current_generation(), g1);
}

TEST(ProxyFaultSwitch, AnInvalidFaultChangesNothing) {
  FaultSwitch faults;
  ProxyFault good;
  good.blackhole = true;
  ASSERT_TRUE(faults.set(good).ok());
  ProxyFault bad;
  bad.reset_rate = -0.1;
  EXPECT_FALSE(faults.set(bad).ok());
  EXPECT_TRUE(faults.get().blackhole);
  EXPECT_TRUE(faults.current().blackhole);
}

}  // namespace
}  // namespace stampede::local::internal
