// The runtime's event log: what happened to pods and deployments, each event with a sequence
// number and its monotonic and wall-clock times. Keeps the newest `capacity` events.
// Not thread-safe: owned by the runtime's control thread.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace stampede::local {

struct Event {
  uint64_t seq = 0;
  int64_t mono_ns = 0;
  int64_t unix_ms = 0;
  std::string kind;  // pod-created, pod-ready, ... (docs/local-runtime-api.md)
  std::string deployment;
  std::string pod;
  std::string detail;
};

class EventLog {
 public:
  explicit EventLog(size_t capacity = 100000) : capacity_(capacity) {}

  // Records an event now; returns its sequence number (from 1, increasing).
  uint64_t add(std::string kind, std::string deployment, std::string pod, std::string detail);
  // Events with seq >= `since`, oldest first, at most `limit`.
  std::vector<Event> since(uint64_t since, size_t limit = SIZE_MAX) const;
  // The seq the next event will get.
  uint64_t next_seq() const { return next_; }

 private:
  size_t capacity_;
  uint64_t next_ = 1;
  std::deque<Event> events_;
};

}  // namespace stampede::local
