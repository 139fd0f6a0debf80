// pods/log: a pod's container output from <state>/logs/<pod>.log, where every container of the
// pod writes in turn. The runtime remembers where the latest container's output begins and where
// the previous one's did, so `previous=true` is the container before the current (or, in
// CrashLoopBackOff, the last) one. tailLines, limitBytes and container (checked against the
// pod's one container) are honoured; follow=true streams new output until that container stops
// or the client goes away. timestamps and sinceSeconds/sinceTime are accepted and ignored (the
// log has no per-line times). Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/http/server.h"
#include "common/result.h"

namespace stampede::local::kube {

// Where one pod's log is, as of the last render.
struct PodLogInfo {
  std::string path;
  std::string container;         // its container's name
  int64_t offset = 0;            // the latest container's output begins here
  int64_t previous_offset = -1;  // the one before it began here (-1: there was none)
  bool started = false;          // a container has been started at least once
  bool running = false;          // the latest container is running now
  int restarts = 0;              // which container is the latest (its restart count)
};

// The renderer's view of every pod's log, read by request handlers. Thread-safe.
class LogIndex {
 public:
  void set(std::map<std::string, PodLogInfo> pods);
  std::optional<PodLogInfo> find(const std::string& pod) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, PodLogInfo> pods_;  // guarded by mu_
};

// What a pods/log request asks for.
struct LogQuery {
  std::string container;
  bool follow = false;
  bool previous = false;
  std::optional<int64_t> tail_lines;
  std::optional<int64_t> limit_bytes;
};

// The byte range [begin, end) to answer (end -1: up to EOF, following), or an error Status code
// and message: 400 for a bad container, a container waiting to start, no previous container.
struct LogRange {
  int code = 200;
  std::string error;
  int64_t begin = 0;
  int64_t end = -1;
};
LogRange resolve_log_range(const std::string& pod, const PodLogInfo& info, const LogQuery& q);
// Where the last `lines` lines of [begin, end) of the file begin.
int64_t tail_offset(const std::string& path, int64_t begin, int64_t end, int64_t lines);
// The size of the file (0 when it is missing).
int64_t file_size(const std::string& path);
// Reads [begin, end) (at most `max` bytes).
std::string read_range(const std::string& path, int64_t begin, int64_t end, int64_t max);

// Streams log bytes to clients from one thread: followed logs and bodies too large for one
// reply. Thread-safe.
class LogStreamer {
 public:
  explicit LogStreamer(const LogIndex& index);
  ~LogStreamer();  // stop()
  LogStreamer(const LogStreamer&) = delete;
  LogStreamer& operator=(const LogStreamer&) = delete;

  // Streams `path` from `begin` to `end` (-1: follow until the pod's container `restarts` stops),
  // at most `limit` bytes (-1: no limit).
  std::shared_ptr<http::ResponseStream> stream(const std::string& pod, const std::string& path,
                                               int64_t begin, int64_t end, int64_t limit,
                                               int restarts);
  void stop();

 private:
  struct Follow {
    std::string pod, path;
    int64_t at = 0, end = -1, left = -1;
    int restarts = 0;
    std::shared_ptr<http::ResponseStream> stream;
  };
  void run();
  // Writes what is new; false when this stream is done.
  bool pump(Follow& f);

  const LogIndex& index_;
  std::mutex mu_;
  bool stopped_ = false;        // guarded by mu_
  std::list<Follow> incoming_;  // guarded by mu_
  std::list<Follow> active_;    // the thread's own
  std::thread thread_;
};

}  // namespace stampede::local::kube
