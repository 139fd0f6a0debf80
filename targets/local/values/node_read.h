// Typed reads from a YAML values tree with errors that name the key path
// ("services.cart.replicas: expected an integer, got 'abc'"). Stateless helpers.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local {

// "a.b" + "c" -> "a.b.c"; "" + "c" -> "c".
std::string key_path(const std::string& parent, const std::string& key);
// "a map", "a list", "'text'", "null": how a node is named in an error.
std::string describe(const YAML::Node& node);

bool is_null(const YAML::Node& node);  // absent or null
Result<int64_t> read_int(const YAML::Node& node, const std::string& path);
// An integer >= `min` ("must be >= 0, got -1").
Result<int> read_int_at_least(const YAML::Node& node, const std::string& path, int min);
Result<double> read_number(const YAML::Node& node, const std::string& path);
Result<bool> read_bool(const YAML::Node& node, const std::string& path);
Result<std::string> read_string(const YAML::Node& node, const std::string& path);
// A list of scalars (numbers and booleans are taken as their text, as Kubernetes would reject
// them but helm renders them).
Result<std::vector<std::string>> read_string_list(const YAML::Node& node, const std::string& path);
// A map of string values, in document order.
Result<std::vector<std::pair<std::string, std::string>>> read_string_map(const YAML::Node& node,
                                                                         const std::string& path);
// Errors unless the node is a map (or absent/null when `optional`).
Status expect_map(const YAML::Node& node, const std::string& path, bool optional = false);

}  // namespace stampede::local
