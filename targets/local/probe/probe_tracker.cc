#include "targets/local/probe/probe_tracker.h"

namespace stampede::local {

ProbeTracker::ProbeTracker(ProbeSpec spec, ProbeRole role, double started_at)
    : spec_(std::move(spec)),
      role_(role),
      result_(role == ProbeRole::kLiveness),
      known_(role != ProbeRole::kStartup),
      next_due_(started_at + spec_.initial_delay_seconds) {}

void ProbeTracker::begin(double now) {
  in_flight_ = true;
  next_due_ = now + spec_.period_seconds;
}

bool ProbeTracker::record(bool success, const std::string& message) {
  in_flight_ = false;
  last_message_ = message;
  if (has_last_ && last_ == success) {
    ++run_;
  } else {
    run_ = 1;
  }
  last_ = success;
  has_last_ = true;
  // The kubelet keeps the previous result until enough results in a row agree.
  if (success && run_ < spec_.success_threshold) return false;
  if (!success && run_ < spec_.failure_threshold) return false;
  bool changed = !known_ || result_ != success;
  known_ = true;
  result_ = success;
  return changed;
}

}  // namespace stampede::local
