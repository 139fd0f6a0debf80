// The results.json schema's identity, shared by its writer (engine/output/results_json) and its
// readers (reports/). docs/reports.md documents every field. A change that removes or renames a
// field, or changes its meaning, bumps kResultsVersion; adding a field does not.
#pragma once

namespace stampede {

inline constexpr const char* kResultsSchema = "stampede-results";
inline constexpr int kResultsVersion = 1;

}  // namespace stampede
