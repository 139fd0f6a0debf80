#include "targets/local/hpa/rate_limits.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

namespace stampede::local {
namespace {

// Kubernetes computes in int32; intermediate values here are int64 and clamped back.
int clamp_int(int64_t v) {
  return static_cast<int>(std::clamp<int64_t>(v, INT_MIN, INT_MAX));
}

int64_t period_start_replicas(double now, int current, const std::vector<TimedScaleEvent>& up,
                              const std::vector<TimedScaleEvent>& down, int period_seconds) {
  return static_cast<int64_t>(current) - replicas_changed_in_period(now, period_seconds, up) +
         replicas_changed_in_period(now, period_seconds, down);
}

}  // namespace

int replicas_changed_in_period(double now, int period_seconds,
                               const std::vector<TimedScaleEvent>& events) {
  const double cutoff = now - period_seconds;
  int64_t sum = 0;
  for (const TimedScaleEvent& e : events) {
    if (e.at > cutoff) sum += e.change;
  }
  return clamp_int(sum);
}

int scale_up_limit(double now, int current, const std::vector<TimedScaleEvent>& up,
                   const std::vector<TimedScaleEvent>& down, const ScalingRules& rules) {
  if (rules.select == SelectPolicy::kDisabled) return current;
  // Max picks the policy allowing the biggest increase, Min the smallest.
  const bool pick_max = rules.select == SelectPolicy::kMax;
  int64_t result = pick_max ? INT_MIN : INT_MAX;
  for (const ScalingPolicy& p : rules.policies) {
    const int64_t start = period_start_replicas(now, current, up, down, p.period_seconds);
    int64_t proposed = 0;
    if (p.type == ScalingPolicy::Type::kPods) {
      proposed = start + p.value;
    } else {
      // Rounded up so that a small percentage still adds a pod.
      proposed = static_cast<int64_t>(
          std::ceil(static_cast<double>(start) * (1 + static_cast<double>(p.value) / 100)));
    }
    result = pick_max ? std::max(result, proposed) : std::min(result, proposed);
  }
  return clamp_int(result);
}

int scale_down_limit(double now, int current, const std::vector<TimedScaleEvent>& up,
                     const std::vector<TimedScaleEvent>& down, const ScalingRules& rules) {
  if (rules.select == SelectPolicy::kDisabled) return current;
  // Max (the biggest decrease) is the lowest count, Min the highest.
  const bool pick_max = rules.select == SelectPolicy::kMax;
  int64_t result = pick_max ? INT_MAX : INT_MIN;
  for (const ScalingPolicy& p : rules.policies) {
    const int64_t start = period_start_replicas(now, current, up, down, p.period_seconds);
    int64_t proposed = 0;
    if (p.type == ScalingPolicy::Type::kPods) {
      proposed = start - p.value;
    } else {
      // Go's int32(float64) conversion truncates toward zero; so does the cast.
      proposed = static_cast<int64_t>(static_cast<double>(start) *
                                      (1 - static_cast<double>(p.value) / 100));
    }
    result = pick_max ? std::min(result, proposed) : std::max(result, proposed);
  }
  return clamp_int(result);
}

LimitedReplicas limit_with_behavior(double now, int current, int desired, const HpaSpec& spec,
                                    const ScaleEventLog& events) {
  if (desired > current) {
    // A limit below current (after many recent scale-ups) means: no further scale-up for now.
    const int limit =
        std::max(current, scale_up_limit(now, current, events.up(), events.down(), spec.scale_up));
    const bool by_policy = spec.max_replicas > limit;
    const int maximum = by_policy ? limit : spec.max_replicas;
    if (desired > maximum) return {maximum, by_policy ? "ScaleUpLimit" : "TooManyReplicas"};
  } else if (desired < current) {
    const int limit = std::min(
        current, scale_down_limit(now, current, events.up(), events.down(), spec.scale_down));
    const bool by_policy = spec.min_replicas < limit;
    const int minimum = by_policy ? limit : spec.min_replicas;
    if (desired < minimum) return {minimum, by_policy ? "ScaleDownLimit" : "TooFewReplicas"};
  }
  return {desired, "DesiredWithinRange"};
}

LimitedReplicas limit_without_behavior(int current, int desired, int min_replicas,
                                       int max_replicas) {
  // Guards against a bogus usage spike multiplying the deployment (Kubernetes issue #32304).
  const int64_t scale_up_limit = std::max<int64_t>(2 * static_cast<int64_t>(current), 4);
  const bool by_rate = max_replicas > scale_up_limit;
  const int maximum = by_rate ? clamp_int(scale_up_limit) : max_replicas;
  if (desired < min_replicas) return {min_replicas, "TooFewReplicas"};
  if (desired > maximum) return {maximum, by_rate ? "ScaleUpLimit" : "TooManyReplicas"};
  return {desired, "DesiredWithinRange"};
}

}  // namespace stampede::local
