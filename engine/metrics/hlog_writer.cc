#include "engine/metrics/hlog_writer.h"

#include <cstdio>
#include <ctime>
#include <string>

#include "engine/metrics/hdr_codec.h"

namespace stampede {
namespace {

std::string format_seconds(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.3f", seconds);
  return buf;
}

// Like Java's Date.toString(), but always in UTC so logs do not depend on the machine's zone.
std::string human_date(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

Status stream_status(const std::ostream& out) {
  if (!out) return Error("hlog: write failed");
  return Status::Ok();
}

}  // namespace

Status HlogWriter::write_header(int64_t start_unix_ms, std::string_view comment) {
  if (comment.find_first_of("\r\n") != std::string_view::npos) {
    return Error("hlog: header comment must be a single line");
  }
  const std::string start = format_seconds(static_cast<double>(start_unix_ms) / 1000.0);
  out_ << "#[Histogram log format version 1.3]\n";
  if (!comment.empty()) out_ << '#' << comment << '\n';
  out_ << "#[StartTime: " << start << " (seconds since epoch), " << human_date(start_unix_ms)
       << "]\n";
  out_ << "#[BaseTime: " << start << " (seconds since epoch)]\n";
  out_ << "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
          "\"Interval_Compressed_Histogram\"\n";
  out_.flush();
  return stream_status(out_);
}

Status HlogWriter::write_interval(double start_seconds, double length_seconds,
                                  const HdrHistogram& histogram, std::string_view tag) {
  if (tag.find_first_of(", \t\r\n") != std::string_view::npos) {
    return Error("hlog: tag '" + std::string(tag) + "' must not contain commas or spaces");
  }
  if (!tag.empty()) out_ << "Tag=" << tag << ',';
  out_ << format_seconds(start_seconds) << ',' << format_seconds(length_seconds) << ','
       << format_seconds(static_cast<double>(histogram.max()) / max_value_unit_ratio_) << ','
       << encode_compressed_base64(histogram) << '\n';
  return stream_status(out_);
}

}  // namespace stampede
