// ScaleEventLog: the rescales an HPA made recently, kept per direction so the behavior
// policies can limit how many pods are added or removed per period (kube-controller-manager's
// scaleUpEvents / scaleDownEvents with storeScaleEvent and markScaleEventsOutdated). Like
// Kubernetes, an event older than the longest policy period of its direction is marked
// outdated and its slot reused by the next event in that direction; until then it still counts
// wherever it falls inside a policy period. Not thread-safe; owned by one HpaController.
#pragma once

#include <vector>

#include "targets/local/hpa/hpa_types.h"

namespace stampede::local {

struct TimedScaleEvent {
  double at = 0;   // seconds, monotonic
  int change = 0;  // replicas added (up list) or removed (down list); always > 0
  bool outdated = false;
};

class ScaleEventLog {
 public:
  // Records a rescale from `from` to `to` replicas at `now`. `rules` are the behavior rules of
  // that direction (scaleUp when to > from, else scaleDown); their longest policy period decides
  // which stored events are outdated.
  void store(double now, const ScalingRules& rules, int from, int to);

  const std::vector<TimedScaleEvent>& up() const { return up_; }
  const std::vector<TimedScaleEvent>& down() const { return down_; }
  // Replaces the history; for tests that replay a recorded one.
  void set_history(std::vector<TimedScaleEvent> up, std::vector<TimedScaleEvent> down);

 private:
  std::vector<TimedScaleEvent> up_;
  std::vector<TimedScaleEvent> down_;
};

}  // namespace stampede::local
