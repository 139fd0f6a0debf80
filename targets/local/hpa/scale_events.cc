#include "targets/local/hpa/scale_events.h"

#include <utility>

namespace stampede::local {
namespace {

int longest_period(const ScalingRules& rules) {
  int longest = 0;
  for (const ScalingPolicy& p : rules.policies) {
    if (p.period_seconds > longest) longest = p.period_seconds;
  }
  return longest;
}

void store_in(std::vector<TimedScaleEvent>& events, double now, int longest_period_seconds,
              int change) {
  const double cutoff = now - longest_period_seconds;
  bool found_old = false;
  size_t old_index = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].at < cutoff) events[i].outdated = true;
    if (events[i].outdated) {
      found_old = true;
      old_index = i;
    }
  }
  const TimedScaleEvent event{now, change, false};
  if (found_old) {
    events[old_index] = event;
  } else {
    events.push_back(event);
  }
}

}  // namespace

void ScaleEventLog::store(double now, const ScalingRules& rules, int from, int to) {
  if (to > from) {
    store_in(up_, now, longest_period(rules), to - from);
  } else if (to < from) {
    store_in(down_, now, longest_period(rules), from - to);
  }
}

void ScaleEventLog::set_history(std::vector<TimedScaleEvent> up,
                                std::vector<TimedScaleEvent> down) {
  up_ = std::move(up);
  down_ = std::move(down);
}

}  // namespace stampede::local
