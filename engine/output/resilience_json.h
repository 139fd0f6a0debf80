// resilience.json: RunResult's resilience part (chaos events and spans, platform samples and
// events, phase availability, validations with evidence) as JSON, written next to summary.json
// (docs/chaos.md, "Outputs"). Times are seconds since the run started.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/run/run_result.h"

namespace stampede {

nlohmann::json render_resilience_json(const ResilienceResult& resilience);

}  // namespace stampede
