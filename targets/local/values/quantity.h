// Kubernetes quantities and int-or-percent values as the chart writes them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "common/result.h"
#include "targets/local/values/spec.h"

namespace stampede::local {

// CPU: "200m", "1", "1.5", 0.5 (cores) -> millicores. Errors name the path.
Result<int64_t> read_cpu_millis(const YAML::Node& node, const std::string& path);
// Memory: "64Mi", "1G", "128974848", "129e6", "500k" -> bytes. Errors name the path.
Result<int64_t> read_memory_bytes(const YAML::Node& node, const std::string& path);
// maxSurge / maxUnavailable: a non-negative integer or "N%". Errors name the path.
Result<IntOrPercent> read_int_or_percent(const YAML::Node& node, const std::string& path);

}  // namespace stampede::local
