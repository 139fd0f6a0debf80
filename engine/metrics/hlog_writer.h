// Writes HdrHistogram interval logs (.hlog), the text format of HdrHistogram's
// HistogramLogWriter, log format version 1.3:
//
//   #[Histogram log format version 1.3]
//   #[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]
//   #[BaseTime: 1700000000.123 (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   Tag=checkout,0.000,1.000,12.345,HISTFAAAA...
//
// Timestamps are seconds relative to BaseTime (= StartTime); Interval_Max is the histogram's
// max() divided by the max value unit ratio (1000: µs are printed as ms).
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

#include "common/result.h"
#include "engine/metrics/hdr_histogram.h"

namespace stampede {

// Appends an .hlog to a caller-owned stream, which must outlive the writer. Call order:
// write_header() once, then write_interval() per interval. Not thread-safe: the thread that
// owns the end-of-run (or aggregator) output uses it.
class HlogWriter {
 public:
  static constexpr double kDefaultMaxValueUnitRatio = 1000.0;

  explicit HlogWriter(std::ostream& out, double max_value_unit_ratio = kDefaultMaxValueUnitRatio)
      : out_(out), max_value_unit_ratio_(max_value_unit_ratio) {}
  HlogWriter(const HlogWriter&) = delete;
  HlogWriter& operator=(const HlogWriter&) = delete;

  // Writes the version, optional "#comment" line, StartTime, BaseTime and legend lines;
  // `start_unix_ms` is wall-clock milliseconds since the epoch. Error if the stream fails or the
  // comment has a line break.
  Status write_header(int64_t start_unix_ms, std::string_view comment = {});
  // Writes one interval line; seconds are relative to the start time. Error if the tag has a
  // comma, space or line break, or the stream fails.
  Status write_interval(double start_seconds, double length_seconds, const HdrHistogram& histogram,
                        std::string_view tag = {});

 private:
  std::ostream& out_;
  double max_value_unit_ratio_;
};

}  // namespace stampede
