// summary.md: the run for a pull-request comment — verdict, failure reasons, thresholds,
// validations, availability per phase, a table per request name and the generator self-check,
// in GitHub-flavoured Markdown. Pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace stampede {

// `doc` must have passed check_results_doc().
std::string render_summary_md(const nlohmann::json& doc);

}  // namespace stampede
