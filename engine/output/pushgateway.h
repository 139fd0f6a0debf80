// The Pushgateway push of `stampede run --pushgateway URL`: at the end of the run (also after
// SIGINT, an abort or failed thresholds) the run's final metrics, the same series /metrics
// serves (RunMetrics), replace the group job=<job>/instance=<instance>/<labels...> of a
// Prometheus Pushgateway, through prometheus-cpp's push library. A failure is the caller's
// warning: it never changes the verdict or the other outputs (docs/reports.md, "Pushgateway").
// Main thread only.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/prometheus/registry.h"
#include "common/result.h"

namespace stampede {

// What the flags ask for.
struct PushgatewayFlags {
  std::string url;                  // --pushgateway; empty for no push
  std::string job = "stampede";     // --pushgateway-job
  std::vector<std::string> labels;  // --pushgateway-label KEY=VALUE (repeatable)
};

// A checked push target.
struct PushgatewayTarget {
  std::string base;  // scheme://host (IPv6 in brackets)
  std::string port;  // the URL's port, else 80 / 443
  std::string job;
  std::map<std::string, std::string> labels;  // the grouping key besides job, instance included

  // http://host:port/metrics/job/<job>/<label>/<value>... as the push goes to.
  std::string url() const;
};

// The instance label when --pushgateway-label gives none: $JOB_COMPLETION_INDEX (the runner's
// index in a Kubernetes Indexed Job), else the host name, else "unknown".
std::string default_push_instance();

// Checks the flags: an http(s)://HOST[:PORT] URL without a path, a job and label values of
// letters, digits and _ . : - (they are URL path segments), valid label names other than job.
// `instance` (default_push_instance() unless a label sets it) joins the labels. Errors name the
// flag, e.g. "--pushgateway-label x: expected KEY=VALUE".
Result<PushgatewayTarget> pushgateway_target(const PushgatewayFlags& flags,
                                             const std::string& instance);

// Replaces the target's group with the registry's series (HTTP PUT). Waits at most `timeout`;
// a push still under way then is left to finish or fail on its own thread. Errors name the URL
// and the reason ("push to http://...: connection refused", "...: HTTP 400").
Status push_to_gateway(const PushgatewayTarget& target, const prometheus::Registry& registry,
                       std::chrono::milliseconds timeout);

}  // namespace stampede
