#include "engine/cli/run_outputs.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "engine/cli/exit_codes.h"
#include "engine/output/results_json.h"
#include "engine/output/summary_json.h"
#include "reports/html_report.h"
#include "reports/junit_xml.h"
#include "reports/summary_md.h"

namespace stampede {

int exit_code_for(const RunResult& result) {
  switch (result.outcome) {
    case RunOutcome::kSetupFailed:
      return kExitScriptError;
    case RunOutcome::kAbortedByThreshold:
      return kExitAborted;
    case RunOutcome::kInterrupted:
      return kExitInterrupted;
    case RunOutcome::kCompleted:
      break;
  }
  return result.thresholds_passed() && result.resilience.validations_passed()
             ? kExitOk
             : kExitThresholdsFailed;
}

bool make_dirs(const std::string& path) {
  std::string partial;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (!partial.empty() && mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) return false;
    }
    if (i < path.size()) partial += path[i];
  }
  return true;
}

Status write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error("cannot write " + path + ": " + std::strerror(errno));
    out << content;
    out.flush();
    if (!out) return Error("cannot write " + path + ": " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    return Error("cannot write " + path + ": " + std::strerror(err));
  }
  return Status::Ok();
}

Status write_run_outputs(const RunResult& result, int exit_code, const std::string& dir) {
  Status first;
  auto write = [&](const std::string& name, const std::string& content) {
    Status st = write_file_atomically(dir + "/" + name, content);
    if (!st.ok() && first.ok()) first = st;
  };
  auto dump = [](const nlohmann::json& doc) {
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  };
  write("summary.json", dump(render_summary_json(result)));
  nlohmann::json doc = render_results_json(result, exit_code);
  // Compact: the fine timeline alone is 26 numbers per 100 ms.
  write("results.json", doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  write("report.html", render_html_report(doc));
  write("junit.xml", render_junit_xml(doc));
  write("summary.md", render_summary_md(doc));
  return first;
}

}  // namespace stampede
