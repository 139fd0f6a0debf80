// The text `stampede ps` prints, rendered from the control API's JSON. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace stampede::local {

// Deployments (ready/desired, up-to-date, restarts, CPU, HPA current/desired, Service port),
// then pods (state, ready, restarts, CPU, ports), then the last log lines of every pod in
// CrashLoopBackOff (or that exited), and the CPU-limit status.
std::string render_ps(const nlohmann::json& status, const nlohmann::json& deployments,
                      const nlohmann::json& pods);

}  // namespace stampede::local
