#include "engine/platform/testing/fake_platform.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

DeploymentState named(const std::string& name) {
  DeploymentState d;
  d.name = name;
  return d;
}

TEST(FakePlatformTest, BehavesLikeAPlatform) {
  FakePlatform fake;
  Nanos now = 1000;
  fake.set_clock([&] { return now; });
  fake.add_deployment(named("cart"), 2);
  fake.add_deployment(named("payment"), 1);
  EXPECT_EQ(fake.pod_names("cart"), (std::vector<std::string>{"cart-1", "cart-2"}));

  ASSERT_TRUE(fake.kill_pod("cart-1").ok());  // a force delete: replaced by cart-3
  auto pods = fake.pods("app=cart");
  ASSERT_TRUE(pods.ok());
  EXPECT_EQ(fake.pod_names("cart"), (std::vector<std::string>{"cart-2", "cart-3"}));
  EXPECT_EQ(fake.pods("app=payment").value().size(), 1u);
  EXPECT_TRUE(fake.pods("app=none").value().empty());
  EXPECT_FALSE(fake.pods("app in (cart").ok());
  EXPECT_EQ(fake.pods("app in (cart,payment)").value().size(), 3u);

  ASSERT_TRUE(fake.terminate_pod("cart-2", -1).ok());
  EXPECT_EQ(fake.pod_names("cart"), (std::vector<std::string>{"cart-3", "cart-4"}));
  ASSERT_TRUE(fake.scale("cart", 0).ok());
  EXPECT_TRUE(fake.pod_names("cart").empty());
  ASSERT_TRUE(fake.scale("cart", 1).ok());
  EXPECT_EQ(fake.replicas("cart"), 1);

  auto events = fake.events_since(0);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events.value().events.front().kind, "pod-terminated");
  EXPECT_EQ(events.value().events.front().detail, "grace period 0");
  EXPECT_EQ(events.value().events.front().mono_ns, 1000);
  auto later = fake.events_since(events.value().next);
  EXPECT_TRUE(later.value().events.empty());

  fake.fail_next("pause");
  EXPECT_FALSE(fake.pause_pod("payment-1").ok());
  EXPECT_TRUE(fake.pause_pod("payment-1").ok());
  EXPECT_TRUE(fake.paused("payment-1"));
  fake.set_reachable(false);
  EXPECT_FALSE(fake.ping().ok());
  EXPECT_FALSE(fake.deployments().ok());
}

}  // namespace
}  // namespace stampede
