// The stampede binary's chaos behaviour end to end: the load goes to a real stampede-testserver,
// and chaos acts on a real `stampede up` (cart x2 and payment with an HPA) through its
// Kubernetes API, found through <state dir>/kubeconfig exactly as a user's run finds it: dry
// runs, bad input, the journal, revert on every way a run ends, the guard and exit codes.
#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "engine/chaos/chaos_journal.h"
#include "targets/kubernetes/base64.h"
#include "tests/engine/engine_fixture.h"
#include "tests/runtime/local_shop.h"

namespace stampede::engine_test {
namespace {

using runtime_test::LocalShop;
using runtime_test::UpOptions;

constexpr int kInvalid = 104;

template <class F>
bool eventually(F condition, int seconds = 20) {
  for (int i = 0; i < seconds * 100; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// cart x2 (fast readiness) and payment x1 with an HPA, short grace periods.
constexpr const char* kValues = R"(services:
  cart:
    replicas: 2
    readinessProbe: {grpc: {port: 7070}, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1}
    terminationGracePeriodSeconds: 2
  payment:
    terminationGracePeriodSeconds: 2
    autoscaling: {enabled: true, minReplicas: 1, maxReplicas: 2, targetCPUUtilizationPercentage: 50, behavior: {}}
)";

class ChaosEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    UpOptions options;
    options.enabled = {"cart", "payment"};
    options.values_yaml = kValues;
    shop_ = LocalShop::up(options);
    ASSERT_TRUE(shop_->ready()) << shop_->up_output();
    state_ = shop_->state_dir();
    cart_ = pod_names("cart");
    ASSERT_EQ(cart_.size(), 2u);
    payment_ = pod_names("payment");
    ASSERT_EQ(payment_.size(), 1u);
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

  // The deployment's pods that are not being deleted, sorted.
  std::vector<std::string> pod_names(const std::string& deployment) {
    std::vector<std::string> out;
    for (const auto& p : shop_->pods(deployment)) {
      if (p["phase"] != "Terminating") out.push_back(p["name"].get<std::string>());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  nlohmann::json pod(const std::string& name) { return shop_->get("/v1/pods/" + name); }

  // The shop's admin token, from the Secret the runtime serves (as a runner on a cluster reads
  // it).
  std::string admin_token() {
    auto secret = shop_->call("GET", "/api/v1/namespaces/default/secrets/admin-token");
    if (secret.status != 200) return "";
    auto token = kube::base64_decode(secret.body["data"]["admin-token"].get<std::string>());
    return token.value_or("");
  }
  // Whether any fault knob is set on the pod, asked of its admin endpoint.
  bool faulted(const std::string& name) {
    nlohmann::json p = pod(name);
    if (!p.is_object() || !p["ports"].contains("admin")) return false;
    std::string reply = raw_http(p["ports"]["admin"].get<int>(),
                                 "GET /admin/faults HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                     admin_token() + "\r\nConnection: close\r\n\r\n");
    size_t body = reply.find("\r\n\r\n");
    if (body == std::string::npos) return false;
    nlohmann::json k = nlohmann::json::parse(reply.substr(body + 4), nullptr, false);
    if (!k.is_object()) return false;
    return k.value("latency_ms", 0) > 0 || k.value("error_rate", 0.0) > 0 ||
           k.value("hang", false) || k.value("unhealthy", false);
  }
  bool service_faulted(const std::string& service) {
    for (const auto& s : shop_->get("/v1/services")) {
      if (s["name"] == service) return !s["fault"].is_null();
    }
    return false;
  }
  bool paused(const std::string& name) { return pod(name)["state"] == "paused"; }
  int replicas(const std::string& deployment) {
    return shop_->deployment(deployment)["replicas"].get<int>();
  }
  // Nothing was done to the shop: the same pods, none faulted, paused or restarted.
  void expect_untouched() {
    EXPECT_EQ(pod_names("cart"), cart_);
    EXPECT_EQ(pod_names("payment"), payment_);
    for (const std::string& p : cart_) {
      EXPECT_FALSE(faulted(p)) << p;
      EXPECT_EQ(pod(p)["restarts"], 0) << p;
    }
    EXPECT_FALSE(faulted(payment_[0]));
  }

  TestServer server_;
  TempDir dir_;
  std::unique_ptr<LocalShop> shop_;
  std::string state_;
  std::vector<std::string> cart_;
  std::vector<std::string> payment_;
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
                             UndoStep{UndoStep::Kind::kClearPodFaults, cart_[1], 0}, "local")
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
    ASSERT_TRUE(
        journal.value()
            ->intend("scale#1", "scale", UndoStep{UndoStep::Kind::kScale, "cart", 2}, "local")
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

// Through --kubeconfig the local runtime is addressed as any cluster: the dry run names the
// server, context and namespace, and lists the RBAC rules the plan needs.
TEST_F(ChaosEngineTest, ClusterFlagsDryRunListsTheRbacRules) {
  dir_.write("script.lua", script("5s", R"(
    chaos = { { at = '1s', action = 'pod-kill', target = 'cart' },
              { at = '2s', action = 'scale', target = 'payment', replicas = 2, duration = '1s' } },)"));
  RunResult r =
      run_stampede({"run", "--dry-run", "--kubeconfig", state_ + "/kubeconfig", "--state-dir",
                    (dir_.path() / "journal").string(), (dir_.path() / "script.lua").string()},
                   dir_);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("chaos plan against Kubernetes https://127.0.0.1:"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("(kubeconfig " + state_ +
                       "/kubeconfig, context stampede-local, namespace "
                       "default)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("RBAC rules it needs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  core pods: delete, get, list, watch\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  apps deployments/scale: patch\n"), std::string::npos) << r.out;
  expect_untouched();
  RunResult wrong = run_stampede({"run", "--dry-run", "--kubeconfig", state_ + "/kubeconfig",
                                  "--context", "prod", (dir_.path() / "script.lua").string()},
                                 dir_);
  EXPECT_EQ(wrong.exit_code, kInvalid) << describe(wrong);
  EXPECT_NE(wrong.err.find("context \"prod\" not found (contexts: stampede-local)"),
            std::string::npos)
      << describe(wrong);
}

// A cluster has no API to pause a container or fault a Service's proxy: with the local
// extensions off, `stampede up` answers as a real cluster would, and such a plan is refused at
// preflight (exit 104) with the reason, before any load and any fault.
TEST(ChaosClusterTest, PauseAndProxyFaultsAreRefusedWithoutTheLocalExtensions) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  UpOptions options;
  options.enabled = {"cart"};
  options.sets = {"localRuntime.kubernetesApi.extensions=false"};
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  TempDir dir;
  struct Case {
    const char* action;
    const char* reason;
  };
  for (Case c : {Case{"{ at = '1s', action = 'pod-pause', target = 'cart', duration = '1s' }",
                      "pod-pause#1 cannot run on Kubernetes https://127.0.0.1:"},
                 Case{"{ at = '1s', action = 'proxy-fault', target = 'cart', latency_ms = 50 }",
                      "proxy-fault#1 cannot run on Kubernetes https://127.0.0.1:"}}) {
    std::string code = with_base(
        server, "options = { vus = 1, duration = '3s', chaos = { " + std::string(c.action) +
                    " } }\nfunction default() http.get(BASE .. '/') end\n");
    RunResult r = run_script(dir, code,
                             {"--kubeconfig", shop->state_dir() + "/kubeconfig", "--state-dir",
                              (dir.path() / "journal").string()});
    EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find(std::string(c.action).find("pause") != std::string::npos
                             ? "Kubernetes has no API for it"
                             : "service mesh"),
              std::string::npos)
        << describe(r);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line\n" << r.err;
  }
  EXPECT_EQ(server.stats().value("requests", -1), 0);
  for (const auto& p : shop->pods("cart")) EXPECT_EQ(p["state"], "running") << p.dump();
}

// Every script in scenarios/chaos/ loads, and its plan passes preflight against the shop under
// `stampede up` with redis and the frontend's HPA on (the experiments themselves run in
// chaos_pairs_test).
TEST(ChaosScenariosTest, EveryScenarioPassesADryRunAgainstTheShop) {
  TempDir dir;
  UpOptions options;
  options.values_yaml = R"(services:
  redis: {enabled: true}
  frontend:
    replicas: 2
    autoscaling: {enabled: true, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 50, behavior: {}}
)";
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  int scripts = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(STAMPEDE_SOURCE_DIR) + "/scenarios/chaos")) {
    if (entry.path().extension() != ".lua" || entry.path().filename() == "traffic.lua") continue;
    ++scripts;
    RunResult r = run_stampede({"run", "--dry-run", "--state-dir", shop->state_dir(), "-e",
                                "BASE=" + shop->url(), entry.path().string()},
                               dir);
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << describe(r);
    EXPECT_NE(r.out.find("dry run: no load was sent and no fault applied"), std::string::npos)
        << r.out;
  }
  EXPECT_EQ(scripts, 7);  // the six resilience scenarios and the quick-start demo
  for (const auto& d : shop->get("/v1/deployments")) {
    EXPECT_EQ(d["ready"], d["replicas"]) << d["name"];
  }
}

}  // namespace
}  // namespace stampede::engine_test
