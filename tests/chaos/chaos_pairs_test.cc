// Verdicts must be right: each script of scenarios/chaos/ runs against the real `stampede up`
// twice — with healthy values it passes, with a broken variant (no readiness probe, no liveness
// probe, a too-short liveness failureThreshold, HPA max 1, the circuit breaker off) it fails,
// and for the right reason: the named validation fails with the expected one-line summary.
// Short versions: every timing of the scripts comes from -e, and the values files in
// tests/chaos/values/ turn the runtime's probe and sync periods down.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/runtime/local_shop.h"

namespace runtime_test {
namespace {

namespace engine = stampede::engine_test;

struct Pair {
  const char* name;
  const char* script;            // in scenarios/chaos/
  const char* healthy;           // in tests/chaos/values/
  const char* broken;            // in tests/chaos/values/broken/
  std::vector<std::string> env;  // -e KEY=VALUE: the short version
  const char* failing;           // the validation the broken variant must fail
  const char* reason;            // ... with this in its summary
};

// gtest shows a Pair by its name (in test names and ctest's listing), not as bytes.
void PrintTo(const Pair& pair, std::ostream* os) {
  *os << pair.name;
}

std::string source(const std::string& path) {
  return std::string(STAMPEDE_SOURCE_DIR) + "/" + path;
}

// The values file with @WARM_UP@ and @SHOP@ filled in, written into `dir`.
std::string values_file(engine::TempDir& dir, const std::string& relative) {
  std::ifstream in(source("tests/chaos/values/" + relative));
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"@WARM_UP@", source("tests/chaos/warm_up.sh")},
        std::pair<std::string, std::string>{"@SHOP@", SHOP_BINARY}}) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at)) {
      s.replace(at, from.size(), to);
    }
  }
  std::string name = relative;
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return dir.write("values-" + name, s);
}

struct Outcome {
  engine::RunResult run;
  json results;
  // Failed validations first (one line each), so that a truncated CI log still shows why.
  std::string describe() const {
    std::string failed;
    if (results.is_object()) {
      for (const json& v : results["validations"]) {
        if (!v.value("passed", false)) {
          failed += "FAILED " + v.value("name", std::string("?")) + ": " +
                    v.value("summary", std::string()) + "\n";
        }
      }
    }
    return failed + engine::describe(run) + "\nvalidations: " +
           (results.is_object() ? results["validations"].dump(2) : std::string("(no results)"));
  }
  // The validation named `name`, or null.
  json validation(const std::string& name) const {
    if (!results.is_object()) return nullptr;
    for (const json& v : results["validations"]) {
      if (v["name"] == name) return v;
    }
    return nullptr;
  }
};

Outcome run_pair(const Pair& pair, bool broken) {
  Outcome out;
  UpOptions options;
  engine::TempDir values_dir;
  options.values_files.push_back(values_file(values_dir, pair.healthy));
  if (broken)
    options.values_files.push_back(values_file(values_dir, std::string("broken/") + pair.broken));
  auto shop = LocalShop::up(options);
  if (!shop->ready()) {
    ADD_FAILURE() << "stampede up failed\n" << shop->up_output();
    return out;
  }
  std::vector<std::string> args = {"run",         "--quiet",
                                   "--state-dir", shop->state_dir(),
                                   "--out",       shop->dir().out_dir(),
                                   "-e",          "BASE=" + shop->url()};
  for (const std::string& kv : pair.env) {
    args.push_back("-e");
    args.push_back(kv);
  }
  args.push_back(source(std::string("scenarios/chaos/") + pair.script));
  out.run = engine::run_stampede(args, shop->dir(), std::chrono::seconds(240));
  std::string text =
      engine::read_text(std::filesystem::path(shop->dir().out_dir()) / "results.json");
  out.results = json::parse(text.empty() ? "null" : text, nullptr, false);
  return out;
}

class ChaosPairsTest : public ::testing::TestWithParam<Pair> {};

TEST_P(ChaosPairsTest, HealthyValuesPass) {
  Outcome o = run_pair(GetParam(), /*broken=*/false);
  EXPECT_EQ(o.run.exit_code, 0) << o.describe();
  ASSERT_TRUE(o.results.is_object()) << o.describe();
  EXPECT_FALSE(o.results["validations"].empty());
  for (const json& v : o.results["validations"]) {
    EXPECT_TRUE(v["passed"].get<bool>()) << v.dump(2);
  }
}

TEST_P(ChaosPairsTest, BrokenValuesFailForTheRightReason) {
  const Pair& pair = GetParam();
  Outcome o = run_pair(pair, /*broken=*/true);
  EXPECT_EQ(o.run.exit_code, 99) << o.describe();
  json v = o.validation(pair.failing);
  ASSERT_TRUE(v.is_object()) << "no validation named '" << pair.failing << "'\n" << o.describe();
  EXPECT_FALSE(v["passed"].get<bool>()) << v.dump(2);
  EXPECT_NE(v["summary"].get<std::string>().find(pair.reason), std::string::npos)
      << "expected '" << pair.reason << "' in\n"
      << v.dump(2);
}

// The quick-start demo (scripts/demo.sh) with its own values, in a short version: every verdict
// and threshold passes.
TEST(ChaosDemoTest, DemoPassesOnItsValues) {
  UpOptions options;
  options.values_files.push_back(source("scenarios/chaos/demo-values.yaml"));
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  std::vector<std::string> args = {"run",
                                   "--quiet",
                                   "--state-dir",
                                   shop->state_dir(),
                                   "--out",
                                   shop->dir().out_dir(),
                                   "-e",
                                   "BASE=" + shop->url(),
                                   "-e",
                                   "DURATION=32s",
                                   "-e",
                                   "KILL_AT=6s",
                                   "-e",
                                   "OUTAGE_AT=14s",
                                   "-e",
                                   "OUTAGE=8s",
                                   source("scenarios/chaos/demo.lua")};
  Outcome o;
  o.run = engine::run_stampede(args, shop->dir(), std::chrono::seconds(240));
  std::string text =
      engine::read_text(std::filesystem::path(shop->dir().out_dir()) / "results.json");
  o.results = json::parse(text.empty() ? "null" : text, nullptr, false);
  EXPECT_EQ(o.run.exit_code, 0) << o.describe();
  ASSERT_TRUE(o.results.is_object()) << o.describe();
  EXPECT_EQ(o.results["validations"].size(), 4u) << o.describe();
  EXPECT_TRUE(
      std::filesystem::exists(std::filesystem::path(shop->dir().out_dir()) / "report.html"));
}

// The same experiment through `--kubeconfig <state>/kubeconfig` — the way a run reaches a real
// cluster — gives the same verdicts as through --state-dir, on the same shop.
TEST(ChaosKubeconfigTest, PodKillThroughTheKubeconfigGivesTheSameVerdicts) {
  engine::TempDir values_dir;
  UpOptions options;
  options.values_files.push_back(values_file(values_dir, "warm_frontend.yaml"));
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  auto verdicts = [&](const std::vector<std::string>& platform, const std::string& out) {
    std::vector<std::string> args = {
        "run", "--quiet",      "--out", out,          "-e", "BASE=" + shop->url(),
        "-e",  "DURATION=16s", "-e",    "KILL_AT=4s", "-e", "WINDOW=6s"};
    args.insert(args.end(), platform.begin(), platform.end());
    args.push_back(source("scenarios/chaos/pod_kill.lua"));
    Outcome o;
    o.run = engine::run_stampede(args, shop->dir(), std::chrono::seconds(120));
    std::string text = engine::read_text(std::filesystem::path(out) / "results.json");
    o.results = json::parse(text.empty() ? "null" : text, nullptr, false);
    return o;
  };
  Outcome local = verdicts({"--state-dir", shop->state_dir()}, shop->dir().path() / "out-local");
  std::string journal = (shop->dir().path() / "journal").string();
  Outcome cluster =
      verdicts({"--kubeconfig", shop->state_dir() + "/kubeconfig", "--state-dir", journal},
               shop->dir().path() / "out-cluster");
  ASSERT_EQ(local.run.exit_code, 0) << local.describe();
  ASSERT_EQ(cluster.run.exit_code, 0) << cluster.describe();
  auto names = [](const Outcome& o) {
    std::vector<std::string> out;
    for (const json& v : o.results["validations"]) {
      out.push_back(v["name"].get<std::string>() +
                    (v["passed"].get<bool>() ? " passed" : " failed"));
    }
    return out;
  };
  EXPECT_EQ(names(cluster), names(local));
  EXPECT_EQ(names(local).size(), 3u);
  std::string source_local = local.results["platform"]["source"];
  std::string source_cluster = cluster.results["platform"]["source"];
  EXPECT_EQ(source_local.rfind("local runtime https://127.0.0.1:", 0), 0u) << source_local;
  EXPECT_EQ(source_cluster.rfind("Kubernetes https://127.0.0.1:", 0), 0u) << source_cluster;
  EXPECT_NE(source_cluster.find("context stampede-local, namespace default"), std::string::npos)
      << source_cluster;
  for (const Outcome* o : {&local, &cluster}) {
    json healing = o->validation("self-healing after pod-kill#1");
    ASSERT_TRUE(healing.is_object()) << o->describe();
    EXPECT_EQ(healing["summary"].get<std::string>().rfind("replaced by ", 0), 0u)
        << healing.dump(2);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, ChaosPairsTest,
    ::testing::Values(
        Pair{"PodKill",
             "pod_kill.lua",
             "warm_frontend.yaml",
             "no_readiness_probe.yaml",
             {"DURATION=20s", "KILL_AT=6s", "WINDOW=8s"},
             "availability after pod-kill#1",
             "availability after pod-kill#1: by requests"},
        Pair{"LivenessHang",
             "liveness_hang.lua",
             "liveness_hang.yaml",
             "no_liveness_probe.yaml",
             {"DURATION=30s", "PAUSE_AT=5s", "HANG_AT=12s", "HANG=15s"},
             "self-healing after fault#1",
             "deployment frontend has no liveness probe: a hung pod is never restarted"},
        Pair{"LivenessStall",
             "liveness_hang.lua",
             "liveness_hang.yaml",
             "short_liveness_threshold.yaml",
             {"DURATION=30s", "PAUSE_AT=5s", "HANG_AT=12s", "HANG=15s"},
             "the stall is tolerated",
             "although stall only slowed it"},
        Pair{"RolloutReadiness",
             "rollout_readiness.lua",
             "warm_frontend.yaml",
             "no_readiness_probe.yaml",
             {"DURATION=25s", "ROLLOUT_AT=5s"},
             "zero-downtime during rollout-restart#1",
             "downtime during rollout-restart#1"},
        Pair{"HpaScaleOut",
             "hpa_scale_out.lua",
             "hpa_scale_out.yaml",
             "hpa_max_1.yaml",
             {"STEP_AT=5s", "DURATION=25s", "SCALE_UP_WITHIN=15s"},
             "autoscaling of frontend",
             "no scale-up within 15.0 s of the load step"},
        Pair{"PaymentOutage",
             "payment_outage.lua",
             "payment_outage.yaml",
             "breaker_disabled.yaml",
             {"OUTAGE_AT=5s", "OUTAGE=10s", "DURATION=30s", "LATENCY_MS=2000"},
             "circuit-breaker checkout->payment during fault#1",
             "checkout's breaker for payment never said open"},
        Pair{"RedisOutage",
             "redis_outage.lua",
             "redis_outage.yaml",
             "short_cart_liveness_threshold.yaml",
             {"OUTAGE_AT=5s", "OUTAGE=6s", "DURATION=30s"},
             "cart survives the Redis outage",
             "though only a dependency of it was down"}),
    [](const ::testing::TestParamInfo<Pair>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace runtime_test
