// The stampede binary's chaos behaviour end to end (fixture: chaos_shop_fixture.h): dry runs,
// bad input, the journal, revert on every way a run ends, the guard and exit codes.
#include <signal.h>

#include <fstream>

#include "tests/chaos/chaos_shop_fixture.h"

namespace stampede::engine_test {
namespace {

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
  EXPECT_NE(r.out.find("chaos plan against local runtime https://127.0.0.1:"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("(" + state_ + ")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod-kill#1: at 1s, kill (delete, grace period 0) on cart"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("would hit 1 of 2 (one pod, max_pods 5): " + cart_[0] + ", " + cart_[1]),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("would hit 1 of 1 (all pods, max_pods 5): " + payment_[0]),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("recovery after pod-kill#1 (recovery)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("RBAC rules"), std::string::npos) << "the local runtime checks no RBAC";
  expect_untouched();
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
  expect_untouched();
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
  // A runtime that died without `stampede down` leaves its kubeconfig behind.
  std::string kubeconfig = read_text(state_ + "/kubeconfig");
  ASSERT_EQ(shop_->down().exit_code, 0);
  std::ofstream(state_ + "/kubeconfig") << kubeconfig;
  RunResult r =
      run(script("5s", "chaos = { { at = '1s', action = 'pod-kill', target = 'cart' } },"));
  EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
  EXPECT_NE(
      r.err.find("error: chaos: the local runtime (" + state_ + "/kubeconfig) is not reachable"),
      std::string::npos)
      << describe(r);
  EXPECT_NE(r.err.find("is `stampede up` still running?"), std::string::npos) << describe(r);
  EXPECT_EQ(server_.stats().value("requests", -1), 0);
}

TEST_F(ChaosEngineTest, NoRuntimeAtAll) {
  RunResult r = run_script(dir_,
                           script("5s",
                                  "chaos = { { at = '1s', action = 'pod-kill', "
                                  "target = 'cart' } },"),
                           {"--state-dir", (dir_.path() / "nowhere").string()});
  EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
  EXPECT_NE(r.err.find("no local runtime in " + (dir_.path() / "nowhere").string() + " ("),
            std::string::npos)
      << describe(r);
  EXPECT_NE(r.err.find("start one with `stampede up"), std::string::npos) << describe(r);
}

TEST_F(ChaosEngineTest, FaultsAreRevertedAtTheEndAndEveryStepIsLogged) {
  RunResult r = run(script("5s", R"(
    chaos = { { at = '500ms', action = 'fault', target = 'payment', error_rate = 1 },
              { at = '1s', action = 'pod-kill', target = 'cart' } },
    expect = { { kind = 'self-healing', after = 'pod-kill', restart_allowance = '2s' } },)"));
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_FALSE(faulted(payment_[0])) << "reverted at the end";
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
  EXPECT_EQ(j["platform"]["event_times"], "observed");
  EXPECT_EQ(pod_names("cart").size(), 2u);
  EXPECT_NE(r.out.find("✓ self-healing after pod-kill#1"), std::string::npos) << r.out;
}

TEST_F(ChaosEngineTest, FailingValidationExits99WithItsReason) {
  // payment's liveness probe (every 5 s, 3 failures) cannot restart it within 1 s.
  RunResult r = run(script("3s", R"(
    chaos = { { at = '500ms', action = 'fault', target = 'payment', hang = true, duration = '1s' } },
    expect = { { kind = 'self-healing', after = 'fault', within = '1s' } },)"));
  EXPECT_EQ(r.exit_code, 99) << describe(r);
  EXPECT_NE(r.out.find("✗ self-healing after fault#1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no restart of " + payment_[0] + " was observed after fault#1"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(faulted(payment_[0]));
}

TEST_F(ChaosEngineTest, SigintRevertsAtOnce) {
  std::string path = dir_.write("script.lua", script("60s", R"(
    chaos = { { at = '200ms', action = 'fault', target = 'cart', mode = 'all', latency_ms = 100 },
              { at = '300ms', action = 'scale', target = 'payment', replicas = 3 } },)"));
  StampedeProcess p({"run", "--quiet", "--state-dir", state_, "--out", dir_.out_dir(), path},
                    dir_.path());
  ASSERT_TRUE(p.started());
  ASSERT_TRUE(eventually([&] { return replicas("payment") == 3; }));
  EXPECT_TRUE(faulted(cart_[0]) && faulted(cart_[1]));
  EXPECT_EQ(pending().size(), 3u);
  p.signal(SIGINT);
  RunResult r = p.wait(std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 105) << describe(r);
  EXPECT_FALSE(faulted(cart_[0]));
  EXPECT_FALSE(faulted(cart_[1]));
  EXPECT_EQ(replicas("payment"), 1);
  EXPECT_TRUE(pending().empty());
}

TEST_F(ChaosEngineTest, CrashLeavesTheJournalAndChaosRevertUndoesIt) {
  std::string path = dir_.write("script.lua", script("60s", R"(
    chaos = { { at = '200ms', action = 'pod-pause', target = 'cart', duration = '50s' },
              { at = '300ms', action = 'proxy-fault', target = 'payment', blackhole = true } },)"));
  {
    StampedeProcess p({"run", "--quiet", "--state-dir", state_, path}, dir_.path());
    ASSERT_TRUE(p.started());
    ASSERT_TRUE(eventually([&] { return service_faulted("payment"); }));
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
  EXPECT_NE(refused.err.find("on local runtime (" + state_ + ")"), std::string::npos)
      << describe(refused);

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
  EXPECT_FALSE(service_faulted("payment"));
  EXPECT_FALSE(paused(cart_[0]));
  EXPECT_FALSE(paused(cart_[1]));
  EXPECT_TRUE(pending().empty());
  RunResult again = run_stampede({"chaos", "revert", "--state-dir", state_}, dir_);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing to revert"), std::string::npos);
}

TEST_F(ChaosEngineTest, CrashBetweenApplyAndJournalIsRevertedToo) {
  // What a run that died right after the platform call leaves: the intent, no "applied".
  {
    auto journal = ChaosJournal::open(chaos_journal_path(state_), "crashed", true);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE(journal.value()
                    ->intend("fault#1", "fault",
                             UndoStep{UndoStep::Kind::kClearPodFaults, cart_[1], 0},
                             "local runtime (" + state_ + ")")
                    .ok());
  }
  ASSERT_EQ(shop_->call("PUT", "/v1/pods/" + cart_[1] + "/faults", R"({"latency_ms": 50})").status,
            200);
  ASSERT_TRUE(faulted(cart_[1]));
  RunResult revert = run_stampede({"chaos", "revert", "--state-dir", state_}, dir_);
  EXPECT_EQ(revert.exit_code, 0) << describe(revert);
  EXPECT_FALSE(faulted(cart_[1]));
}

TEST_F(ChaosEngineTest, RevertWithoutARuntimeKeepsTheJournal) {
  {
    auto journal = ChaosJournal::open(chaos_journal_path(state_), "crashed", true);
    ASSERT_TRUE(journal.value()
                    ->intend("scale#1", "scale", UndoStep{UndoStep::Kind::kScale, "cart", 2},
                             "local runtime (" + state_ + ")")
                    .ok());
  }
  ASSERT_EQ(shop_->down().exit_code, 0);
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
  EXPECT_FALSE(faulted(payment_[0]));
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
  // Resets in the seconds of the rollout count.
  EXPECT_NE(summary.find("connection resets"), std::string::npos) << summary;
}

}  // namespace
}  // namespace stampede::engine_test
