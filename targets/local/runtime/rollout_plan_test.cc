#include "targets/local/runtime/rollout_plan.h"

#include <gtest/gtest.h>

namespace stampede::local {
namespace {

// Simulates a rollout to the end, making every new pod Ready one step after it is created;
// checks the bounds at every step and returns the number of steps.
int simulate(int desired, int surge, int unavailable) {
  int new_total = 0, new_ready = 0, old_total = desired, old_ready = desired;
  for (int step = 1; step < 100; ++step) {
    RolloutStep s = plan_rollout_step(
        {desired, surge, unavailable, new_total, new_ready, old_total, old_ready});
    new_ready = new_total;  // last step's pods became Ready
    new_total += s.create_new;
    old_total -= s.remove_old_unavailable + s.remove_old_available;
    old_ready -= s.remove_old_available;
    EXPECT_LE(new_total + old_total, desired + surge) << "step " << step;
    EXPECT_GE(new_ready + old_ready, desired - unavailable) << "step " << step;
    if (old_total == 0 && new_ready == desired) return step;
    if (old_total == 0 && new_total == desired) {
      new_ready = desired;
      return step + 1;
    }
  }
  ADD_FAILURE() << "rollout never finished";
  return -1;
}

TEST(RolloutPlan, SurgeOneUnavailableZeroKeepsEveryReplica) {
  // 3 replicas, maxSurge 1, maxUnavailable 0: one new pod at a time, an old one removed only
  // once a new one is Ready.
  RolloutStep first = plan_rollout_step({3, 1, 0, 0, 0, 3, 3});
  EXPECT_EQ(first.create_new, 1);
  EXPECT_EQ(first.remove_old_available, 0);
  RolloutStep second = plan_rollout_step({3, 1, 0, 1, 1, 3, 3});
  EXPECT_EQ(second.create_new, 0);
  EXPECT_EQ(second.remove_old_available, 1);
  EXPECT_GT(simulate(3, 1, 0), 3);
}

TEST(RolloutPlan, UnavailableOneSurgeZeroReplacesInPlace) {
  RolloutStep first = plan_rollout_step({2, 0, 1, 0, 0, 2, 2});
  EXPECT_EQ(first.create_new, 0);
  EXPECT_EQ(first.remove_old_available, 1);
  simulate(2, 0, 1);
  simulate(4, 2, 1);
  simulate(1, 1, 0);
}

TEST(RolloutPlan, OldPodsThatAreNotReadyGoFirst) {
  RolloutStep s = plan_rollout_step({3, 1, 0, 1, 0, 3, 2});
  EXPECT_EQ(s.create_new, 0);
  EXPECT_EQ(s.remove_old_unavailable, 0);  // total 4 - minAvailable 3 - 1 new unready = 0
  RolloutStep t = plan_rollout_step({3, 1, 0, 1, 1, 3, 2});
  EXPECT_EQ(t.remove_old_unavailable, 1);
  EXPECT_EQ(t.remove_old_available, 0);  // available 3 == minAvailable 3
}

}  // namespace
}  // namespace stampede::local
