// Reading results.json back for `stampede report` and `stampede compare`: the file is read,
// parsed and checked against the schema (reports/results_schema.h) before any renderer sees
// it, so renderers can index the sections they use without further checks.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"

namespace stampede {

// Checks that `doc` is a results document of the supported version with every section a
// renderer reads, of the right JSON type. Errors name the key path, e.g.
// "requests[2].p99: expected a number" or "schema version 0 is not supported (this stampede
// reads version 1)".
Status check_results_doc(const nlohmann::json& doc);

// Reads and checks `path`. Errors start with the path: "base.json: cannot read: No such file or
// directory", "base.json: not valid JSON: ...", "base.json: requests: expected an array".
Result<nlohmann::json> load_results(const std::string& path);

}  // namespace stampede
