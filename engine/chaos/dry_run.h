// The text `stampede run --dry-run` prints: each chaos action with when it acts, what it does
// and the pods it would hit if it started now, and the validations. Pure; main() prints it.
#pragma once

#include <string>

#include "engine/chaos/chaos_plan.h"
#include "engine/chaos/preflight.h"

namespace stampede {

std::string render_dry_run(const ChaosPlan& plan, const PreflightReport& report);

}  // namespace stampede
