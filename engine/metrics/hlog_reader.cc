#include "engine/metrics/hlog_reader.h"

#include <charconv>
#include <string_view>

#include "engine/metrics/hdr_codec.h"

namespace stampede {
namespace {

bool parse_double(std::string_view text, double& out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Parses the number that follows `prefix` up to the next space, e.g. "#[StartTime: 12.5 (...".
bool parse_header_time(std::string_view line, std::string_view prefix, double& out) {
  line.remove_prefix(prefix.size());
  return parse_double(line.substr(0, line.find_first_of(" ]")), out);
}

Result<HlogInterval> parse_interval(std::string_view line) {
  HlogInterval interval;
  constexpr std::string_view kTagPrefix = "Tag=";
  if (line.starts_with(kTagPrefix)) {
    const size_t comma = line.find(',');
    if (comma == std::string_view::npos) return Error("tag without interval fields");
    interval.tag = std::string(line.substr(kTagPrefix.size(), comma - kTagPrefix.size()));
    line.remove_prefix(comma + 1);
  }
  std::string_view fields[4];
  for (int i = 0; i < 4; ++i) {
    const size_t comma = line.find(',');
    if ((comma == std::string_view::npos) != (i == 3)) {
      return Error("expected 4 comma-separated fields after the optional tag");
    }
    fields[i] = line.substr(0, comma);
    if (comma != std::string_view::npos) line.remove_prefix(comma + 1);
  }
  if (!parse_double(fields[0], interval.start_seconds)) return Error("bad start timestamp");
  if (!parse_double(fields[1], interval.length_seconds)) return Error("bad interval length");
  if (!parse_double(fields[2], interval.max)) return Error("bad interval max");
  Result<HdrHistogram> histogram = decode_base64(fields[3]);
  if (!histogram.ok()) return histogram.error();
  interval.histogram = std::move(histogram).value();
  return interval;
}

}  // namespace

Result<HlogFile> read_hlog(std::istream& in) {
  HlogFile file;
  std::string raw;
  int line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto fail = [&](const std::string& what) {
      return Error("hlog line " + std::to_string(line_number) + ": " + what);
    };
    if (line.empty() || line.starts_with("\"StartTimestamp\"")) continue;
    if (line.starts_with("#[StartTime: ")) {
      if (!parse_header_time(line, "#[StartTime: ", file.start_time_seconds)) {
        return fail("malformed StartTime");
      }
      continue;
    }
    if (line.starts_with("#[BaseTime: ")) {
      if (!parse_header_time(line, "#[BaseTime: ", file.base_time_seconds)) {
        return fail("malformed BaseTime");
      }
      continue;
    }
    if (line.starts_with("#")) continue;
    Result<HlogInterval> interval = parse_interval(line);
    if (!interval.ok()) return fail(interval.error().message());
    file.intervals.push_back(std::move(interval).value());
  }
  if (in.bad()) return Error("hlog: read failed");
  return file;
}

}  // namespace stampede
