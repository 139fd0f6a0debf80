#include "engine/fleet/interval_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/testing/temp_dir.h"
#include "engine/fleet/fleet_test_util.h"
#include "engine/metrics/hdr_codec.h"

namespace stampede {
namespace {

using fleet_test::LogSpec;
using fleet_test::Second;

LogSpec two_workers(const std::string& script) {
  LogSpec spec;
  spec.script_path = script;
  spec.workers = {{Second{{1, 2, 3}, 1, 3}, Second{{4, 5}, 0, 2}},
                  {Second{{10, 20}, 0, 2}, Second{{30}, 1, 1}, Second{{40}, 0, 1}}};
  return spec;
}

TEST(IntervalLog, RecorderWritesOneMergedDeltaPerSecond) {
  TempDir tmp;
  std::string script = tmp.write("s.lua", "function default() end");
  ASSERT_TRUE(fleet_test::write_log(tmp.file("a"), two_workers(script)));
  auto log = read_interval_log(tmp.file("a") + "/intervals.pb");
  ASSERT_TRUE(log.ok()) << log.error().message();
  EXPECT_TRUE(log.value().truncated.empty());
  ASSERT_TRUE(log.value().footer.has_value());
  EXPECT_EQ(log.value().header.script_hash(), hash_file(script));
  EXPECT_EQ(log.value().header.workers(), 2);
  EXPECT_EQ(log.value().header.execution_segment(), "0:1");
  ASSERT_EQ(log.value().intervals.size(), 3u);  // seconds 1, 2, 3
  const fleet::IntervalDelta& first = log.value().intervals[0];
  EXPECT_EQ(first.second(), 1);
  EXPECT_EQ(first.vus(), 2);
  // Both workers' second 1: 5 requests, one failed, latencies 1,2,3,10,20 in one histogram.
  bool saw_duration = false;
  for (const fleet::SeriesDelta& s : first.series()) {
    if (s.metric() == kHttpReqs) {
      EXPECT_EQ(s.sum(), 5);
    }
    if (s.metric() == kHttpReqFailed) {
      EXPECT_EQ(s.sum(), 1);
    }
    if (s.metric() == kHttpReqDuration) {
      saw_duration = true;
      EXPECT_EQ(s.count(), 5);
      EXPECT_DOUBLE_EQ(s.min(), 1);
      EXPECT_DOUBLE_EQ(s.max(), 20);
      auto h = decode_histogram(std::span<const uint8_t>(
          reinterpret_cast<const uint8_t*>(s.histogram().data()), s.histogram().size()));
      ASSERT_TRUE(h.ok()) << h.error().message();
      EXPECT_EQ(h.value().total_count(), 5);
      EXPECT_EQ(h.value().count_at(20'000), 1);
    }
  }
  EXPECT_TRUE(saw_duration);
  ASSERT_EQ(first.fine_size(), 1);
  EXPECT_EQ(first.fine(0).requests(), 5);
}

TEST(IntervalLog, RoundTripKeepsEveryRecord) {
  TempDir tmp;
  std::string path = tmp.file("log.pb");
  fleet::LogRecord header, delta, footer;
  header.mutable_header()->set_script_path("x.lua");
  header.mutable_header()->set_workers(4);
  delta.mutable_interval()->set_second(7);
  delta.mutable_interval()->set_vus(12);
  footer.mutable_footer()->set_outcome("completed");
  {
    auto w = IntervalLogWriter::open(path);
    ASSERT_TRUE(w.ok());
    for (const auto* r : {&header, &delta, &footer}) ASSERT_TRUE(w.value()->append(*r).ok());
  }
  auto log = read_interval_log(path);
  ASSERT_TRUE(log.ok()) << log.error().message();
  EXPECT_EQ(log.value().header.SerializeAsString(), header.header().SerializeAsString());
  ASSERT_EQ(log.value().intervals.size(), 1u);
  EXPECT_EQ(log.value().intervals[0].SerializeAsString(), delta.interval().SerializeAsString());
  ASSERT_TRUE(log.value().footer.has_value());
  EXPECT_EQ(log.value().footer->outcome(), "completed");
}

TEST(IntervalLog, TruncatedLastRecordIsReportedAndTheRestKept) {
  TempDir tmp;
  std::string script = tmp.write("s.lua", "x");
  LogSpec spec = two_workers(script);
  spec.footer = false;  // killed: the log ends with its last second
  ASSERT_TRUE(fleet_test::write_log(tmp.file("a"), spec));
  std::string path = tmp.file("a") + "/intervals.pb";
  auto whole = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, whole - 3);
  auto log = read_interval_log(path);
  ASSERT_TRUE(log.ok()) << log.error().message();
  EXPECT_NE(log.value().truncated.find("record 4"), std::string::npos) << log.value().truncated;
  EXPECT_NE(log.value().truncated.find("cut off"), std::string::npos) << log.value().truncated;
  EXPECT_EQ(log.value().intervals.size(), 2u);
  EXPECT_FALSE(log.value().footer.has_value());
}

TEST(IntervalLog, BadFilesAreErrorsNamingThePath) {
  TempDir tmp;
  auto missing = read_interval_log(tmp.file("none.pb"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("none.pb"), std::string::npos);

  auto empty = read_interval_log(tmp.write("empty.pb", ""));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message().find("empty file"), std::string::npos);

  // A complete record that is not a LogRecord (field 1 as a varint, then a bad wire type).
  auto garbage = read_interval_log(tmp.write("garbage.pb", std::string("\x04\x08\x01\x0f\xff", 5)));
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message().find("garbage.pb"), std::string::npos)
      << garbage.error().message();

  // A delta before any header.
  std::string path = tmp.file("noheader.pb");
  {
    auto w = IntervalLogWriter::open(path);
    ASSERT_TRUE(w.ok());
    fleet::LogRecord delta;
    delta.mutable_interval()->set_second(1);
    ASSERT_TRUE(w.value()->append(delta).ok());
  }
  auto no_header = read_interval_log(path);
  ASSERT_FALSE(no_header.ok());
  EXPECT_NE(no_header.error().message().find("not a run header"), std::string::npos)
      << no_header.error().message();
}

}  // namespace
}  // namespace stampede
