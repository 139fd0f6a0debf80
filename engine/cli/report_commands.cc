// `stampede report` and `stampede compare`: re-rendering and gating from results.json files.
#include <cstdio>

#include "engine/cli/commands.h"
#include "engine/cli/exit_codes.h"
#include "engine/cli/run_outputs.h"
#include "reports/compare.h"
#include "reports/html_report.h"
#include "reports/junit_xml.h"
#include "reports/results_doc.h"
#include "reports/summary_md.h"

namespace stampede {
namespace {

std::string sibling(const std::string& path, const std::string& name) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? name : path.substr(0, slash + 1) + name;
}

}  // namespace

int report_command(const ReportFlags& flags) {
  auto doc = load_results(flags.results);
  if (!doc.ok()) {
    std::fprintf(stderr, "error: %s\n", doc.error().message().c_str());
    return kExitInvalidConfig;
  }
  const std::string html =
      flags.html_out.empty() ? sibling(flags.results, "report.html") : flags.html_out;
  struct Output {
    std::string path;
    std::string content;
  };
  std::vector<Output> outputs = {{html, render_html_report(doc.value())}};
  if (!flags.junit_out.empty()) outputs.push_back({flags.junit_out, render_junit_xml(doc.value())});
  if (!flags.summary_out.empty())
    outputs.push_back({flags.summary_out, render_summary_md(doc.value())});
  for (const Output& o : outputs) {
    Status st = write_file_atomically(o.path, o.content);
    if (!st.ok()) {
      std::fprintf(stderr, "error: %s\n", st.error().message().c_str());
      return kExitInvalidConfig;
    }
    std::printf("wrote %s\n", o.path.c_str());
  }
  return kExitOk;
}

int compare_command(const CompareFlags& flags) {
  CompareOptions options;
  auto limit = parse_regression_limit(flags.max_regression);
  if (!limit.ok()) {
    std::fprintf(stderr, "error: %s\n", limit.error().message().c_str());
    return kExitInvalidConfig;
  }
  options.max_regression = limit.value();
  auto base = load_results(flags.base);
  if (!base.ok()) {
    std::fprintf(stderr, "error: %s\n", base.error().message().c_str());
    return kExitInvalidConfig;
  }
  auto current = load_results(flags.current);
  if (!current.ok()) {
    std::fprintf(stderr, "error: %s\n", current.error().message().c_str());
    return kExitInvalidConfig;
  }
  auto report = compare_results(base.value(), current.value(), options);
  if (!report.ok()) {
    std::fprintf(stderr, "error: compare %s %s: %s\n", flags.base.c_str(), flags.current.c_str(),
                 report.error().message().c_str());
    return kExitInvalidConfig;
  }
  std::fputs(render_compare_table(report.value(), options).c_str(), stdout);
  return report.value().regressions.empty() ? kExitOk : kExitThresholdsFailed;
}

}  // namespace stampede
