#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace stampede::testserver {

// Request counters behind GET /stats: a total and a per-path count since start or last reset.
// Thread-safe: every session thread records into the one instance owned by the Server. At most
// kMaxPaths distinct paths are tracked; later new paths are counted under kOtherPath.
class RequestStats {
 public:
  static constexpr std::size_t kMaxPaths = 1024;
  static constexpr std::string_view kOtherPath = "(other)";

  struct Snapshot {
    std::uint64_t requests = 0;
    std::map<std::string, std::uint64_t, std::less<>> by_path;
  };

  RequestStats() = default;
  RequestStats(const RequestStats&) = delete;
  RequestStats& operator=(const RequestStats&) = delete;

  // Counts one request for `path` (the target without its query).
  void record(std::string_view path);
  // Zeroes every counter.
  void reset();
  // A copy of the counters; total and by_path may disagree by requests recorded concurrently.
  Snapshot snapshot() const;

 private:
  std::atomic<std::uint64_t> total_{0};
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t, std::less<>> by_path_;  // GUARDED_BY(mu_)
};

}  // namespace stampede::testserver
