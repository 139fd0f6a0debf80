// The untyped values tree, helm-style: a file loaded, overlays deep-merged, `--set` applied.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "common/result.h"

namespace stampede::local {

// Parses a YAML file (an empty file is an empty map). Errors name the file, and for syntax
// errors the line and column: "v.yaml:3:5: illegal map value".
Result<YAML::Node> load_yaml_file(const std::string& path);

// Deep-merges `overlay` into `base` like helm: maps merge key by key, lists and scalars are
// replaced, a null in the overlay removes the key. `base` is modified; `overlay` is not.
void merge_values(YAML::Node& base, const YAML::Node& overlay);

// Applies one `--set` argument with helm's syntax for the common cases: comma-separated
// `key=value` pairs, dotted keys (`\.` for a literal dot), list indexes (`ports[0].name`),
// `{a,b}` lists, and values typed as helm does (true/false, null, integers; everything else a
// string). Errors name the argument: "--set a.b: expected key=value".
Status apply_set(YAML::Node& values, const std::string& argument);

}  // namespace stampede::local
