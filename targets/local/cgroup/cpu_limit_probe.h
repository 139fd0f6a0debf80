// Finds out whether, and how, CPU limits can be enforced on this machine: cgroup v2 (cpu.max)
// where the unified hierarchy has the cpu controller and can be written, else cgroup v1
// (cpu.cfs_quota_us / cpu.cfs_period_us) where the cpu hierarchy can be written, else not at
// all, with the reason. Probing creates the shared parent group (<hierarchy>/stampede, left in
// place for every runtime) and a throwaway child it removes again. Thread-safe.
#pragma once

#include <string>

namespace stampede::local {

enum class CpuLimitMode { kOff, kCgroupV1, kCgroupV2 };

struct CpuLimitSupport {
  CpuLimitMode mode = CpuLimitMode::kOff;
  std::string mount;       // the hierarchy's mount point, e.g. /sys/fs/cgroup/cpu
  std::string parent;      // where per-pod groups are created, e.g. /sys/fs/cgroup/cpu/stampede
  std::string release_to;  // cgroup.procs that takes back processes still in a released group
  std::string why_not;     // when off: one line ending in "CPU limits are not enforced"

  // For GET /v1/status "cpu_limits": "cgroup-v2", "cgroup-v1" or "off: <why_not>".
  std::string describe() const;
};

struct CgroupProbeOptions {
  std::string mountinfo = "/proc/self/mountinfo";
  std::string self_cgroup = "/proc/self/cgroup";
  std::string group = "stampede";  // the parent group's name under the hierarchy's root
};

CpuLimitSupport probe_cpu_limits(const CgroupProbeOptions& options = {});

}  // namespace stampede::local
