// Where the values come from: the chart's values.yaml, `--values` overlays, `--set` flags.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "common/result.h"
#include "targets/local/values/spec.h"

namespace stampede::local {

struct ValuesSources {
  std::string chart_values;                // the base file (see find_chart_values)
  std::vector<std::string> overlay_files;  // --values FILE, in order
  std::vector<std::string> sets;           // --set a.b=c, in order
};

// The chart's values.yaml: ./charts/shop-reference/values.yaml, then relative to the folder of
// the stampede binary (<dir>/charts/..., <dir>/../charts/...). "" when none exists.
std::string find_chart_values(const std::string& binary_dir);

// Loads the base, merges the overlays and applies the sets. Errors name the file or the flag.
Result<YAML::Node> load_values_tree(const ValuesSources& sources);
// load_values_tree() then read_values(): the validated model.
Result<Values> load_values(const ValuesSources& sources);

}  // namespace stampede::local
