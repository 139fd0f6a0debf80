// CrashLoopBackOff as the kubelet computes it for one container: the first restart is
// immediate, then each restart waits base, 2×base, 4×base, ... up to max; a container that ran
// for more than 2×max since the last restart starts again from the beginning.
// Not thread-safe: one per pod, on the control thread.
#pragma once

namespace stampede::local {

class CrashBackoff {
 public:
  CrashBackoff(double base_seconds, double max_seconds) : base_(base_seconds), max_(max_seconds) {}

  // The container exited at `now` (seconds, monotonic): how long to wait before restarting it.
  double on_exit(double now);

 private:
  double base_;
  double max_;
  bool has_entry_ = false;
  double backoff_ = 0;
  double last_update_ = 0;
};

}  // namespace stampede::local
