#include "engine/chaos/dry_run.h"

#include "engine/core/duration.h"

namespace stampede {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string mode_text(const ChaosAction& a) {
  switch (a.mode) {
    case PodMode::kOne:
      return "one pod";
    case PodMode::kAll:
      return "all pods";
    case PodMode::kFixed:
      return std::to_string(a.count) + " pods";
    case PodMode::kPercent: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%g%% of pods", a.percent);
      return buf;
    }
  }
  return "";
}

}  // namespace

std::string render_dry_run(const ChaosPlan& plan, const PreflightReport& report,
                           const std::vector<RbacRule>& rbac) {
  std::string out = "chaos plan against " + report.platform + "\n";
  if (plan.actions.empty()) out += "  no chaos actions\n";
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const ChaosAction& a = plan.actions[i];
    const ActionPreview& p = report.actions[i];
    out += "  " + a.id + ": at " + format_duration(a.at) + ", " + p.effect + " on " +
           (a.selector                          ? "pods matching " + a.target
            : a.kind == ActionKind::kProxyFault ? "Service " + a.target
                                                : a.target) +
           "\n";
    if (targets_pods(a.kind)) {
      out += "    would hit " + std::to_string(p.would_hit) + " of " +
             std::to_string(p.candidates.size()) + " (" + mode_text(a) + ", max_pods " +
             std::to_string(a.max_pods) + "): " + join(p.candidates) + "\n";
    }
  }
  if (plan.guard.enabled) {
    char buf[128];
    std::snprintf(buf, sizeof(buf), "  guard: abort when availability over %s falls below %g\n",
                  format_duration(plan.guard.window).c_str(), plan.guard.min_availability);
    out += buf;
  }
  if (!plan.expectations.empty()) out += "validations:\n";
  for (const Expectation& e : plan.expectations) {
    out += "  " + e.name + " (" + expect_kind_name(e.kind) + ")\n";
  }
  if (!rbac.empty()) {
    out += "RBAC rules it needs (`stampede rbac` prints them as a Role):\n";
    for (const RbacRule& r : rbac) {
      out += "  " + (r.api_group.empty() ? std::string("core") : r.api_group) + " " +
             join(r.resources) +
             (r.resource_names.empty() ? std::string() : " (" + join(r.resource_names) + ")") +
             ": " + join(r.verbs) + "\n";
    }
  }
  out += "dry run: no load was sent and no fault applied\n";
  return out;
}

}  // namespace stampede
