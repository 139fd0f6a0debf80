// `shop frontend`: Online Boutique's web frontend (HTML routes, our JSON API, /metrics) as a
// process configured by environment (see shop-reference/frontend/README.md).
#pragma once

#include "shop-reference/common/env.h"

namespace shop {

// Serves until SIGTERM/SIGINT, then drains: /readyz answers 503, SHUTDOWN_DELAY_MS passes, and
// in-flight requests get SHUTDOWN_GRACE_MS to finish. Call block_termination_signals() first.
// Returns kExitOk, kExitConfig (bad or missing environment, e.g. an unset *_SERVICE_ADDR) or
// kExitListen (a port could not be bound); each failure is logged with its reason.
int run_frontend(const Env& env);

}  // namespace shop
