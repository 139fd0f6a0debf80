// Cross-checks stampede's HDR histogram, V2 encoder and .hlog writer against hdr-histogram-js,
// an independent implementation: stampede writes an .hlog of known data, decode_hlog.js decodes
// it with hdr-histogram-js and prints JSON, and every count and percentile must agree within
// one histogram bucket. hdr-histogram-js's re-encoding must also decode here to the same counts.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "engine/metrics/hdr_codec.h"
#include "engine/metrics/hdr_histogram.h"
#include "engine/metrics/hlog_writer.h"

namespace stampede {
namespace {

namespace fs = std::filesystem;

const fs::path kProjectDir = fs::path(STAMPEDE_HDR_JS_DIR);
constexpr int64_t kStartUnixMs = 1'700'000'000'000;

struct Interval {
  std::string tag;
  HdrHistogram histogram;
};

std::vector<Interval> known_intervals() {
  std::vector<Interval> out;
  HdrHistogram uniform;
  for (int64_t v = 1; v <= 100'000; ++v) uniform.record(v);
  out.push_back({"", uniform});

  std::mt19937_64 rng(2024);
  std::normal_distribution<double> fast(1'500, 200);
  std::normal_distribution<double> slow(300'000, 30'000);
  HdrHistogram bimodal;
  for (int i = 0; i < 50'000; ++i) {
    bimodal.record(std::max<int64_t>(1, std::llround(i % 20 == 0 ? slow(rng) : fast(rng))));
  }
  out.push_back({"checkout", bimodal});

  std::exponential_distribution<double> exponential(1.0 / 40'000);
  HdrHistogram tail;
  for (int i = 0; i < 80'000; ++i) tail.record(1 + std::llround(exponential(rng)));
  out.push_back({"home", tail});

  HdrHistogram extremes;  // value 0, tiny values, huge counts, a saturated value
  extremes.record(0, 3);
  extremes.record(1, 5'000'000'000);
  extremes.record(2'047);
  extremes.record(2'048);
  extremes.record(3'599'999'999, 2);
  extremes.record(10'000'000'000);
  out.push_back({"extremes", extremes});

  out.push_back({"idle", HdrHistogram()});
  return out;
}

// Runs a command and returns its stdout; `status` gets the exit status.
std::string run(const std::string& command, int& status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return output;
  }
  std::array<char, 4096> buf;
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), n);
  status = pclose(pipe);
  return output;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "stampede-hdr-js-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void expect_equivalent(const HdrHistogram& h, const nlohmann::json& js, const char* field,
                       int64_t ours) {
  ASSERT_TRUE(js.contains(field)) << field;
  const auto theirs = static_cast<int64_t>(js[field].get<double>());
  EXPECT_TRUE(h.values_are_equivalent(theirs, ours))
      << field << ": hdr-histogram-js " << theirs << ", stampede " << ours;
}

void expect_summary_matches(const HdrHistogram& h, const nlohmann::json& js) {
  EXPECT_EQ(js["total_count"].get<double>(), static_cast<double>(h.total_count()));
  if (h.empty()) return;
  expect_equivalent(h, js, "min", h.min());
  expect_equivalent(h, js, "max", h.max());
  expect_equivalent(h, js, "p50", h.value_at_percentile(50));
  expect_equivalent(h, js, "p90", h.value_at_percentile(90));
  expect_equivalent(h, js, "p99", h.value_at_percentile(99));
  expect_equivalent(h, js, "p99_9", h.value_at_percentile(99.9));
}

TEST(HdrJsCrossCheckTest, HdrHistogramJsDecodesStampedeHlog) {
  ASSERT_TRUE(fs::exists(kProjectDir / "node_modules" / "hdr-histogram-js"))
      << "hdr-histogram-js is not installed: run `npm ci --prefix tests/hdr_js` from the "
         "repository root (the setup script does this)";
  TempDir dir;
  ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed";
  const fs::path hlog = dir.path() / "known.hlog";

  const std::vector<Interval> intervals = known_intervals();
  {
    std::ofstream out(hlog);
    HlogWriter writer(out);
    ASSERT_TRUE(writer.write_header(kStartUnixMs, "stampede hdr_js cross-check").ok());
    for (size_t i = 0; i < intervals.size(); ++i) {
      ASSERT_TRUE(
          writer
              .write_interval(static_cast<double>(i), 1.0, intervals[i].histogram, intervals[i].tag)
              .ok());
    }
  }

  int status = 0;
  const std::string command = std::string(STAMPEDE_NODE) + " '" +
                              (kProjectDir / "decode_hlog.js").string() + "' '" + hlog.string() +
                              "'";
  const std::string output = run(command, status);
  ASSERT_EQ(status, 0) << "`" << command << "` failed (is node installed? did `npm ci --prefix "
                       << "tests/hdr_js` run?); stdout: " << output;
  const nlohmann::json result = nlohmann::json::parse(output, nullptr, false);
  ASSERT_FALSE(result.is_discarded()) << "decode_hlog.js printed no JSON: " << output;
  ASSERT_EQ(result["intervals"].size(), intervals.size());

  HdrHistogram all;
  for (size_t i = 0; i < intervals.size(); ++i) {
    const HdrHistogram& h = intervals[i].histogram;
    const nlohmann::json& js = result["intervals"][i];
    SCOPED_TRACE("interval " + std::to_string(i) + " tag '" + intervals[i].tag + "'");
    EXPECT_EQ(js["tag"].get<std::string>(), intervals[i].tag.empty() ? "NO TAG" : intervals[i].tag);
    EXPECT_DOUBLE_EQ(js["start_ms"].get<double>(), static_cast<double>(kStartUnixMs + 1000 * i));
    expect_summary_matches(h, js);

    // The way back: hdr-histogram-js's encoding decodes here to exactly the same counts.
    Result<HdrHistogram> back = decode_base64(js["reencoded"].get<std::string>());
    ASSERT_TRUE(back.ok()) << back.error().message();
    ASSERT_EQ(back.value().total_count(), h.total_count());
    for (int32_t j = 0; j < h.counts_length(); ++j) {
      ASSERT_EQ(back.value().count_at_index(j), h.count_at_index(j)) << "index " << j;
    }
    ASSERT_TRUE(all.add(h).ok());
  }
  SCOPED_TRACE("all intervals merged");
  expect_summary_matches(all, result["all"]);
}

}  // namespace
}  // namespace stampede
