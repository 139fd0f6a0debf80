// report.html: one self-contained page — verdict and validations first, availability per phase,
// recovery times, charts over time (request rate, errors, latency percentiles, availability per
// 100 ms, VUs, replicas per deployment, generator self-check) with chaos actions as bands and
// markers, the HDR percentile distribution, and tables per request name, thresholds, checks and
// events. The page carries uPlot (pinned in reports/package-lock.json, embedded into the binary
// at build time), its own script and style, and the results document; it makes no network
// request. Pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace stampede {

// `doc` must have passed check_results_doc().
std::string render_html_report(const nlohmann::json& doc);

}  // namespace stampede
