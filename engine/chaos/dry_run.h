// The text `stampede run --dry-run` prints: each chaos action with when it acts, what it does
// and the pods it would hit if it started now, the validations, and (against a cluster) the
// RBAC rules the plan needs. Pure; main() prints it.
#pragma once

#include <string>

#include "engine/chaos/chaos_plan.h"
#include "engine/chaos/preflight.h"
#include "engine/chaos/rbac_rules.h"

namespace stampede {

// `rbac`: the rules to list; empty for none (the local runtime checks no RBAC).
std::string render_dry_run(const ChaosPlan& plan, const PreflightReport& report,
                           const std::vector<RbacRule>& rbac = {});

}  // namespace stampede
