// The chaos part of the terminal summary: the actions as they happened, the availability of
// each phase, and every validation's verdict with its evidence. Rendered from RunResult's
// resilience; "" when the run had no chaos and no expectations.
#pragma once

#include <string>

#include "engine/run/run_result.h"

namespace stampede {

std::string render_resilience_text(const ResilienceResult& resilience, bool color);

}  // namespace stampede
