// Reads HdrHistogram interval logs (.hlog) as written by HlogWriter or HdrHistogram's
// HistogramLogWriter (Java, C, JS), with optional "Tag=name," prefixes.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/metrics/hdr_histogram.h"

namespace stampede {

// One interval line of an .hlog.
struct HlogInterval {
  std::string tag;           // empty when the line has no Tag=
  double start_seconds = 0;  // as written: relative to base_time_seconds
  double length_seconds = 0;
  double max = 0;  // Interval_Max as written (already divided by the unit ratio)
  HdrHistogram histogram;
};

// A parsed .hlog: header times (0 when absent) and the intervals in file order.
struct HlogFile {
  double start_time_seconds = 0;  // #[StartTime: ...], seconds since the epoch
  double base_time_seconds = 0;   // #[BaseTime: ...], seconds since the epoch
  std::vector<HlogInterval> intervals;
};

// Parses a whole .hlog from `in`; errors name the 1-based line ("hlog line 7: ...") for a
// malformed number, a wrong field count or a histogram that does not decode.
Result<HlogFile> read_hlog(std::istream& in);

}  // namespace stampede
