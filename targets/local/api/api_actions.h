// The control API's actions (POST/PUT/DELETE): kill, terminate, pause, resume, fault knobs,
// scale, rollout restart, Service faults, shutdown. Called from the API's handler threads.
#pragma once

#include <nlohmann/json.hpp>

#include "targets/local/api/api_request.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local {

struct ActionAnswer {
  int status = 200;
  nlohmann::json body;  // {"ok": true, "event_seq": N, ...} or {"error": "..."}
};

// Runs the action `req` names. 404 for an unknown pod/deployment/service or action, 405 for a
// wrong method, 400 for a bad body, 409 when the state does not allow it.
ActionAnswer run_action(Runtime& runtime, const ApiRequest& req);

// A Service fault body ({"latency_ms", "jitter_ms", "bandwidth_kbps", "reset_rate",
// "reset_existing", "blackhole"}). Errors name the field: "latency: unknown fault field".
Result<ProxyFault> parse_proxy_fault(const nlohmann::json& body);

}  // namespace stampede::local
