#include "targets/local/runtime/event_log.h"

#include <cstdio>

#include "targets/local/runtime/clock.h"

namespace stampede::local {

uint64_t EventLog::add(std::string kind, std::string deployment, std::string pod,
                       std::string detail) {
  Event e;
  e.seq = next_++;
  e.mono_ns = mono_now_ns();
  e.unix_ms = unix_ms_of(e.mono_ns);
  e.kind = std::move(kind);
  e.deployment = std::move(deployment);
  e.pod = std::move(pod);
  e.detail = std::move(detail);
  // One line per event on the supervisor's stderr: `stampede up`'s log.
  std::fprintf(stderr, "%.3f %s %s %s %s\n", mono_seconds(e.mono_ns), e.kind.c_str(),
               e.deployment.c_str(), e.pod.c_str(), e.detail.c_str());
  events_.push_back(std::move(e));
  while (events_.size() > capacity_) events_.pop_front();
  return next_ - 1;
}

std::vector<Event> EventLog::since(uint64_t since, size_t limit) const {
  std::vector<Event> out;
  if (events_.empty()) return out;
  uint64_t first = events_.front().seq;
  size_t start = since <= first ? 0 : static_cast<size_t>(since - first);
  for (size_t i = start; i < events_.size() && out.size() < limit; ++i) out.push_back(events_[i]);
  return out;
}

}  // namespace stampede::local
