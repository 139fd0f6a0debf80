// CpuLimiter: CPU limits (resources.limits.cpu) for the local runtime's pods, one cgroup per pod
// with a CFS quota — cpu.max on cgroup v2, cpu.cfs_quota_us/cpu.cfs_period_us on v1 — the way
// the kubelet sets a container's limit: a 100 ms period and millicores × 100 µs of quota, at
// least 1 ms. Groups are named <prefix><pod> under the probed parent so a later run can find and
// remove what a crashed one left behind.
// Thread-safe: the limiter holds no mutable state; each CpuLimit belongs to its pod's owner.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "targets/local/cgroup/cpu_limit_probe.h"

namespace stampede::local {

// One pod's cgroup. The destructor moves any process still inside back to the runtime's own
// group and removes the cgroup (RAII); release() does the same and reports errors.
class CpuLimit {
 public:
  ~CpuLimit();
  CpuLimit(const CpuLimit&) = delete;
  CpuLimit& operator=(const CpuLimit&) = delete;

  const std::string& path() const { return path_; }
  // The cgroup.procs file: a forked child may write "0" to it before exec to start limited.
  std::string procs_file() const { return path_ + "/cgroup.procs"; }
  int64_t millicores() const { return millicores_; }

  // Moves a process (a restarted container) into the group. Errors name the file.
  Status add(pid_t pid);
  // Changes the quota.
  Status set_millicores(int64_t millicores);
  // The pids in the group now.
  Result<std::vector<pid_t>> pids() const;
  // Moves remaining processes out and removes the group; later calls do nothing.
  Status release();

 private:
  friend class CpuLimiter;
  CpuLimit(CpuLimitMode mode, std::string path, std::string release_to)
      : mode_(mode), path_(std::move(path)), release_to_(std::move(release_to)) {}

  CpuLimitMode mode_;
  std::string path_;
  std::string release_to_;
  int64_t millicores_ = 0;
  bool released_ = false;
};

// What remove_stale() found.
struct StaleCgroups {
  int removed = 0;
  std::vector<std::string> in_use;  // groups with the prefix that still hold processes
};

class CpuLimiter {
 public:
  // `support` comes from probe_cpu_limits(); `prefix` (e.g. "up-") starts every group's name.
  CpuLimiter(CpuLimitSupport support, std::string prefix);

  const CpuLimitSupport& support() const { return support_; }
  bool enforced() const { return support_.mode != CpuLimitMode::kOff; }

  // Creates (or reuses) the cgroup <prefix><pod>, sets a quota of `millicores` and, if `pid` is
  // not 0, moves that process into it. Errors: limits not enforced here (why), a pod name that
  // is not a plain file name, millicores <= 0, or the cgroup file that could not be written.
  Result<std::unique_ptr<CpuLimit>> limit(const std::string& pod, int64_t millicores,
                                          pid_t pid = 0) const;

  // Removes the empty groups named <prefix>* under the parent (left by a crashed runtime);
  // groups still holding processes are listed, not touched. Errors: an empty prefix (it would
  // match every runtime's groups), the parent cannot be read.
  Result<StaleCgroups> remove_stale() const;

 private:
  CpuLimitSupport support_;
  std::string prefix_;
};

// The quota for `millicores` in a 100 ms period, in µs: millicores × 100, at least 1000.
int64_t cfs_quota_us(int64_t millicores);

}  // namespace stampede::local
