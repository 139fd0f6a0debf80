// Builders for the validation tests: synthetic 100 ms timelines, spans, events and samples.
#pragma once

#include <cmath>
#include <string>

#include "engine/validate/validate.h"

namespace stampede::validate_test {

// A run of `seconds` with `per_bucket` requests in every 100 ms bucket, all fast (~3 ms).
inline FineTimeline steady(double seconds, int64_t per_bucket = 20) {
  FineTimeline t;
  size_t n = static_cast<size_t>(std::llround(seconds * 10));
  t.mutable_buckets().resize(n);
  for (FineBucket& b : t.mutable_buckets()) {
    b.requests = per_bucket;
    b.latency[4] = per_bucket;  // (2, 3] ms
  }
  return t;
}

// Makes `fail` of the requests fail in every bucket of [from, to) seconds.
inline void fail_between(FineTimeline& t, double from, double to, int64_t fail) {
  for (size_t i = static_cast<size_t>(std::llround(from * 10));
       i < static_cast<size_t>(std::llround(to * 10)) && i < t.buckets().size(); ++i) {
    t.mutable_buckets()[i].failed = fail;
  }
}

// Makes every request of [from, to) slow (~1.5 s).
inline void slow_between(FineTimeline& t, double from, double to) {
  for (size_t i = static_cast<size_t>(std::llround(from * 10));
       i < static_cast<size_t>(std::llround(to * 10)) && i < t.buckets().size(); ++i) {
    FineBucket& b = t.mutable_buckets()[i];
    b.latency = {};
    b.latency[20] = b.requests;  // (1000, 2000] ms
  }
}

// One applied action with its span and record.
struct World {
  ChaosPlan plan;
  FineTimeline timeline;
  ResilienceResult resilience;
  ChaosObservations obs;
  double run_end = 60;

  ValidationInput input() const {
    return ValidationInput{plan, timeline, resilience, obs, run_end};
  }

  void applied(const std::string& id, ActionKind kind, const std::string& deployment,
               std::vector<std::string> pods, double start, double end) {
    ChaosAction a;
    a.id = id;
    a.kind = kind;
    a.target = deployment;
    plan.actions.push_back(a);
    AppliedAction r;
    r.id = id;
    r.kind = kind;
    r.target = deployment;
    r.pods = std::move(pods);
    r.deployments = {deployment};
    r.requested_at = start;
    r.applied_at = start;
    r.reverted_at = is_reversible(kind) ? end : -1;
    obs.actions.push_back(r);
    resilience.chaos_spans.push_back(ChaosSpan{id, action_kind_name(kind), deployment, start, end});
  }

  void event(double t, const std::string& kind, const std::string& deployment,
             const std::string& pod = "") {
    resilience.platform_events.push_back(PlatformEvent{t, kind, deployment, pod, ""});
  }
};

}  // namespace stampede::validate_test
