#include "targets/local/cgroup/cpu_limit_probe.h"

#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/read_file.h"
#include "targets/local/cgroup/cgroup_fs.h"
#include "targets/local/cgroup/mountinfo.h"

namespace stampede::local {
namespace {

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// "Permission denied" out of "cannot create /x: Permission denied".
std::string cause(const Error& e) {
  const std::string& m = e.message();
  const size_t colon = m.rfind(": ");
  return colon == std::string::npos ? m : m.substr(colon + 2);
}

// The cgroup.procs of the group this process is in on `mount`, where released processes go.
std::string own_procs(const MountEntry& mount, bool v2, const std::string& self_cgroup) {
  const std::string fallback = mount.mount_point + "/cgroup.procs";
  Result<std::string> text = read_text_file(self_cgroup);
  if (!text.ok()) return fallback;
  Result<std::vector<CgroupMembership>> lines = parse_proc_cgroup(text.value(), self_cgroup);
  if (!lines.ok()) return fallback;
  for (const CgroupMembership& m : lines.value()) {
    if (v2 ? !m.controllers.empty() : !has(m.controllers, "cpu")) continue;
    std::string path = m.path;
    if (mount.root != "/" && path.rfind(mount.root, 0) == 0) path = path.substr(mount.root.size());
    const std::string dir = mount.mount_point + (path == "/" ? "" : path);
    if (cgroupfs::exists(dir + "/cgroup.procs")) return dir + "/cgroup.procs";
  }
  return fallback;
}

// Creates and removes a child of `parent` with the quota file `quota_file`, writing `value`.
Status probe_child(const std::string& parent, const std::string& quota_file,
                   const std::string& value) {
  const std::string child = parent + "/probe-" + std::to_string(::getpid());
  Status made = cgroupfs::make_dir(child);
  if (!made.ok()) return made;
  Status wrote = cgroupfs::exists(child + "/" + quota_file)
                     ? cgroupfs::write_file(child + "/" + quota_file, value)
                     : Status(Error("no " + quota_file + " in " + child));
  Result<bool> removed = cgroupfs::remove_dir(child);
  if (!wrote.ok()) return wrote;
  if (!removed.ok()) return removed.error();
  return Status::Ok();
}

// Tries cgroup v2 on `m`. Empty string: usable; else why not.
std::string try_v2(const MountEntry& m, const CgroupProbeOptions& o, CpuLimitSupport& out) {
  Result<std::string> controllers = read_text_file(m.mount_point + "/cgroup.controllers");
  if (!controllers.ok() || !has(words(controllers.value()), "cpu")) {
    return "cgroup v2 at " + m.mount_point + " has no cpu controller";
  }
  const std::string parent = m.mount_point + "/" + o.group;
  // The cpu controller must be enabled for the parent's children and for the pods below it.
  Result<std::string> root_subtree = read_text_file(m.mount_point + "/cgroup.subtree_control");
  if (!root_subtree.ok() || !has(words(root_subtree.value()), "cpu")) {
    Status s = cgroupfs::write_file(m.mount_point + "/cgroup.subtree_control", "+cpu");
    if (!s.ok()) {
      return "cgroup v2 at " + m.mount_point + " cannot enable the cpu controller (" +
             cause(s.error()) + ")";
    }
  }
  Status made = cgroupfs::make_dir(parent);
  if (!made.ok())
    return "cgroup v2 at " + m.mount_point + " is not writable (" + cause(made.error()) + ")";
  Result<std::string> subtree = read_text_file(parent + "/cgroup.subtree_control");
  if (!subtree.ok() || !has(words(subtree.value()), "cpu")) {
    Status s = cgroupfs::write_file(parent + "/cgroup.subtree_control", "+cpu");
    if (!s.ok()) {
      return "cgroup v2 at " + m.mount_point + " cannot enable the cpu controller for " + parent +
             " (" + cause(s.error()) + ")";
    }
  }
  Status probe = probe_child(parent, "cpu.max", "max 100000");
  if (!probe.ok())
    return "cgroup v2 at " + m.mount_point + " does not take CPU limits (" +
           probe.error().message() + ")";
  out.mode = CpuLimitMode::kCgroupV2;
  out.mount = m.mount_point;
  out.parent = parent;
  out.release_to = own_procs(m, true, o.self_cgroup);
  return "";
}

// Tries cgroup v1 on a hierarchy with the cpu controller. Empty string: usable; else why not.
std::string try_v1(const MountEntry& m, const CgroupProbeOptions& o, CpuLimitSupport& out) {
  const std::string parent = m.mount_point + "/" + o.group;
  Status made = cgroupfs::make_dir(parent);
  if (!made.ok()) return m.mount_point + " is not writable (" + cause(made.error()) + ")";
  if (!cgroupfs::exists(parent + "/cpu.cfs_quota_us")) {
    return m.mount_point + " is not a cgroup cpu hierarchy (no cpu.cfs_quota_us in " + parent + ")";
  }
  Status probe = probe_child(parent, "cpu.cfs_quota_us", "-1");
  if (!probe.ok())
    return m.mount_point + " does not take CPU limits (" + probe.error().message() + ")";
  out.mode = CpuLimitMode::kCgroupV1;
  out.mount = m.mount_point;
  out.parent = parent;
  out.release_to = own_procs(m, false, o.self_cgroup);
  return "";
}

}  // namespace

std::string CpuLimitSupport::describe() const {
  switch (mode) {
    case CpuLimitMode::kCgroupV2:
      return "cgroup-v2";
    case CpuLimitMode::kCgroupV1:
      return "cgroup-v1";
    case CpuLimitMode::kOff:
      break;
  }
  return "off: " + why_not;
}

CpuLimitSupport probe_cpu_limits(const CgroupProbeOptions& o) {
  CpuLimitSupport out;
  const auto off = [&](const std::string& why) {
    out = CpuLimitSupport{};
    out.why_not = why + ": CPU limits are not enforced";
    return out;
  };
  Result<std::string> text = read_text_file(o.mountinfo);
  if (!text.ok()) return off("cannot read the mount table (" + text.error().message() + ")");
  Result<std::vector<MountEntry>> mounts = parse_mountinfo(text.value(), o.mountinfo);
  if (!mounts.ok()) return off(mounts.error().message());

  std::vector<std::string> reasons;
  bool saw_v2 = false, saw_v1 = false;
  for (const MountEntry& m : mounts.value()) {
    if (m.fs_type != "cgroup2") continue;
    saw_v2 = true;
    const std::string why = try_v2(m, o, out);
    if (why.empty()) return out;
    reasons.push_back(why);
  }
  if (!saw_v2) reasons.push_back("no cgroup v2 hierarchy is mounted");
  for (const MountEntry& m : mounts.value()) {
    if (m.fs_type != "cgroup" || !has(m.super_options, "cpu")) continue;
    saw_v1 = true;
    const std::string why = try_v1(m, o, out);
    if (why.empty()) return out;
    reasons.push_back(why);
  }
  if (!saw_v1) reasons.push_back("no cgroup v1 cpu hierarchy is mounted");
  std::string why;
  for (size_t i = 0; i < reasons.size(); ++i) why += (i == 0 ? "" : " and ") + reasons[i];
  return off(why);
}

}  // namespace stampede::local
