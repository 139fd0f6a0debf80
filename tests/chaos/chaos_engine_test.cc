// The stampede binary's chaos behaviour end to end: the load goes to a real stampede-testserver,
// the platform is FakeRuntimeApi — a FAKE of `stampede up`'s control API (real HTTP, the
// contract's JSON) serving a FakePlatform in this process — found through runtime.json in a
// temp state dir, exactly as a real runtime is.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "engine/chaos/chaos_journal.h"
#include "engine/platform/testing/fake_runtime_api.h"
#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

constexpr int kInvalid = 104;

template <class F>
bool eventually(F condition, int seconds = 20) {
  for (int i = 0; i < seconds * 100; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

DeploymentState deployment(const std::string& name) {
  DeploymentState d;
  d.name = name;
  ProbeSpec live;
  live.handler = "grpc";
  live.period_seconds = 1;
  live.failure_threshold = 2;
  d.probes.liveness = live;
  d.termination_grace_period_seconds = 1;
  return d;
}

class ChaosEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    fake_.add_deployment(deployment("cart"), 2);
    DeploymentState payment = deployment("payment");
    payment.hpa = cpu_hpa("payment", 1, 2, 50);  // for validations that need one (autoscaling)
    fake_.add_deployment(payment, 1);
    state_ = (dir_.path() / "state").string();
    std::filesystem::create_directories(state_);
    auto api = FakeRuntimeApi::start(fake_, state_);
    ASSERT_TRUE(api.ok()) << api.error().message();
    api_ = std::move(api).value();
  }

  // A script sending ~50 requests/s to the test server at `path` for `duration`, with
  // `options_extra` spliced into options.
  std::string script(const std::string& duration, const std::string& options_extra,
                     const std::string& path = "/") {
    return with_base(server_,
                     "options = { scenarios = { load = { executor = "
                     "'constant-arrival-rate', rate = 50, duration = '" +
                         duration + "', pre_allocated_vus = 5 } },\n" + options_extra +
                         " }\nfunction default(vu) http.get(BASE .. '" + path + "') end\n");
  }

  RunResult run(const std::string& code, std::vector<std::string> extra = {},
                std::chrono::seconds timeout = std::chrono::seconds(60)) {
    extra.insert(extra.begin(), {"--state-dir", state_});
    return run_script(dir_, code, extra, timeout);
  }

  std::vector<std::string> pending() {
    auto p = read_pending(chaos_journal_path(state_));
    std::vector<std::string> out;
    if (p.ok()) {
      for (const PendingUndo& u : p.value()) out.push_back(u.step.describe());
    }
    return out;
  }

  // results.json (docs/reports.md): its chaos, platform and validations sections.
  nlohmann::json results() {
    std::string text = read_text(std::filesystem::path(dir_.out_dir()) / "results.json");
    return nlohmann::json::parse(text.empty() ? "null" : text, nullptr, false);
  }

  TestServer server_;
  TempDir dir_;
  FakePlatform fake_;
  std::string state_;
  std::unique_ptr<FakeRuntimeApi> api_;
};

TEST_F(ChaosEngineTest, DryRunListsThePodsEachActionWouldHitAndSendsNothing) {
  dir_.write("script.lua", script("5s", R"(
    chaos = {
      { at = '1s', action = 'pod-kill', target = 'cart' },
      { at = '2s', action = 'fault', target = 'app=payment', mode = 'all', duration = '1s',
        error_rate = 1 },
    },
    expect = { { kind = 'recovery', after = 'pod-kill', within = '5s' } },)"));
  RunResult r = run_stampede(
      {"run", "--dry-run", "--state-dir", state_, (dir_.path() / "script.lua").string()}, dir_);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("chaos plan against local runtime " + api_->url()), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("pod-kill#1: at 1s, kill (delete, grace period 0) on cart"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("would hit 1 of 2 (one pod, max_pods 5): cart-1, cart-2"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("would hit 1 of 1 (all pods, max_pods 5): payment-1"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("recovery after pod-kill#1 (recovery)"), std::string::npos) << r.out;
  EXPECT_TRUE(fake_.calls().empty());
  EXPECT_EQ(server_.stats().value("requests", -1), 0);
}

struct BadCase {
  const char* name;
  const char* options;
  const char* error;
};
void PrintTo(const BadCase& c, std::ostream* os) {
  *os << c.name;
}

class ChaosBadInputTest : public ChaosEngineTest, public ::testing::WithParamInterface<BadCase> {};

TEST_P(ChaosBadInputTest, RefusedBeforeAnyLoadAndAnyFault) {
  RunResult r = run(script("5s", GetParam().options));
  EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
  EXPECT_NE(r.err.find(GetParam().error), std::string::npos) << describe(r);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line\n" << r.err;
  EXPECT_TRUE(fake_.calls().empty());
  EXPECT_EQ(server_.stats().value("requests", -1), 0);
  EXPECT_TRUE(pending().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ChaosBadInputTest,
    ::testing::Values(
        BadCase{"UnknownAction", "chaos = { { at = '1s', action = 'pod-nuke', target = 'cart' } },",
                "error: options.chaos[1].action: unknown action 'pod-nuke'"},
        BadCase{"UnknownTarget", "chaos = { { at = '1s', action = 'pod-kill', target = 'crat' } },",
                "error: options.chaos[1].target: unknown deployment 'crat' (deployments: cart, "
                "payment)"},
        BadCase{"SelectorMatchesNothing",
                "chaos = { { at = '1s', action = 'pod-kill', target = 'app=nothing' } },",
                "error: options.chaos[1].target: selector 'app=nothing' matches no pod"},
        BadCase{"OverlappingActions",
                "chaos = { { at = '1s', action = 'fault', target = 'cart', hang = true, "
                "duration = '3s' }, { at = '2s', action = 'pod-kill', target = 'cart' } },",
                "error: options.chaos[2]: overlaps fault#1 on deployment 'cart'"},
        BadCase{"ValidationNamesAMissingAction",
                "chaos = { { at = '1s', action = 'pod-kill', target = 'cart' } },\n"
                "expect = { { kind = 'recovery', after = 'pod-pause', within = '5s' } },",
                "error: options.expect[1].after: no chaos action 'pod-pause' (actions: "
                "pod-kill#1)"},
        BadCase{"TooManyPods",
                "chaos = { max_pods = 1, { at = '1s', action = 'pod-kill', target = 'cart', "
                "mode = 'all' } },",
                "error: options.chaos[1]: would hit 2 pods, more than max_pods (1)"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST_F(ChaosEngineTest, UnreachablePlatformIsRefused) {
  api_->stop();
  RunResult r =
      run(script("5s", "chaos = { { at = '1s', action = 'pod-kill', target = 'cart' } },"));
  EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
  EXPECT_NE(
      r.err.find("error: chaos: the local runtime (" + state_ + "/runtime.json) is not reachable"),
      std::string::npos)
      << describe(r);
  EXPECT_EQ(server_.stats().value("requests", -1), 0);
}

TEST_F(ChaosEngineTest, NoRuntimeAtAll) {
  RunResult r = run_script(dir_,
                           script("5s",
                                  "chaos = { { at = '1s', action = 'pod-kill', "
                                  "target = 'cart' } },"),
                           {"--state-dir", (dir_.path() / "nowhere").string()});
  EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
  EXPECT_NE(r.err.find("nowhere/runtime.json: not found"), std::string::npos) << describe(r);
}

TEST_F(ChaosEngineTest, FaultsAreRevertedAtTheEndAndEveryStepIsLogged) {
  RunResult r = run(script("3s", R"(
    chaos = { { at = '500ms', action = 'fault', target = 'payment', error_rate = 1 },
              { at = '1s', action = 'pod-kill', target = 'cart' } },
    expect = { { kind = 'self-healing', after = 'pod-kill', restart_allowance = '2s' } },)"));
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_FALSE(fake_.pod_faults("payment-1")) << "reverted at the end";
  EXPECT_TRUE(pending().empty());
  nlohmann::json j = results();
  ASSERT_TRUE(j.is_object()) << describe(r);
  std::vector<std::string> steps;
  for (const auto& e : j["chaos"]["events"]) {
    steps.push_back(e["action_id"].get<std::string>() + " " + e["phase"].get<std::string>());
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"fault#1 requested", "fault#1 applied",
                                             "pod-kill#1 requested", "pod-kill#1 applied",
                                             "fault#1 reverted"}));
  ASSERT_EQ(j["validations"].size(), 1u);
  EXPECT_TRUE(j["validations"][0]["passed"].get<bool>()) << j["validations"].dump(2);
  EXPECT_FALSE(j["platform"]["samples"].empty());
  bool killed = false;
  for (const auto& e : j["platform"]["events"]) killed |= e["kind"] == "pod-deleted";
  EXPECT_TRUE(killed);
  EXPECT_NE(r.out.find("✓ self-healing after pod-kill#1"), std::string::npos) << r.out;
}

TEST_F(ChaosEngineTest, FailingValidationExits99WithItsReason) {
  // The fake restarts nothing on its own: a hung pod is never healed.
  RunResult r = run(script("3s", R"(
    chaos = { { at = '500ms', action = 'fault', target = 'payment', hang = true, duration = '1s' } },
    expect = { { kind = 'self-healing', after = 'fault', within = '1s' } },)"));
  EXPECT_EQ(r.exit_code, 99) << describe(r);
  EXPECT_NE(r.out.find("✗ self-healing after fault#1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no restart of payment-1 was observed after fault#1"), std::string::npos)
      << r.out;
  EXPECT_FALSE(fake_.pod_faults("payment-1"));
}

TEST_F(ChaosEngineTest, SigintRevertsAtOnce) {
  std::string path = dir_.write("script.lua", script("60s", R"(
    chaos = { { at = '200ms', action = 'fault', target = 'cart', mode = 'all', latency_ms = 100 },
              { at = '300ms', action = 'scale', target = 'payment', replicas = 3 } },)"));
  StampedeProcess p({"run", "--quiet", "--state-dir", state_, "--out", dir_.out_dir(), path},
                    dir_.path());
  ASSERT_TRUE(p.started());
  ASSERT_TRUE(eventually([&] { return fake_.replicas("payment") == 3; }));
  EXPECT_TRUE(fake_.pod_faults("cart-1") && fake_.pod_faults("cart-2"));
  EXPECT_EQ(pending().size(), 3u);
  p.signal(SIGINT);
  RunResult r = p.wait(std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 105) << describe(r);
  EXPECT_FALSE(fake_.pod_faults("cart-1"));
  EXPECT_FALSE(fake_.pod_faults("cart-2"));
  EXPECT_EQ(fake_.replicas("payment"), 1);
  EXPECT_TRUE(pending().empty());
}

TEST_F(ChaosEngineTest, CrashLeavesTheJournalAndChaosRevertUndoesIt) {
  std::string path = dir_.write("script.lua", script("60s", R"(
    chaos = { { at = '200ms', action = 'pod-pause', target = 'cart', duration = '50s' },
              { at = '300ms', action = 'proxy-fault', target = 'payment', blackhole = true } },)"));
  {
    StampedeProcess p({"run", "--quiet", "--state-dir", state_, path}, dir_.path());
    ASSERT_TRUE(p.started());
    ASSERT_TRUE(eventually([&] { return fake_.service_fault("payment").has_value(); }));
    p.signal(SIGKILL);  // a crash: no chance to revert
    RunResult r = p.wait(std::chrono::seconds(10));
    EXPECT_EQ(r.term_signal, SIGKILL);
  }
  std::vector<std::string> left = pending();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0], "clear the network fault of Service payment");
  EXPECT_EQ(left[1].rfind("resume pod cart-", 0), 0u);

  // A new run refuses to start while faults are pending.
  RunResult refused = run(script("2s",
                                 "chaos = { { at = '1s', action = 'pod-kill', "
                                 "target = 'payment' } },"));
  EXPECT_EQ(refused.exit_code, kInvalid) << describe(refused);
  EXPECT_NE(refused.err.find("an earlier run did not revert"), std::string::npos);
  EXPECT_NE(refused.err.find("stampede chaos revert --state-dir " + state_), std::string::npos);

  // Nor may a run with validations only (no actions) erase what is left to revert.
  RunResult judged = run(script("1s",
                                "expect = { { kind = 'autoscaling', target = 'payment', "
                                "scale_up_within = '1s' } },"));
  EXPECT_NE(judged.exit_code, kInvalid) << describe(judged);
  EXPECT_EQ(pending().size(), 2u) << describe(judged);

  RunResult revert = run_stampede({"chaos", "revert", "--state-dir", state_}, dir_);
  EXPECT_EQ(revert.exit_code, 0) << describe(revert);
  EXPECT_NE(revert.out.find("reverted: clear the network fault of Service payment (proxy-fault#1)"),
            std::string::npos)
      << revert.out;
  EXPECT_NE(revert.out.find("reverted 2 fault(s)"), std::string::npos);
  EXPECT_FALSE(fake_.service_fault("payment"));
  EXPECT_FALSE(fake_.paused("cart-1"));
  EXPECT_FALSE(fake_.paused("cart-2"));
  EXPECT_TRUE(pending().empty());
  RunResult again = run_stampede({"chaos", "revert", "--state-dir", state_}, dir_);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing to revert"), std::string::npos);
}

TEST_F(ChaosEngineTest, CrashBetweenApplyAndJournalIsRevertedToo) {
  // What a run that died right after the platform call leaves: the intent, no "applied".
  FaultKnobs hang;
  hang.hang = true;
  {
    auto journal = ChaosJournal::open(chaos_journal_path(state_), "crashed", true);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE(journal.value()
                    ->intend("fault#1", "fault",
                             UndoStep{UndoStep::Kind::kClearPodFaults, "cart-2", 0}, "fake")
                    .ok());
  }
  ASSERT_TRUE(fake_.set_pod_faults("cart-2", hang).ok());
  RunResult revert = run_stampede({"chaos", "revert", "--state-dir", state_}, dir_);
  EXPECT_EQ(revert.exit_code, 0) << describe(revert);
  EXPECT_FALSE(fake_.pod_faults("cart-2"));
}

TEST_F(ChaosEngineTest, RevertWithoutARuntimeKeepsTheJournal) {
  {
    auto journal = ChaosJournal::open(chaos_journal_path(state_), "crashed", true);
    ASSERT_TRUE(
        journal.value()
            ->intend("scale#1", "scale", UndoStep{UndoStep::Kind::kScale, "cart", 2}, "fake")
            .ok());
  }
  api_->stop();
  RunResult r = run_stampede({"chaos", "revert", "--state-dir", state_}, dir_);
  EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
  EXPECT_NE(r.err.find("1 fault(s) stay in " + chaos_journal_path(state_)), std::string::npos)
      << describe(r);
  EXPECT_EQ(pending().size(), 1u);
}

TEST_F(ChaosEngineTest, GuardAbortsWhenAvailabilityFallsBelowTheFloor) {
  RunResult r = run(script("60s", R"(
    chaos = { guard = { min_availability = 0.9, window = '2s' },
              { at = '200ms', action = 'fault', target = 'payment', error_rate = 1 } },)",
                           "/?status=500"));
  EXPECT_EQ(r.exit_code, 108) << describe(r);
  EXPECT_NE(r.err.find("chaos guard: availability 0.0000 over the last 2s"), std::string::npos)
      << describe(r);
  EXPECT_LT(r.elapsed, std::chrono::seconds(30));
  EXPECT_FALSE(fake_.pod_faults("payment-1"));
  EXPECT_TRUE(pending().empty());
}

TEST_F(ChaosEngineTest, ConnectionResetsAreCountedForZeroDowntime) {
  RunResult r = run(script("3s", R"(
    chaos = { { at = '500ms', action = 'rollout-restart', target = 'cart' } },
    expect = { { kind = 'zero-downtime', during = 'rollout-restart', min = 0 } },)",
                           "/reset"));
  EXPECT_EQ(r.exit_code, 99) << describe(r);
  nlohmann::json j = results();
  ASSERT_TRUE(j.is_object());
  std::string summary = j["validations"][0]["summary"];
  // The fake's rollout finishes at once; resets in the second it happened count.
  EXPECT_NE(summary.find("connection resets"), std::string::npos) << summary;
}

// Every script in scenarios/chaos/ loads, and its plan passes preflight against a fake shaped
// like the shop (the experiments themselves run against `stampede up` in chaos_pairs_test).
TEST(ChaosScenariosTest, EveryScenarioPassesADryRunAgainstAShopShapedPlatform) {
  TempDir dir;
  FakePlatform fake;
  for (const char* name : {"frontend", "cart", "checkout", "payment", "redis"}) {
    DeploymentState d = deployment(name);
    if (std::string(name) == "frontend") d.hpa = cpu_hpa(name, 1, 4, 50);
    fake.add_deployment(d, std::string(name) == "frontend" ? 2 : 1);
  }
  std::string state = (dir.path() / "state").string();
  std::filesystem::create_directories(state);
  auto api = FakeRuntimeApi::start(fake, state);
  ASSERT_TRUE(api.ok());
  int scripts = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(STAMPEDE_SOURCE_DIR) + "/scenarios/chaos")) {
    if (entry.path().extension() != ".lua" || entry.path().filename() == "traffic.lua") continue;
    ++scripts;
    RunResult r =
        run_stampede({"run", "--dry-run", "--state-dir", state, entry.path().string()}, dir);
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << describe(r);
    EXPECT_NE(r.out.find("dry run: no load was sent and no fault applied"), std::string::npos)
        << r.out;
  }
  EXPECT_EQ(scripts, 7);  // the six resilience scenarios and the quick-start demo
  EXPECT_TRUE(fake.calls().empty());
}

}  // namespace
}  // namespace stampede::engine_test
