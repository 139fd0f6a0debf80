// Turns the merged values tree into the typed model the local runtime runs, validating as it
// goes. Stateless.
#pragma once

#include <yaml-cpp/yaml.h>

#include "common/result.h"
#include "targets/local/values/spec.h"

namespace stampede::local {

// Reads `services` (enabled ones), `commonEnv`, `image` and `localRuntime`. The first problem
// found is the error, naming its key path and the reason: "services.cart.replicas: must be >= 0,
// got -1", "services.cart.autoscaling: minReplicas 5 > maxReplicas 2", "services.frontend.
// dependencies[0]: unknown service 'nope'".
Result<Values> read_values(const YAML::Node& root);

}  // namespace stampede::local
