#include "targets/local/cgroup/cpu_limiter.h"

#include <chrono>
#include <thread>
#include <utility>

#include "targets/local/cgroup/cgroup_fs.h"

namespace stampede::local {
namespace {

constexpr int64_t kPeriodUs = 100000;  // the kubelet's CFS period
constexpr int64_t kMinQuotaUs = 1000;  // the kernel's (and kubelet's) minimum quota

bool plain_name(const std::string& s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 200) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Status write_quota(CpuLimitMode mode, const std::string& dir, int64_t millicores) {
  const std::string quota = std::to_string(cfs_quota_us(millicores));
  if (mode == CpuLimitMode::kCgroupV2) {
    return cgroupfs::write_file(dir + "/cpu.max", quota + " " + std::to_string(kPeriodUs));
  }
  Status period = cgroupfs::write_file(dir + "/cpu.cfs_period_us", std::to_string(kPeriodUs));
  if (!period.ok()) return period;
  return cgroupfs::write_file(dir + "/cpu.cfs_quota_us", quota);
}

}  // namespace

int64_t cfs_quota_us(int64_t millicores) {
  const int64_t quota = millicores * kPeriodUs / 1000;
  return quota < kMinQuotaUs ? kMinQuotaUs : quota;
}

CpuLimit::~CpuLimit() {
  (void)release();
}

Status CpuLimit::add(pid_t pid) {
  return cgroupfs::write_file(procs_file(), std::to_string(pid));
}

Status CpuLimit::set_millicores(int64_t millicores) {
  if (millicores <= 0) {
    return Error("CPU limit must be positive (got " + std::to_string(millicores) + "m)");
  }
  Status s = write_quota(mode_, path_, millicores);
  if (s.ok()) millicores_ = millicores;
  return s;
}

Result<std::vector<pid_t>> CpuLimit::pids() const {
  return cgroupfs::read_pids(procs_file());
}

Status CpuLimit::release() {
  if (released_) return Status::Ok();
  // Bounded: processes are moved out and the directory removed within ~1 s, or we give up and
  // say so (remove_stale() can finish the job later).
  for (int attempt = 0; attempt < 50; ++attempt) {
    Result<std::vector<pid_t>> inside = cgroupfs::read_pids(procs_file());
    if (inside.ok()) {
      for (pid_t pid : inside.value()) {
        // A process that exits meanwhile is fine; the write then fails with ESRCH.
        (void)cgroupfs::write_file(release_to_, std::to_string(pid));
      }
    }
    Result<bool> removed = cgroupfs::remove_dir(path_);
    if (!removed.ok()) return removed.error();
    if (removed.value()) {
      released_ = true;
      return Status::Ok();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Error("cannot remove " + path_ + ": it still holds processes");
}

CpuLimiter::CpuLimiter(CpuLimitSupport support, std::string prefix)
    : support_(std::move(support)), prefix_(std::move(prefix)) {}

Result<std::unique_ptr<CpuLimit>> CpuLimiter::limit(const std::string& pod, int64_t millicores,
                                                    pid_t pid) const {
  if (!enforced()) return Error(support_.why_not);
  const std::string name = prefix_ + pod;
  if (!plain_name(name)) {
    return Error("cgroup name '" + name + "' must be letters, digits, '-', '_' or '.'");
  }
  if (millicores <= 0) {
    return Error("CPU limit must be positive (got " + std::to_string(millicores) + "m)");
  }
  const std::string dir = support_.parent + "/" + name;
  Status made = cgroupfs::make_dir(dir);
  if (!made.ok()) return made.error();
  std::unique_ptr<CpuLimit> group(new CpuLimit(support_.mode, dir, support_.release_to));
  Status quota = group->set_millicores(millicores);
  if (!quota.ok()) return quota.error();  // the destructor removes the directory
  if (pid != 0) {
    Status moved = group->add(pid);
    if (!moved.ok()) return moved.error();
  }
  return group;
}

Result<StaleCgroups> CpuLimiter::remove_stale() const {
  StaleCgroups out;
  if (!enforced()) return out;
  if (prefix_.empty()) return Error("refusing to remove stale cgroups without a name prefix");
  Result<std::vector<std::string>> names = cgroupfs::list_subdirs(support_.parent);
  if (!names.ok()) return names.error();
  for (const std::string& name : names.value()) {
    if (name.rfind(prefix_, 0) != 0) continue;
    Result<bool> removed = cgroupfs::remove_dir(support_.parent + "/" + name);
    if (!removed.ok()) return removed.error();
    if (removed.value()) {
      ++out.removed;
    } else {
      out.in_use.push_back(name);
    }
  }
  return out;
}

}  // namespace stampede::local
