// results.json: the whole run as one versioned JSON document (schema "stampede-results",
// reports/results_schema.h; every field in docs/reports.md). It is what `stampede report` and
// `stampede compare` read back, so report.html, junit.xml and summary.md are rendered from it.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/run/run_result.h"

namespace stampede {

// The document for `result`; `exit_code` is the code the run exits with (its verdict).
nlohmann::json render_results_json(const RunResult& result, int exit_code);

// The resilience sections (chaos, platform, phases, validations) of the document.
nlohmann::json render_resilience_json(const ResilienceResult& resilience);

}  // namespace stampede
