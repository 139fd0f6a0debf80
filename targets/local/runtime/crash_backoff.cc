#include "targets/local/runtime/crash_backoff.h"

#include <algorithm>

namespace stampede::local {

double CrashBackoff::on_exit(double now) {
  // kubelet (flowcontrol.Backoff): an entry untouched for 2×max has expired.
  if (!has_entry_ || now - last_update_ > 2 * max_) {
    has_entry_ = true;
    backoff_ = base_;
    last_update_ = now;
    return 0;
  }
  double delay = backoff_;
  last_update_ = now + delay;  // Next() runs when the restart happens
  backoff_ = std::min(backoff_ * 2, max_);
  return delay;
}

}  // namespace stampede::local
