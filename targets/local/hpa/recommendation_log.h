// RecommendationLog: the HPA's memory of its recent unstabilized recommendations, and the
// stabilization windows computed from it (kube-controller-manager's recommendations map with
// stabilizeRecommendation and stabilizeRecommendationWithBehaviors). Like Kubernetes it reuses
// a slot that has aged out of every window instead of growing. Not thread-safe; owned by one
// HpaController.
#pragma once

#include <vector>

namespace stampede::local {

struct TimedRecommendation {
  double at = 0;  // seconds, monotonic
  int replicas = 0;
};

class RecommendationLog {
 public:
  // Records `current_replicas` as if recommended at `now`, the first time only (Kubernetes'
  // recordInitialRecommendation), so a fresh HPA does not scale down at once.
  void record_initial(double now, int current_replicas);

  // With behavior: the stabilized count is `current` brought within [lowest recommendation of
  // the last up_window seconds, highest of the last down_window seconds] (both windows include
  // `desired`). Records `desired`.
  int stabilize(double now, int current, int desired, int up_window_seconds,
                int down_window_seconds);

  // Without behavior: the highest recommendation of the last `window_seconds`, `desired`
  // included. Records `desired`.
  int stabilize_scale_down(double now, int desired, int window_seconds);

  const std::vector<TimedRecommendation>& entries() const { return entries_; }
  // Replaces the history; for tests that replay a recorded one.
  void set_entries(std::vector<TimedRecommendation> entries);

 private:
  std::vector<TimedRecommendation> entries_;
  bool initialized_ = false;
};

}  // namespace stampede::local
