#include "targets/local/values/quantity.h"

#include <gtest/gtest.h>

namespace stampede::local {
namespace {

int64_t cpu(const std::string& s) {
  auto r = read_cpu_millis(YAML::Node(s), "x");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? r.value() : -1;
}

int64_t mem(const std::string& s) {
  auto r = read_memory_bytes(YAML::Node(s), "x");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? r.value() : -1;
}

TEST(Quantity, CpuForms) {
  EXPECT_EQ(cpu("200m"), 200);
  EXPECT_EQ(cpu("1"), 1000);
  EXPECT_EQ(cpu("0.5"), 500);
  EXPECT_EQ(cpu("1.5"), 1500);
  EXPECT_EQ(cpu("0.0001"), 1);  // rounded up to a millicore, like Kubernetes
}

TEST(Quantity, CpuErrorsNameThePath) {
  auto r = read_cpu_millis(YAML::Node("2 cores"), "services.cart.resources.requests.cpu");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message(),
      "services.cart.resources.requests.cpu: expected a CPU quantity like 200m, 1 or 0.5, got "
      "'2 cores'");
  EXPECT_FALSE(read_cpu_millis(YAML::Node("-1"), "x").ok());
  EXPECT_FALSE(read_cpu_millis(YAML::Node("5Mi"), "x").ok());
}

TEST(Quantity, MemoryForms) {
  EXPECT_EQ(mem("64Mi"), 64 * 1048576);
  EXPECT_EQ(mem("1G"), 1000000000);
  EXPECT_EQ(mem("128974848"), 128974848);
  EXPECT_EQ(mem("129e6"), 129000000);
  EXPECT_EQ(mem("1Ki"), 1024);
  EXPECT_FALSE(read_memory_bytes(YAML::Node("64MB"), "x").ok());
}

TEST(Quantity, IntOrPercent) {
  auto p = read_int_or_percent(YAML::Node("25%"), "x");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.value().percent);
  EXPECT_EQ(p.value().value, 25);
  auto n = read_int_or_percent(YAML::Node("2"), "x");
  ASSERT_TRUE(n.ok());
  EXPECT_FALSE(n.value().percent);
  EXPECT_EQ(n.value().value, 2);
  EXPECT_FALSE(read_int_or_percent(YAML::Node("-1"), "x").ok());
  EXPECT_FALSE(read_int_or_percent(YAML::Node("150%"), "x").ok());
  EXPECT_FALSE(read_int_or_percent(YAML::Node("x%"), "x").ok());
}

TEST(Quantity, FencepostsRoundLikeTheDeploymentController) {
  // 25% of 3: surge ceil(0.75) = 1, unavailable floor(0.75) = 0.
  EXPECT_EQ(resolve_fenceposts({true, 25}, {true, 25}, 3), std::make_pair(1, 0));
  EXPECT_EQ(resolve_fenceposts({true, 25}, {true, 25}, 4), std::make_pair(1, 1));
  EXPECT_EQ(resolve_fenceposts({false, 1}, {false, 0}, 5), std::make_pair(1, 0));
  // Both resolving to 0 (10% of 1 unavailable, 0 surge): unavailable becomes 1.
  EXPECT_EQ(resolve_fenceposts({false, 0}, {true, 10}, 1), std::make_pair(0, 1));
}

}  // namespace
}  // namespace stampede::local
