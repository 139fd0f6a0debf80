// The kubelet's probe worker bookkeeping for one probe of one container, without the clock:
// consecutive results against successThreshold / failureThreshold decide the probe's result, and
// when the next attempt is due (initialDelaySeconds, then every periodSeconds).
// Not thread-safe: owned by the runtime's control thread.
#pragma once

#include <string>

#include "targets/local/values/probe_reader.h"
#include "targets/local/values/spec.h"

namespace stampede::local {

class ProbeTracker {
 public:
  // `started_at`: when the container started (seconds, monotonic). The initial result is the
  // kubelet's: liveness succeeds, readiness fails, startup is unknown (result() false) until its
  // thresholds decide it either way.
  ProbeTracker(ProbeSpec spec, ProbeRole role, double started_at);

  const ProbeSpec& spec() const { return spec_; }
  ProbeRole role() const { return role_; }
  bool result() const { return result_; }
  // When the next attempt should start (seconds, monotonic).
  double next_due() const { return next_due_; }
  bool in_flight() const { return in_flight_; }

  // An attempt starts at `now`; the next is due a period later.
  void begin(double now);
  // Records the outcome of the attempt begun last. Returns true when result() changed. Like the
  // kubelet, the counters reset after a liveness/startup failure is acted on (the container is
  // restarted, and a new tracker is made for the new container).
  bool record(bool success, const std::string& message);
  // The last attempt's message and how many results in a row agree with it.
  const std::string& last_message() const { return last_message_; }
  int run_length() const { return run_; }

 private:
  ProbeSpec spec_;
  ProbeRole role_;
  bool result_;
  bool known_;  // false while a startup probe's result is still Unknown
  bool last_ = false;
  bool has_last_ = false;
  int run_ = 0;
  double next_due_;
  bool in_flight_ = false;
  std::string last_message_;
};

}  // namespace stampede::local
