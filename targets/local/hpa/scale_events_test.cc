// Replays the behavior cases of Kubernetes' TestStoreScaleEvents (horizontal_test.go): which
// stored event is reused, which is marked outdated, and the change counted over 60 s before the
// new event is stored, for both directions.
#include "targets/local/hpa/scale_events.h"

#include <gtest/gtest.h>

#include <vector>

#include "targets/local/hpa/rate_limits.h"

namespace stampede::local {
namespace {

constexpr double kNow = 5000;

ScalingRules rules(int pods, int pods_period, int percent, int percent_period) {
  ScalingRules r;
  if (pods != 0) r.policies.push_back({ScalingPolicy::Type::kPods, pods, pods_period});
  if (percent != 0) r.policies.push_back({ScalingPolicy::Type::kPercent, percent, percent_period});
  return r;
}

struct Expected {
  int change;
  bool outdated;
};

struct StoreCase {
  const char* name;
  std::vector<TimedScaleEvent> previous;
  ScalingRules rules;
  int change_in_last_minute;
  std::vector<Expected> after;
};

TEST(KubernetesStoreScaleEvents, Table) {
  const StoreCase cases[] = {
      {"empty entries with two-policy-behavior", {}, rules(10, 60, 100, 60), 0, {{5, false}}},
      {"one outdated entry to be replaced with behavior",
       {{kNow - 61, 7, false}},
       rules(10, 60, 100, 60),
       0,
       {{5, false}}},
      {"one actual entry to be not touched with behavior",
       {{kNow - 58, 7, false}},
       rules(10, 60, 100, 60),
       7,
       {{7, false}, {5, false}}},
      {"two entries, one of them to be replaced",
       {{kNow - 61, 7, false}, {kNow - 59, 6, false}},
       rules(10, 60, 0, 0),
       6,
       {{5, false}, {6, false}}},
      {"replace one entry, use policies with different periods",
       {{kNow - 29, 8, false}, {kNow - 59, 6, false}, {kNow - 61, 7, false}, {kNow - 61, 9, false}},
       rules(10, 60, 100, 30),
       14,
       {{8, false}, {6, false}, {7, true}, {5, false}}},
      {"two entries, both actual",
       {{kNow - 58, 7, false}, {kNow - 59, 6, false}},
       rules(10, 120, 100, 30),
       13,
       {{7, false}, {6, false}, {5, false}}},
  };
  for (const StoreCase& c : cases) {
    for (bool up : {true, false}) {
      ScaleEventLog log;
      if (up) {
        log.set_history(c.previous, {});
      } else {
        log.set_history({}, c.previous);
      }
      const auto& events = up ? log.up() : log.down();
      EXPECT_EQ(replicas_changed_in_period(kNow, 60, events), c.change_in_last_minute) << c.name;
      log.store(kNow, c.rules, 10, up ? 15 : 5);
      ASSERT_EQ(events.size(), c.after.size()) << c.name << (up ? " (up)" : " (down)");
      for (size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].change, c.after[i].change) << c.name << " #" << i;
        EXPECT_EQ(events[i].outdated, c.after[i].outdated) << c.name << " #" << i;
      }
      EXPECT_TRUE((up ? log.down() : log.up()).empty()) << c.name;
    }
  }
}

TEST(ScaleEventLog, NoChangeStoresNothing) {
  ScaleEventLog log;
  log.store(kNow, rules(4, 15, 100, 15), 3, 3);
  EXPECT_TRUE(log.up().empty());
  EXPECT_TRUE(log.down().empty());
}

}  // namespace
}  // namespace stampede::local
