#include "engine/metrics/hlog_writer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "engine/metrics/hdr_codec.h"
#include "engine/metrics/hlog_reader.h"

namespace stampede {
namespace {

constexpr int64_t kStartUnixMs = 1'700'000'000'123;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(HlogWriterTest, WritesHeaderInHistogramLogWriterFormat) {
  std::ostringstream out;
  HlogWriter writer(out);
  ASSERT_TRUE(writer.write_header(kStartUnixMs, "Logged by stampede").ok());
  EXPECT_EQ(out.str(),
            "#[Histogram log format version 1.3]\n"
            "#Logged by stampede\n"
            "#[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]\n"
            "#[BaseTime: 1700000000.123 (seconds since epoch)]\n"
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
            "\"Interval_Compressed_Histogram\"\n");
  EXPECT_FALSE(writer.write_header(kStartUnixMs, "two\nlines").ok());
}

TEST(HlogWriterTest, IntervalLinePrintsMaxInMilliseconds) {
  std::ostringstream out;
  HlogWriter writer(out);
  HdrHistogram h;
  h.record(12'345);  // µs; bucket [12344, 12351]
  ASSERT_TRUE(writer.write_interval(1.5, 1.0, h, "checkout").ok());
  ASSERT_TRUE(writer.write_interval(2.5, 0.25, HdrHistogram()).ok());
  const std::vector<std::string> lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].starts_with("Tag=checkout,1.500,1.000,12.351,HISTF")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("2.500,0.250,0.000,HISTF")) << lines[1];
}

TEST(HlogWriterTest, CustomUnitRatio) {
  std::ostringstream out;
  HlogWriter writer(out, 1.0);
  HdrHistogram h;
  h.record(777);
  ASSERT_TRUE(writer.write_interval(0, 1, h).ok());
  EXPECT_TRUE(out.str().starts_with("0.000,1.000,777.000,")) << out.str();
}

TEST(HlogWriterTest, RejectsTagsThatBreakTheFormat) {
  std::ostringstream out;
  HlogWriter writer(out);
  EXPECT_FALSE(writer.write_interval(0, 1, HdrHistogram(), "a,b").ok());
  EXPECT_FALSE(writer.write_interval(0, 1, HdrHistogram(), "a b").ok());
  EXPECT_TRUE(out.str().empty());
}

TEST(HlogWriterTest, ReportsStreamFailure) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  HlogWriter writer(out);
  EXPECT_FALSE(writer.write_header(kStartUnixMs).ok());
  EXPECT_FALSE(writer.write_interval(0, 1, HdrHistogram()).ok());
}

TEST(HlogRoundTripTest, WriteThenReadWithTags) {
  struct Written {
    std::string tag;
    double start;
    double length;
    HdrHistogram histogram;
  };
  std::vector<Written> written;
  for (int i = 0; i < 6; ++i) {
    HdrHistogram h;
    for (int64_t v = 1; v <= 1000 * (i + 1); ++v) h.record(v * (i + 7));
    const char* tags[] = {"", "checkout", "home"};
    written.push_back({tags[i % 3], i * 1.0, 1.0, std::move(h)});
  }
  written.push_back({"empty", 6.0, 0.5, HdrHistogram()});

  std::stringstream file;
  HlogWriter writer(file);
  ASSERT_TRUE(writer.write_header(kStartUnixMs).ok());
  for (const Written& w : written) {
    ASSERT_TRUE(writer.write_interval(w.start, w.length, w.histogram, w.tag).ok());
  }

  Result<HlogFile> read = read_hlog(file);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_DOUBLE_EQ(read.value().start_time_seconds, 1'700'000'000.123);
  EXPECT_DOUBLE_EQ(read.value().base_time_seconds, 1'700'000'000.123);
  ASSERT_EQ(read.value().intervals.size(), written.size());
  for (size_t i = 0; i < written.size(); ++i) {
    const HlogInterval& got = read.value().intervals[i];
    const Written& want = written[i];
    SCOPED_TRACE("interval " + std::to_string(i));
    EXPECT_EQ(got.tag, want.tag);
    EXPECT_DOUBLE_EQ(got.start_seconds, want.start);
    EXPECT_DOUBLE_EQ(got.length_seconds, want.length);
    EXPECT_NEAR(got.max, static_cast<double>(want.histogram.max()) / 1000.0, 0.0005);
    ASSERT_EQ(got.histogram.total_count(), want.histogram.total_count());
    for (int32_t j = 0; j < want.histogram.counts_length(); ++j) {
      ASSERT_EQ(got.histogram.count_at_index(j), want.histogram.count_at_index(j));
    }
  }
}

TEST(HlogReaderTest, AcceptsJavaStyleLogWithCrLfAndNoBaseTime) {
  HdrHistogram h;
  h.record(5'000, 3);
  const std::string text =
      "#[Logged with jHiccup version 2.0.7]\r\n"
      "#[Histogram log format version 1.2]\r\n"
      "#[StartTime: 1441812279.474 (seconds since epoch), Wed Sep 09]\r\n"
      "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
      "\"Interval_Compressed_Histogram\"\r\n"
      "\r\n"
      "0.127,1.007,5.003," +
      encode_compressed_base64(h) + "\r\n";
  std::istringstream in(text);
  Result<HlogFile> read = read_hlog(in);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_DOUBLE_EQ(read.value().start_time_seconds, 1441812279.474);
  EXPECT_EQ(read.value().base_time_seconds, 0);
  ASSERT_EQ(read.value().intervals.size(), 1u);
  EXPECT_EQ(read.value().intervals[0].tag, "");
  EXPECT_EQ(read.value().intervals[0].histogram.count_at(5'000), 3);
}

TEST(HlogReaderTest, ErrorsNameTheLine) {
  const std::string good = encode_compressed_base64(HdrHistogram());
  const std::pair<std::string, std::string> cases[] = {
      {"#c\n0.0,1.0,2.0\n", "hlog line 2: expected 4"},
      {"0.0,1.0,2.0,3.0," + good + "\n", "hlog line 1: expected 4"},
      {"x,1.0,2.0," + good + "\n", "hlog line 1: bad start timestamp"},
      {"Tag=a,0,1,2,!!!!\n", "hlog line 1: base64"},
      {"0,1,2,AAAA\n", "hlog line 1: hdr decode: truncated"},
      {"#[StartTime: soon (seconds since epoch)]\n", "hlog line 1: malformed StartTime"},
  };
  for (const auto& [text, message] : cases) {
    std::istringstream in(text);
    Result<HlogFile> read = read_hlog(in);
    ASSERT_FALSE(read.ok()) << text;
    EXPECT_TRUE(read.error().message().starts_with(message)) << read.error().message();
  }
}

}  // namespace
}  // namespace stampede
