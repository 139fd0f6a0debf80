#include "engine/chaos/preflight.h"

#include <gtest/gtest.h>

#include "engine/chaos/chaos_test_util.h"
#include "engine/chaos/dry_run.h"

namespace stampede {
namespace {

using chaos_test::action;

class PreflightTest : public ::testing::Test {
 protected:
  void SetUp() override { chaos_test::add_shop(fake_); }

  std::string error_of(const ChaosPlan& plan) {
    auto r = preflight(fake_, plan);
    return r.ok() ? "(no error)" : r.error().message();
  }

  FakePlatform fake_;
};

TEST_F(PreflightTest, PreviewsWhatEachActionWouldHit) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "frontend", 10));
  ChaosAction fault = action(ActionKind::kFault, "app=cart", 20, 5);
  fault.mode = PodMode::kAll;
  fault.knobs.error_rate = 1;
  plan.actions.push_back(fault);
  ChaosAction scale = action(ActionKind::kScale, "payment", 30, 5);
  scale.replicas = 0;
  plan.actions.push_back(scale);
  ChaosAction proxy = action(ActionKind::kProxyFault, "cart", 40, 5);
  proxy.network.latency_ms = 100;
  plan.actions.push_back(proxy);
  auto r = preflight(fake_, plan);
  ASSERT_TRUE(r.ok()) << r.error().message();
  const auto& a = r.value().actions;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].candidates, (std::vector<std::string>{"frontend-1", "frontend-2", "frontend-3"}));
  EXPECT_EQ(a[0].would_hit, 1u);
  EXPECT_EQ(a[1].would_hit, 2u);
  EXPECT_EQ(a[1].effect, "fault error_rate=1 for 5s");
  EXPECT_EQ(a[2].effect, "scale 1 -> 0 for 5s");
  EXPECT_EQ(a[3].deployments, std::vector<std::string>{"service:cart"});
  EXPECT_TRUE(fake_.calls().empty()) << "preflight must not act";

  std::string text = render_dry_run(plan, r.value());
  EXPECT_NE(text.find("chaos plan against fake platform"), std::string::npos) << text;
  EXPECT_NE(text.find("pod-kill#1: at 10s, kill (delete, grace period 0) on frontend"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("would hit 1 of 3 (one pod, max_pods 5): frontend-1, frontend-2, frontend-3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("would hit 2 of 2 (all pods, max_pods 5): cart-1, cart-2"), std::string::npos)
      << text;
  EXPECT_NE(text.find("scale#1: at 30s, scale 1 -> 0 for 5s on payment"), std::string::npos)
      << text;
  EXPECT_NE(text.find("proxy fault latency_ms=100 for 5s on Service cart"), std::string::npos)
      << text;
  EXPECT_NE(text.find("no load was sent and no fault applied"), std::string::npos) << text;
}

TEST_F(PreflightTest, UnknownTargetListsTheDeployments) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "cartt", 1));
  EXPECT_EQ(error_of(plan),
            "options.chaos[1].target: unknown deployment 'cartt' (deployments: cart, frontend, "
            "payment)");
}

TEST_F(PreflightTest, SelectorMatchingNothing) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "app=nothing", 1));
  EXPECT_EQ(error_of(plan), "options.chaos[1].target: selector 'app=nothing' matches no pod");
}

TEST_F(PreflightTest, DeploymentWithoutRunningPods) {
  ASSERT_TRUE(fake_.scale("payment", 0).ok());
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "payment", 1));
  EXPECT_EQ(error_of(plan), "options.chaos[1].target: deployment 'payment' has no running pod");
}

TEST_F(PreflightTest, UnknownService) {
  ChaosPlan plan;
  ChaosAction proxy = action(ActionKind::kProxyFault, "nope", 1, 2);
  proxy.network.blackhole = true;
  plan.actions.push_back(proxy);
  EXPECT_NE(error_of(plan).find("options.chaos[1].target: no Service 'nope' (Services: cart, "),
            std::string::npos)
      << error_of(plan);
}

TEST_F(PreflightTest, CapOnPodsPerAction) {
  ChaosPlan plan;
  ChaosAction all = action(ActionKind::kPodKill, "frontend", 1);
  all.mode = PodMode::kAll;
  all.max_pods = 2;
  plan.actions.push_back(all);
  EXPECT_EQ(error_of(plan),
            "options.chaos[1]: would hit 3 pods, more than max_pods (2); raise max_pods or "
            "narrow the target");
  plan.actions[0].mode = PodMode::kFixed;
  plan.actions[0].count = 5;
  plan.actions[0].max_pods = 10;
  EXPECT_EQ(error_of(plan), "options.chaos[1].count: 5 pods asked for but only 3 match 'frontend'");
}

TEST_F(PreflightTest, OverlappingActionsOnOneDeployment) {
  ChaosPlan plan;
  ChaosAction fault = action(ActionKind::kFault, "cart", 10, 10, "fault#1");
  fault.knobs.hang = true;
  plan.actions.push_back(fault);
  ChaosAction kill = action(ActionKind::kPodKill, "app=cart", 15, -1, "pod-kill#1");
  kill.path = "options.chaos[2]";
  plan.actions.push_back(kill);
  EXPECT_EQ(error_of(plan),
            "options.chaos[2]: overlaps fault#1 on deployment 'cart' (15s-15s and 10s-20s); a "
            "pod takes one action at a time: move one or narrow its target");
  // After the fault is reverted the kill is fine; another deployment is fine too.
  plan.actions[1].at = 21 * kNanosPerSecond;
  EXPECT_EQ(error_of(plan), "(no error)");
  plan.actions[1].at = 15 * kNanosPerSecond;
  plan.actions[1].target = "payment";
  plan.actions[1].selector = false;
  EXPECT_EQ(error_of(plan), "(no error)");
  // A reversible action without a duration lasts until the run ends.
  ChaosAction down = action(ActionKind::kDependencyDown, "payment", 30, -1, "dependency-down#1");
  down.path = "options.chaos[3]";
  plan.actions.push_back(down);
  ChaosAction late = action(ActionKind::kPodKill, "payment", 50, -1, "pod-kill#2");
  late.path = "options.chaos[4]";
  plan.actions.push_back(late);
  EXPECT_NE(error_of(plan).find("options.chaos[4]: overlaps dependency-down#1 on deployment "
                                "'payment' (50s-50s and 30s-end)"),
            std::string::npos)
      << error_of(plan);
}

TEST_F(PreflightTest, ValidationsNeedTheirDeployments) {
  ChaosPlan plan;
  Expectation scaling;
  scaling.kind = ExpectKind::kAutoscaling;
  scaling.path = "options.expect[1]";
  scaling.target = "cart";
  plan.expectations.push_back(scaling);
  EXPECT_EQ(error_of(plan),
            "options.expect[1].target: deployment 'cart' has no HPA (autoscaling.enabled is "
            "false in its values)");
  plan.expectations[0].target = "frontend";
  EXPECT_EQ(error_of(plan), "(no error)");
  Expectation breaker;
  breaker.kind = ExpectKind::kCircuitBreaker;
  breaker.path = "options.expect[2]";
  breaker.caller = "checkout";
  plan.expectations.push_back(breaker);
  EXPECT_NE(error_of(plan).find("options.expect[2].caller: unknown deployment 'checkout'"),
            std::string::npos);
}

TEST_F(PreflightTest, UnreachablePlatform) {
  fake_.set_reachable(false);
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "cart", 1));
  EXPECT_EQ(error_of(plan),
            "chaos: the platform is not reachable (fake platform): fake platform: connection "
            "refused");
}

TEST_F(PreflightTest, ActionsThePlatformCannotDoAreRefusedWithItsReason) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "frontend", 5));
  ChaosAction pause = action(ActionKind::kPodPause, "cart", 10, 2, "pod-pause#1");
  pause.path = "options.chaos[2]";
  plan.actions.push_back(pause);
  EXPECT_EQ(error_of(plan), "(no error)");
  fake_.set_cannot(Capability::kPausePod, "a cluster cannot pause a container");
  EXPECT_EQ(error_of(plan),
            "options.chaos[2]: pod-pause#1 cannot run on fake platform: a cluster cannot pause a "
            "container");
  EXPECT_TRUE(fake_.calls().empty());
  ChaosPlan faults;
  faults.actions.push_back(action(ActionKind::kFault, "payment", 5, 1, "fault#1"));
  fake_.set_cannot(Capability::kPodFaults, "no admin token");
  EXPECT_EQ(error_of(faults),
            "options.chaos[1]: fault#1 cannot run on fake platform: no admin token");
  fake_.set_cannot(Capability::kPodFaults, "");
  EXPECT_EQ(error_of(faults), "(no error)");
  fake_.fail_next("check-faults");
  EXPECT_EQ(error_of(faults),
            "options.chaos[1]: fault#1: the fault knobs of payment-1 cannot be reached: fake "
            "platform: check-faults failed (injected)");
}

}  // namespace
}  // namespace stampede
