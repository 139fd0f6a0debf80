#include "engine/run/absorb.h"

#include <algorithm>

namespace stampede {

AbsorbNews absorb_snapshot(const IntervalSnapshot& snap, RunResult& result) {
  AbsorbNews news;
  result.metrics->merge(snap.series);
  auto find = [&](const std::string& message) {
    return std::find_if(result.script_errors.begin(), result.script_errors.end(),
                        [&](const ScriptErrorCount& e) { return e.message == message; });
  };
  for (const auto& [message, n] : snap.script_errors) {
    auto it = find(message);
    if (it == result.script_errors.end()) {
      result.script_errors.push_back(ScriptErrorCount{message, n, ""});
    } else {
      it->count += n;
    }
  }
  for (const auto& [message, trace] : snap.first_tracebacks) {
    auto it = find(message);
    if (it != result.script_errors.end() && it->traceback.empty()) {
      it->traceback = trace;
      news.first_tracebacks.push_back(trace);
    }
  }
  result.interrupted_iterations += snap.interrupted_iterations;
  if (snap.series_overflow && !result.series_overflow) {
    result.series_overflow = true;
    news.series_overflow_began = true;
  }
  return news;
}

}  // namespace stampede
