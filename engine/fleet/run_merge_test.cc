#include "engine/fleet/run_merge.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "common/testing/temp_dir.h"
#include "engine/fleet/fleet_test_util.h"
#include "engine/metrics/hlog_reader.h"

namespace stampede {
namespace {

using fleet_test::LogSpec;
using fleet_test::Second;

// Three segments of one sequence, each with two workers, three seconds of random latencies.
struct ThreeParts {
  TempDir tmp;
  std::string script = tmp.write("s.lua", "function default() end");
  std::vector<std::string> dirs;
  std::vector<double> all_latencies;
  int64_t requests = 0, failed = 0, iterations = 0;

  explicit ThreeParts(std::vector<std::string> thresholds = {}, int per_second = 20) {
    const char* segments[] = {"0:1/3", "1/3:2/3", "2/3:1"};
    std::mt19937 rng(7);
    std::lognormal_distribution<double> latency(1.5, 0.8);
    for (int p = 0; p < 3; ++p) {
      LogSpec spec;
      spec.script_path = script;
      spec.segment = segments[p];
      spec.sequence = "0,1/3,2/3,1";
      spec.thresholds = thresholds;
      for (int w = 0; w < 2; ++w) {
        std::vector<Second> seconds;
        for (int s = 0; s < 3; ++s) {
          Second sec;
          for (int i = 0; i < per_second; ++i) {
            double v = latency(rng);
            sec.latencies_ms.push_back(v);
            all_latencies.push_back(v);
          }
          sec.failed = p;  // part 0 never fails, part 2 fails twice a second per worker
          sec.iterations = per_second / 2;
          requests += per_second;
          failed += sec.failed;
          iterations += sec.iterations;
          seconds.push_back(sec);
        }
        spec.workers.push_back(seconds);
      }
      dirs.push_back(tmp.file("part" + std::to_string(p)));
      EXPECT_TRUE(fleet_test::write_log(dirs.back(), spec));
    }
  }

  std::vector<MergeSource> sources(std::vector<std::string> which = {}) const {
    auto read = read_merge_sources(which.empty() ? dirs : which);
    EXPECT_TRUE(read.ok()) << (read.ok() ? "" : read.error().message());
    return read.ok() ? std::move(read).value() : std::vector<MergeSource>{};
  }
};

TEST(RunMerge, CountsAddAndHistogramsMergeBucketByBucket) {
  ThreeParts parts;
  std::ostringstream hlog_text;
  HlogWriter hlog(hlog_text);
  ASSERT_TRUE(hlog.write_header(0).ok());
  auto merged = merge_runs(parts.sources(), &hlog);
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  const RunResult& r = merged.value().result;
  const MetricsAggregate& m = *r.metrics;
  EXPECT_EQ(m.combine(kHttpReqs, {}).sum, parts.requests);
  EXPECT_EQ(m.combine(kHttpReqFailed, {}).sum, parts.failed);
  EXPECT_EQ(m.combine(kHttpReqFailed, {}).count, parts.requests);
  EXPECT_EQ(m.combine(kIterations, {}).sum, parts.iterations);

  // The merged histogram equals one recorded from every value, bucket by bucket.
  HdrHistogram direct(1, kTimeTrendHighest, 3);
  for (double v : parts.all_latencies) direct.record(static_cast<int64_t>(v * kTrendScale));
  MetricValue d = m.combine(kHttpReqDuration, {});
  ASSERT_TRUE(d.hist);
  SparseCounts a, b;
  d.hist->export_nonzero(a);
  direct.export_nonzero(b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(d.count, static_cast<int64_t>(parts.all_latencies.size()));
  EXPECT_EQ(d.percentile(99),
            std::clamp(direct.value_at_percentile(99) / kTrendScale, d.min, d.max));

  // Per second: three seconds, each with every part's requests; the .hlog has them too.
  ASSERT_EQ(r.timeline.size(), 3u);
  for (const TimePoint& p : r.timeline) EXPECT_EQ(p.requests, parts.requests / 3);
  EXPECT_EQ(r.timeline[0].vus, 6);  // 3 parts × 2 workers
  std::istringstream in(hlog_text.str());
  auto file = read_hlog(in);
  ASSERT_TRUE(file.ok()) << file.error().message();
  HdrHistogram from_hlog(1, kTimeTrendHighest, 3);
  for (const HlogInterval& i : file.value().intervals) ASSERT_TRUE(from_hlog.add(i.histogram).ok());
  SparseCounts c;
  from_hlog.export_nonzero(c);
  EXPECT_EQ(c, b);

  // The fine timeline adds up too.
  int64_t fine = 0;
  for (const FineBucket& fb : r.fine_timeline.buckets()) fine += fb.requests;
  EXPECT_EQ(fine, parts.requests);

  ASSERT_TRUE(r.merge.has_value());
  EXPECT_EQ(r.merge->covered, "1");
  EXPECT_TRUE(r.merge->missing.empty());
  EXPECT_TRUE(r.merge->warnings.empty());
  ASSERT_EQ(r.merge->inputs.size(), 3u);
  EXPECT_EQ(r.merge->inputs[1].segment, "1/3:2/3");
  EXPECT_EQ(r.merge->inputs[1].requests, parts.requests / 3);
  EXPECT_EQ(r.merge->inputs[2].errors, 2 * 2 * 3);
  EXPECT_EQ(r.generator.workers, 6);
  EXPECT_EQ(r.outcome, RunOutcome::kCompleted);
}

TEST(RunMerge, ThresholdsAreEvaluatedOnTheMergedData) {
  // Each part has 120 requests: count<150 passes on each and fails merged (360); count>300
  // fails on each and passes merged.
  ThreeParts parts({"http_reqs:count<150", "http_reqs:count>300"});
  for (const std::string& dir : parts.dirs) {
    auto one = merge_runs(parts.sources({dir}), nullptr);
    ASSERT_TRUE(one.ok()) << one.error().message();
    const auto& t = one.value().result.thresholds;
    ASSERT_EQ(t.size(), 2u);
    EXPECT_TRUE(t[0].passed) << dir;
    EXPECT_FALSE(t[1].passed) << dir;
    EXPECT_FALSE(one.value().result.merge->missing.empty());  // one part alone
    EXPECT_EQ(one.value().result.merge->covered, "1/3");
  }
  auto merged = merge_runs(parts.sources(), nullptr);
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  const auto& t = merged.value().result.thresholds;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].observed, 360);
  EXPECT_FALSE(t[0].passed);
  EXPECT_TRUE(t[1].passed);
  EXPECT_FALSE(merged.value().result.thresholds_passed());
}

TEST(RunMerge, MissingSegmentsAreWarnedAndRecorded) {
  ThreeParts parts;
  auto merged = merge_runs(parts.sources({parts.dirs[0], parts.dirs[2]}), nullptr);
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  const MergeInfo& info = *merged.value().result.merge;
  EXPECT_EQ(info.covered, "2/3");
  ASSERT_EQ(info.missing.size(), 1u);
  EXPECT_EQ(info.missing[0], "1/3:2/3");
  ASSERT_FALSE(info.warnings.empty());
  EXPECT_NE(info.warnings[0].find("missing: 1/3:2/3"), std::string::npos) << info.warnings[0];
}

TEST(RunMerge, RefusesDifferentScripts) {
  ThreeParts parts;
  LogSpec other;
  other.script_path = parts.tmp.write("other.lua", "function default() return 1 end");
  other.segment = "2/3:1";
  other.sequence = "0,1/3,2/3,1";
  other.workers = {{Second{{1}, 0, 1}}};
  std::string dir = parts.tmp.file("other");
  ASSERT_TRUE(fleet_test::write_log(dir, other));
  auto merged = merge_runs(parts.sources({parts.dirs[0], dir}), nullptr);
  ASSERT_FALSE(merged.ok());
  const std::string& msg = merged.error().message();
  EXPECT_NE(msg.find(parts.dirs[0] + " and " + dir), std::string::npos) << msg;
  EXPECT_NE(msg.find("different scripts"), std::string::npos) << msg;
}

TEST(RunMerge, RefusesDifferentOptionsNamingWhatDiffers) {
  ThreeParts plain;
  ThreeParts with_thresholds({"http_reqs:count<150"});
  // Same script bytes in both fixtures: only the thresholds differ.
  auto a = plain.sources({plain.dirs[0]});
  auto b = with_thresholds.sources({with_thresholds.dirs[1]});
  a.push_back(std::move(b[0]));
  auto merged = merge_runs(a, nullptr);
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error().message().find("different options (thresholds differ)"),
            std::string::npos)
      << merged.error().message();
}

TEST(RunMerge, RefusesOverlappingSegmentsNamingTheFolders) {
  ThreeParts parts;
  LogSpec overlap;
  overlap.script_path = parts.script;
  overlap.segment = "0:1/3";  // the same part as part0
  overlap.sequence = "0,1/3,2/3,1";
  overlap.workers = {{Second{{1}, 0, 1}}, {Second{{1}, 0, 1}}};
  std::string dir = parts.tmp.file("again");
  ASSERT_TRUE(fleet_test::write_log(dir, overlap));
  auto merged = merge_runs(parts.sources({parts.dirs[0], parts.dirs[1], dir}), nullptr);
  ASSERT_FALSE(merged.ok());
  const std::string& msg = merged.error().message();
  EXPECT_NE(msg.find(parts.dirs[0] + " (0:1/3) and " + dir + " (0:1/3) overlap"), std::string::npos)
      << msg;
}

TEST(RunMerge, RefusesSegmentsOfDifferentSequences) {
  ThreeParts parts;
  LogSpec half;
  half.script_path = parts.script;
  half.segment = "1/2:1";  // no sequence: striped over 0,1/2,1
  half.workers = {{Second{{1}, 0, 1}}, {Second{{1}, 0, 1}}};
  std::string dir = parts.tmp.file("half");
  ASSERT_TRUE(fleet_test::write_log(dir, half));
  auto merged = merge_runs(parts.sources({parts.dirs[0], dir}), nullptr);
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error().message().find("not split by one segment sequence"), std::string::npos)
      << merged.error().message();
}

TEST(RunMerge, CarriesTheOneChaosRecordAndRefusesTwo) {
  ThreeParts parts;
  auto write_chaos = [&](const std::string& name, const char* segment) {
    LogSpec spec;
    spec.script_path = parts.script;
    spec.segment = segment;
    spec.sequence = "0,1/3,2/3,1";
    spec.workers = {{Second{{1}, 0, 1}}, {Second{{1}, 0, 1}}};
    spec.chaos = true;
    std::string dir = parts.tmp.file(name);
    EXPECT_TRUE(fleet_test::write_log(dir, spec));
    return dir;
  };
  std::string c1 = write_chaos("chaos1", "1/3:2/3");
  std::string c2 = write_chaos("chaos2", "2/3:1");
  auto one = merge_runs(parts.sources({parts.dirs[0], c1}), nullptr);
  ASSERT_TRUE(one.ok()) << one.error().message();
  ASSERT_EQ(one.value().result.resilience.chaos_events.size(), 1u);
  EXPECT_EQ(one.value().result.resilience.chaos_events[0].pods[0], "cart-1");

  auto two = merge_runs(parts.sources({c1, parts.dirs[0], c2}), nullptr);
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().message().find(c1 + " and " + c2 + " both ran chaos"), std::string::npos)
      << two.error().message();
}

TEST(RunMerge, AKilledRunIsMergedAsInterrupted) {
  ThreeParts parts;
  LogSpec killed;
  killed.script_path = parts.script;
  killed.segment = "2/3:1";
  killed.sequence = "0,1/3,2/3,1";
  killed.workers = {{Second{{1, 2}, 0, 1}}};
  killed.footer = false;
  std::string dir = parts.tmp.file("killed");
  ASSERT_TRUE(fleet_test::write_log(dir, killed));
  auto merged = merge_runs(parts.sources({parts.dirs[0], parts.dirs[1], dir}), nullptr);
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  const RunResult& r = merged.value().result;
  EXPECT_EQ(r.outcome, RunOutcome::kInterrupted);
  EXPECT_NE(r.outcome_detail.find(dir), std::string::npos) << r.outcome_detail;
  EXPECT_EQ(r.merge->inputs[2].outcome, "killed");
  EXPECT_EQ(r.metrics->combine(kHttpReqs, {}).sum, 2 * parts.requests / 3 + 2);
}

}  // namespace
}  // namespace stampede

namespace stampede {
namespace {

// setup()'s requests and script errors travel as a one-off delta and count in the merged totals
// (not in the per-second timeline), with the traceback kept.
TEST(RunMerge, SetupOneOffsAndScriptErrorsAreMerged) {
  TempDir tmp;
  std::string script = tmp.write("s.lua", "x");
  std::vector<std::string> dirs;
  for (int p = 0; p < 2; ++p) {
    dirs.push_back(tmp.file("p" + std::to_string(p)));
    std::filesystem::create_directories(dirs.back());
    MetricRegistry registry;
    registry.freeze();
    RunPlan plan;
    auto writer = IntervalLogWriter::open(dirs.back() + "/intervals.pb");
    ASSERT_TRUE(writer.ok());
    IntervalRecorder rec(std::move(writer).value(), registry, 1);
    RunHeaderInput in;
    in.script_path = script;
    in.plan = &plan;
    in.registry = &registry;
    in.execution_segment = p == 0 ? "0:1/2" : "1/2:1";
    in.execution_segment_sequence = "0,1/2,1";
    in.workers = 1;
    rec.write_header(make_run_header(in));
    auto tags = std::make_shared<const TagSet>(std::vector<Tag>{});
    IntervalSnapshot setup = fleet_test::make_snapshot(0, 0, Second{{5, 6}, 0, 1}, tags);
    setup.script_errors = {{"boom", 1}};
    setup.first_tracebacks = {{"boom", "s.lua:3: boom"}};
    rec.add_one_off("setup", {setup}, 0.25);
    IntervalSnapshot load = fleet_test::make_snapshot(0, 1, Second{{1, 2, 3}, 1, 3}, tags);
    load.script_errors = {{"boom", 2}};
    load.final = true;
    rec.add(load);
    rec.finish();
    rec.write_footer(RunResult{});
    ASSERT_TRUE(rec.status().ok());
  }
  auto sources = read_merge_sources(dirs);
  ASSERT_TRUE(sources.ok()) << sources.error().message();
  ASSERT_EQ(sources.value()[0].log.intervals.size(), 2u);
  EXPECT_EQ(sources.value()[0].log.intervals[0].one_off(), "setup");
  EXPECT_DOUBLE_EQ(sources.value()[0].log.intervals[0].one_off_seconds(), 0.25);

  std::ostringstream hlog_text;
  HlogWriter hlog(hlog_text);
  ASSERT_TRUE(hlog.write_header(0).ok());
  auto merged = merge_runs(sources.value(), &hlog);
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  const RunResult& r = merged.value().result;
  EXPECT_EQ(r.metrics->combine(kHttpReqs, {}).sum, 2 * (2 + 3));
  ASSERT_EQ(r.timeline.size(), 1u);
  EXPECT_EQ(r.timeline[0].requests, 2 * 3);  // setup is not a second of load
  ASSERT_EQ(r.script_errors.size(), 1u);
  EXPECT_EQ(r.script_errors[0].count, 2 * 3);
  EXPECT_EQ(r.script_errors[0].traceback, "s.lua:3: boom");
  EXPECT_EQ(r.merge->inputs[0].requests, 5);
  // The merged .hlog: setup's 4 requests tagged, then the load's 6.
  std::istringstream in(hlog_text.str());
  auto file = read_hlog(in);
  ASSERT_TRUE(file.ok()) << file.error().message();
  ASSERT_EQ(file.value().intervals.size(), 2u);
  EXPECT_EQ(file.value().intervals[0].tag, "setup");
  EXPECT_EQ(file.value().intervals[0].histogram.total_count(), 4);
  EXPECT_EQ(file.value().intervals[1].histogram.total_count(), 6);
  EXPECT_DOUBLE_EQ(file.value().intervals[1].start_seconds, 0.25);
}

}  // namespace
}  // namespace stampede
