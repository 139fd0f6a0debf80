// Execution segments end to end (docs/distributed.md): three real stampede processes, each with
// one segment of a sequence, run one test against one test server; together they must do
// exactly what one unsegmented run does — every shared iteration once, every VU id once with its
// iterations, every scheduled arrival once — and each must do exactly its k6 share. Bad
// --execution-segment / --execution-segment-sequence values exit 104 naming the flag.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

constexpr int kInvalid = 104;

// The indices i in [first, first+n) for which the server did not see `prefix`<i> exactly
// `times` times ("" when all did), plus any other `prefix` path it saw.
std::string paths_not_seen(const nlohmann::json& stats, const std::string& prefix, int first, int n,
                           int times) {
  if (!stats.is_object() || !stats.contains("by_path")) return "no by_path in /stats";
  std::string wrong;
  for (int i = first; i < first + n; ++i) {
    const int seen = stats["by_path"].value(prefix + std::to_string(i), 0);
    if (seen != times) wrong += prefix + std::to_string(i) + "=" + std::to_string(seen) + " ";
  }
  int with_prefix = 0;
  for (const auto& [path, count] : stats["by_path"].items()) {
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size() &&
        std::isdigit(static_cast<unsigned char>(path[prefix.size()]))) {
      ++with_prefix;
    }
  }
  if (with_prefix != n) wrong += "(" + std::to_string(with_prefix) + " distinct paths)";
  return wrong;
}

struct Instance {
  std::string segment;
  std::unique_ptr<TempDir> dir;
  RunResult run;
  nlohmann::json summary;
  nlohmann::json results;
};

// Starts one `stampede run` per segment of `sequence` at once (each its own --out folder), all
// on the same script, then waits for all of them.
std::vector<Instance> run_segments(const std::string& script, const std::string& sequence,
                                   const std::vector<std::string>& segments,
                                   const std::vector<std::string>& extra) {
  std::vector<Instance> out(segments.size());
  std::vector<std::unique_ptr<StampedeProcess>> processes;
  for (size_t i = 0; i < segments.size(); ++i) {
    out[i].segment = segments[i];
    out[i].dir = std::make_unique<TempDir>();
    const std::string path = out[i].dir->write("script.lua", script);
    std::vector<std::string> args = {"run",       "--quiet",
                                     "--out",     out[i].dir->out_dir(),
                                     path,        "--execution-segment",
                                     segments[i], "--execution-segment-sequence",
                                     sequence};
    args.insert(args.end(), extra.begin(), extra.end());
    processes.push_back(std::make_unique<StampedeProcess>(args, out[i].dir->path()));
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    out[i].run = processes[i]->wait(std::chrono::seconds(60));
    out[i].summary = load_summary(*out[i].dir);
    const std::string text =
        read_text(std::filesystem::path(out[i].dir->out_dir()) / "results.json");
    out[i].results = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  }
  return out;
}

double scenario_iterations(const nlohmann::json& summary, const std::string& scenario) {
  return metric_field(summary, "iterations{scenario:" + scenario + "}", "count");
}

// shared-iterations and per-vu-iterations over the uneven sequence 0,1/2,3/4,1, two worker
// threads per instance. k6's shares: 6 VUs scale to 3, 2, 1; the 90 shared iterations are dealt
// by those VUs (the sequence 0,1/2,5/6,1): 45, 30, 15. per-vu-iterations: 5 VUs scale to
// 3, 1, 1, each VU running its 3 iterations.
TEST(engine_segments, IterationExecutorsAddUpOverThreeProcesses) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  const std::string script = with_base(server, R"(
options = { scenarios = {
  shared = { executor = "shared-iterations", vus = 6, iterations = 90, exec = "shared" },
  pervu = { executor = "per-vu-iterations", vus = 5, iterations = 3, exec = "pervu" },
}, thresholds = { -- so that summary.json lists the per-scenario counts
  ["iterations{scenario:shared}"] = { "count>0" }, ["iterations{scenario:pervu}"] = { "count>0" },
} }
function shared(vu) http.get(BASE .. "/si" .. vu.iteration_in_scenario) end
function pervu(vu) http.get(BASE .. "/pv" .. vu.id) end
)");
  const std::string sequence = "0,1/2,3/4,1";
  std::vector<Instance> runs =
      run_segments(script, sequence, {"0:1/2", "1/2:3/4", "3/4:1"}, {"--threads", "2"});
  const std::vector<double> shared = {45, 30, 15};
  const std::vector<double> pervu = {9, 3, 3};
  double shared_total = 0;
  double iterations_total = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    SCOPED_TRACE(runs[i].segment);
    ASSERT_EQ(runs[i].run.exit_code, 0) << describe(runs[i].run);
    EXPECT_EQ(scenario_iterations(runs[i].summary, "shared"), shared[i]);
    EXPECT_EQ(scenario_iterations(runs[i].summary, "pervu"), pervu[i]);
    shared_total += scenario_iterations(runs[i].summary, "shared");
    iterations_total += metric_field(runs[i].summary, "iterations", "count");
    ASSERT_TRUE(runs[i].results.is_object()) << "no results.json";
    EXPECT_EQ(runs[i].results["run"]["execution_segment"], runs[i].segment);
    EXPECT_EQ(runs[i].results["run"]["execution_segment_sequence"], sequence);
  }
  EXPECT_EQ(shared_total, 90);
  EXPECT_EQ(iterations_total, 90 + 15);
  const nlohmann::json stats = server.stats();
  EXPECT_EQ(stats["requests"], 105) << stats.dump();
  // Every shared iteration number 0..89 exactly once over the three processes.
  EXPECT_EQ(paths_not_seen(stats, "/si", 0, 90, 1), "");
  // vu.id is unique fleet-wide: the pervu scenario's ids (1..5, it sorts first) each ran its 3.
  EXPECT_EQ(paths_not_seen(stats, "/pv", 1, 5, 3), "");
}

// constant-arrival-rate, 30/s for 2 s: 60 scheduled starts in all, 20 per third (6 max VUs
// scale to 2, 2, 2), every arrival index exactly once and none dropped.
TEST(engine_segments, ConstantArrivalRateAddsUpOverThreeProcesses) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  const std::string script = with_base(server, R"(
options = { scenarios = { car = { executor = "constant-arrival-rate", rate = 30, time_unit = "1s",
                                  duration = "2s", pre_allocated_vus = 6, max_vus = 6 } } }
function default(vu) http.get(BASE .. "/car" .. vu.iteration_in_scenario) end
)");
  std::vector<Instance> runs =
      run_segments(script, "0,1/3,2/3,1", {"0:1/3", "1/3:2/3", "2/3:1"}, {"--threads", "1"});
  double total = 0;
  for (Instance& r : runs) {
    SCOPED_TRACE(r.segment);
    ASSERT_EQ(r.run.exit_code, 0) << describe(r.run);
    EXPECT_EQ(metric_field(r.summary, "iterations", "count"), 20);
    if (r.summary["metrics"].contains("dropped_iterations")) {
      EXPECT_EQ(metric_field(r.summary, "dropped_iterations", "count"), 0);
    }
    total += metric_field(r.summary, "iterations", "count");
  }
  EXPECT_EQ(total, 60);
  const nlohmann::json stats = server.stats();
  EXPECT_EQ(stats["requests"], 60) << stats.dump();
  EXPECT_EQ(paths_not_seen(stats, "/car", 0, 60, 1), "");
}

// ramping-arrival-rate over the uneven 0,1/5,1/2,1 with two threads per process: the rate ramps
// 0 -> 40/s over 1 s, holds 1 s, ramps to 0 over 0.5 s, 70 arrivals in all. 10 max VUs scale to
// 2, 3, 5, so the arrivals split 14, 21, 35.
TEST(engine_segments, RampingArrivalRateUnevenSplit) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  const std::string script = with_base(server, R"(
options = { scenarios = { rar = { executor = "ramping-arrival-rate", start_rate = 0,
    pre_allocated_vus = 10, max_vus = 10,
    stages = { { duration = "1s", target = 40 }, { duration = "1s", target = 40 },
               { duration = "500ms", target = 0 } } } } }
function default(vu) http.get(BASE .. "/rar" .. vu.iteration_in_scenario) end
)");
  std::vector<Instance> runs =
      run_segments(script, "0,1/5,1/2,1", {"0:1/5", "1/5:1/2", "1/2:1"}, {"--threads", "2"});
  const std::vector<double> expected = {14, 21, 35};
  for (size_t i = 0; i < runs.size(); ++i) {
    SCOPED_TRACE(runs[i].segment);
    ASSERT_EQ(runs[i].run.exit_code, 0) << describe(runs[i].run);
    EXPECT_EQ(metric_field(runs[i].summary, "iterations", "count"), expected[i]);
  }
  const nlohmann::json stats = server.stats();
  EXPECT_EQ(stats["requests"], 70) << stats.dump();
  EXPECT_EQ(paths_not_seen(stats, "/rar", 0, 70, 1), "");
}

TEST(engine_segments, DryRunPrintsTheInstancesPart) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "shared-iterations", vus = 6, iterations = 90 } } }
function default(vu) http.get(BASE .. "/x") end
)"),
                              {"--dry-run", "--execution-segment", "1/2:3/4",
                               "--execution-segment-sequence", "0,1/2,3/4,1"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.out.find("execution segment 1/2:3/4 of the sequence 0,1/2,3/4,1"),
            std::string::npos)
      << describe(run);
  EXPECT_NE(run.out.find("scenario s (shared-iterations): 2 of 6 VUs, 30 of 90 iterations"),
            std::string::npos)
      << describe(run);
  EXPECT_EQ(server.stats()["requests"], 0);
}

// Like k6, a sequence need not start at 0 or end at 1 (it is filled), and a segment without a
// sequence is filled to 0,from,to,1.
TEST(engine_segments, PartialSequencesAreFilled) {
  TempDir dir;
  const std::string script = "options = { iterations = 10, vus = 2 }\nfunction default(vu) end\n";
  auto run = run_script(
      dir, script,
      {"--dry-run", "--execution-segment", "1/3:2/3", "--execution-segment-sequence", "1/3,2/3"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.out.find("execution segment 1/3:2/3 of the sequence 0,1/3,2/3,1"),
            std::string::npos)
      << describe(run);
  run = run_script(dir, script, {"--dry-run", "--execution-segment", "50%:75%"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.out.find("execution segment 1/2:3/4 of the sequence 0,1/2,3/4,1"),
            std::string::npos)
      << describe(run);
}

TEST(engine_segments, BadValuesExit104NamingTheFlag) {
  const std::string script = "options = { iterations = 3 }\nfunction default(vu) end\n";
  struct Case {
    std::vector<std::string> flags;
    std::vector<std::string> needles;
  };
  const std::vector<Case> cases = {
      {{"--execution-segment", "1/3:1/4"},
       {"--execution-segment 1/3:1/4", "must be less than its end"}},
      {{"--execution-segment", "2/1:3"}, {"--execution-segment 2/1:3", "can't be more than 1"}},
      {{"--execution-segment", "abc"}, {"--execution-segment abc", "not a valid"}},
      {{"--execution-segment", "-1/2:1"}, {"--execution-segment", "at least 0"}},
      {{"--execution-segment", "1/2:1/2"}, {"--execution-segment", "must be less than"}},
      {{"--execution-segment-sequence", "0,1/2,1/3"},
       {"--execution-segment-sequence 0,1/2,1/3", "must be less than"}},
      {{"--execution-segment-sequence", "0.5"},
       {"--execution-segment-sequence", "at least 2 points"}},
      {{"--execution-segment-sequence", "0,x,1"}, {"--execution-segment-sequence", "'x'"}},
      {{"--execution-segment", "1/3:1/2", "--execution-segment-sequence", "0,1/3,2/3,1"},
       {"--execution-segment 1/3:1/2 is not one of the segments of "
        "--execution-segment-sequence 0,1/3,2/3,1 (0:1/3, 1/3:2/3, 2/3:1)"}},
      {{"--execution-segment", "2/3:1", "--execution-segment-sequence", "0,1/3"},
       {"--execution-segment 2/3:1 is not one of the segments"}},
  };
  for (const Case& c : cases) {
    TempDir dir;
    const auto run = run_script(dir, script, c.flags, std::chrono::seconds(15));
    EXPECT_EQ(run.exit_code, kInvalid) << describe(run);
    for (const std::string& needle : c.needles) {
      EXPECT_NE(run.err.find(needle), std::string::npos) << "stderr lacks '" << needle << "'\n"
                                                         << describe(run);
    }
  }
}

TEST(engine_segments, ScriptOptionsAndFlagPrecedence) {
  TempDir dir;
  auto run = run_script(dir,
                        "options = { iterations = 3, execution_segment = '1/2:1', "
                        "execution_segment_sequence = '0,1/2,1' }\nfunction default(vu) end\n",
                        {"--dry-run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.out.find("execution segment 1/2:1 of the sequence 0,1/2,1"), std::string::npos)
      << describe(run);
  // The flag wins over the option; the option's sequence still applies.
  run = run_script(dir,
                   "options = { iterations = 3, execution_segment = '1/2:1', "
                   "execution_segment_sequence = '0,1/2,1' }\nfunction default(vu) end\n",
                   {"--dry-run", "--execution-segment", "0:1/2"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.out.find("execution segment 0:1/2 of the sequence 0,1/2,1"), std::string::npos)
      << describe(run);
  run = run_script(dir, "options = { execution_segment = 'x' }\nfunction default(vu) end\n",
                   {"--dry-run"});
  EXPECT_EQ(run.exit_code, kInvalid) << describe(run);
  EXPECT_NE(run.err.find("options.execution_segment: 'x' is not a valid"), std::string::npos)
      << describe(run);
}

}  // namespace
}  // namespace stampede::engine_test
