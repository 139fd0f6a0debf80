#include "engine/chaos/pod_selection.h"

#include <gtest/gtest.h>

#include <set>

#include "engine/chaos/chaos_test_util.h"

namespace stampede {
namespace {

using chaos_test::action;

TEST(PodSelectionTest, ModesPickTheRightCount) {
  ChaosAction a = action(ActionKind::kPodKill, "x", 1);
  EXPECT_EQ(pods_by_mode(a, 0), 0u);
  EXPECT_EQ(pods_by_mode(a, 5), 1u);
  a.mode = PodMode::kAll;
  EXPECT_EQ(pods_by_mode(a, 5), 5u);
  a.mode = PodMode::kFixed;
  a.count = 3;
  EXPECT_EQ(pods_by_mode(a, 5), 3u);
  EXPECT_EQ(pods_by_mode(a, 2), 2u);
  a.mode = PodMode::kPercent;
  a.percent = 50;
  EXPECT_EQ(pods_by_mode(a, 5), 3u);  // ceil(2.5)
  EXPECT_EQ(pods_by_mode(a, 4), 2u);
  a.percent = 1;
  EXPECT_EQ(pods_by_mode(a, 4), 1u);  // at least one
}

TEST(PodSelectionTest, TargetsByDeploymentOrSelectorAndSkipsTerminatingPods) {
  FakePlatform fake;
  chaos_test::add_shop(fake);
  auto cart = target_pods(fake, action(ActionKind::kPodKill, "cart", 1));
  ASSERT_TRUE(cart.ok());
  ASSERT_EQ(cart.value().size(), 2u);
  EXPECT_EQ(cart.value()[0].name, "cart-1");
  auto by_label = target_pods(fake, action(ActionKind::kPodKill, "app=frontend", 1));
  ASSERT_TRUE(by_label.ok());
  EXPECT_EQ(by_label.value().size(), 3u);
  auto none = target_pods(fake, action(ActionKind::kPodKill, "nothing", 1));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value().empty());
  fake.set_reachable(false);
  EXPECT_FALSE(target_pods(fake, action(ActionKind::kPodKill, "cart", 1)).ok());
}

TEST(PodSelectionTest, PodsInCrashLoopBackOffHaveNoProcessToHit) {
  FakePlatform fake;
  chaos_test::add_shop(fake);
  fake.set_pod_state("cart-1", "crash-loop-backoff");
  auto cart = target_pods(fake, action(ActionKind::kPodKill, "cart", 1));
  ASSERT_TRUE(cart.ok());
  ASSERT_EQ(cart.value().size(), 1u);
  EXPECT_EQ(cart.value()[0].name, "cart-2");
}

TEST(PodSelectionTest, ChoosesDistinctPodsUniformlyAndRespectsTheCap) {
  std::vector<PodState> pods(6);
  for (size_t i = 0; i < pods.size(); ++i) pods[i].name = "p" + std::to_string(i);
  ChaosAction a = action(ActionKind::kPodKill, "x", 1);
  a.mode = PodMode::kAll;
  a.max_pods = 4;
  std::mt19937_64 rng(1);
  auto chosen = choose_pods(a, pods, rng);
  ASSERT_EQ(chosen.size(), 4u);
  EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
  EXPECT_EQ(std::set<std::string>(chosen.begin(), chosen.end()).size(), 4u);
  // mode one over many draws hits every pod (a uniform choice, not always the first).
  a.mode = PodMode::kOne;
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(choose_pods(a, pods, rng).at(0));
  EXPECT_EQ(seen.size(), pods.size());
}

}  // namespace
}  // namespace stampede
