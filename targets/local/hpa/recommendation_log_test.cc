// Replays Kubernetes' TestNormalizeDesiredReplicas (stabilizeRecommendation, no behavior, a
// 5-minute downscale window) and TestNormalizeDesiredReplicasWithBehavior
// (stabilizeRecommendationWithBehaviors) from horizontal_test.go: the stabilized count and what
// the log holds afterwards.
#include "targets/local/hpa/recommendation_log.h"

#include <gtest/gtest.h>

#include <vector>

namespace stampede::local {
namespace {

constexpr double kNow = 20000;
constexpr double kMinute = 60;

std::vector<int> replicas_of(const RecommendationLog& log) {
  std::vector<int> out;
  for (const auto& r : log.entries()) out.push_back(r.replicas);
  return out;
}

TEST(KubernetesNormalizeDesiredReplicas, Table) {
  struct Row {
    const char* name;
    std::vector<TimedRecommendation> log;
    int desired;
    int expected;
    size_t expected_log_length;
  };
  const Row rows[] = {
      {"empty log", {}, 5, 5, 1},
      {"stabilize", {{kNow - 2 * kMinute, 4}, {kNow - kMinute, 5}}, 3, 5, 3},
      {"no stabilize", {{kNow - 2 * kMinute, 1}, {kNow - kMinute, 2}}, 3, 3, 3},
      {"no stabilize - old recommendations",
       {{kNow - 10 * kMinute, 10}, {kNow - 9 * kMinute, 9}},
       3,
       3,
       2},
      {"stabilize - old recommendations",
       {{kNow - 10 * kMinute, 10},
        {kNow - kMinute, 4},
        {kNow - 2 * kMinute, 5},
        {kNow - 9 * kMinute, 9}},
       3,
       5,
       4},
  };
  for (const Row& r : rows) {
    RecommendationLog log;
    log.set_entries(r.log);
    EXPECT_EQ(log.stabilize_scale_down(kNow, r.desired, 300), r.expected) << r.name;
    EXPECT_EQ(log.entries().size(), r.expected_log_length) << r.name;
  }
}

TEST(KubernetesNormalizeDesiredReplicasWithBehavior, Table) {
  struct Row {
    const char* name;
    std::vector<TimedRecommendation> log;
    int current;
    int desired;
    int expected;
    std::vector<int> expected_log;  // empty: not checked
    int up_window;
    int down_window;
  };
  const Row rows[] = {
      {"empty recommendations for scaling down", {}, 100, 5, 5, {5}, 0, 0},
      {"simple scale down stabilization",
       {{kNow - 2 * kMinute, 4}, {kNow - kMinute, 5}},
       100,
       3,
       5,
       {4, 5, 3},
       0,
       3 * 60},
      {"simple scale up stabilization",
       {{kNow - 2 * kMinute, 4}, {kNow - kMinute, 5}},
       1,
       7,
       4,
       {4, 5, 7},
       5 * 60,
       0},
      {"no scale down stabilization",
       {{kNow - 2 * kMinute, 1}, {kNow - kMinute, 2}},
       100,
       3,
       3,
       {1, 2, 3},
       5 * 60,
       0},
      {"no scale up stabilization",
       {{kNow - 2 * kMinute, 4}, {kNow - kMinute, 5}},
       1,
       3,
       3,
       {4, 5, 3},
       0,
       5 * 60},
      {"no scale down stabilization, reuse recommendation element",
       {{kNow - 10 * kMinute, 10}, {kNow - 9 * kMinute, 9}},
       100,
       3,
       3,
       {10, 3},
       0,
       0},
      {"no scale up stabilization, reuse recommendation element",
       {{kNow - 10 * kMinute, 10}, {kNow - 9 * kMinute, 9}},
       1,
       100,
       100,
       {10, 100},
       0,
       0},
      {"scale down stabilization, reuse one of obsolete recommendation element",
       {{kNow - 10 * kMinute, 10},
        {kNow - kMinute, 4},
        {kNow - 2 * kMinute, 5},
        {kNow - 9 * kMinute, 9}},
       100,
       3,
       5,
       {10, 4, 5, 3},
       0,
       3 * 60},
      {"scale up stabilization, reuse one of obsolete recommendation element",
       {{kNow - 100 * kMinute, 10},
        {kNow - kMinute, 6},
        {kNow - 2 * kMinute, 5},
        {kNow - 3 * kMinute, 9}},
       1,
       100,
       5,
       {100, 6, 5, 9},
       300,
       0},
      {"scale up and down stabilization, do not scale up when prenormalized rec goes down",
       {{kNow - 100 * kMinute, 2}, {kNow - 3 * kMinute, 3}},
       2,
       1,
       2,
       {},
       300,
       300},
      {"scale up and down stabilization, do not scale down when prenormalized rec goes up",
       {{kNow - 100 * kMinute, 2}, {kNow - 3 * kMinute, 1}},
       2,
       3,
       2,
       {},
       300,
       300},
  };
  for (const Row& r : rows) {
    RecommendationLog log;
    log.set_entries(r.log);
    EXPECT_EQ(log.stabilize(kNow, r.current, r.desired, r.up_window, r.down_window), r.expected)
        << r.name;
    if (!r.expected_log.empty()) {
      EXPECT_EQ(replicas_of(log), r.expected_log) << r.name;
    }
  }
}

TEST(RecommendationLog, InitialRecommendationOnlyOnce) {
  RecommendationLog log;
  log.record_initial(0, 5);
  log.record_initial(15, 7);
  EXPECT_EQ(replicas_of(log), std::vector<int>{5});
  // A fresh HPA holds a scale-down for the window, as the current count counts as recommended.
  EXPECT_EQ(log.stabilize(15, 5, 1, 0, 300), 5);
  EXPECT_EQ(log.stabilize(301, 5, 1, 0, 300), 1);
}

}  // namespace
}  // namespace stampede::local
