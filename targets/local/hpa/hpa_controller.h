// HpaController: the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) algorithm for one
// deployment, on CPU utilisation of requests, as kube-controller-manager runs it: desired =
// ceil(current × usage/target) with a tolerance, missing-metric and unready-pod handling,
// min/max, stabilization windows and scaling policies (behavior). Pure logic: it is given the
// pods' CPU usage and the time, so tests drive it without processes or clocks.
// Not thread-safe: one per deployment, called from the runtime's control thread.
//
// The spec types (HpaSpec, ScalingRules, PodCpu, HpaDecision, default_hpa_spec) live in
// hpa_types.h, included here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "targets/local/hpa/hpa_types.h"
#include "targets/local/hpa/recommendation_log.h"
#include "targets/local/hpa/scale_events.h"

namespace stampede::local {

class HpaController {
 public:
  // `spec` should pass validate_hpa_spec(); if it does not, every sync reports the error
  // (able_to_scale false) and leaves the replica count alone.
  explicit HpaController(HpaSpec spec);

  const HpaSpec& spec() const { return spec_; }

  // One reconcile at `now` (seconds, monotonic) for a deployment that currently wants
  // `current_replicas`. Remembers recommendations and scale events for the windows and policies.
  // `now` must not go backwards between calls.
  HpaDecision sync(double now, int current_replicas, const std::vector<PodCpu>& pods);

  // The memory behind the windows and policies, for status pages and tests.
  const RecommendationLog& recommendations() const { return recommendations_; }
  const ScaleEventLog& scale_events() const { return scale_events_; }
  // Seeds that memory (tests replaying a recorded history).
  RecommendationLog& mutable_recommendations() { return recommendations_; }
  ScaleEventLog& mutable_scale_events() { return scale_events_; }

 private:
  // Applies stabilization and limits to the formula's answer; fills desired and evidence.
  // Returns the stabilized recommendation.
  int normalize(double now, HpaDecision& d);

  HpaSpec spec_;
  Status spec_status_;
  RecommendationLog recommendations_;
  ScaleEventLog scale_events_;
};

}  // namespace stampede::local
