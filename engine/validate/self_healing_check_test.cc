#include <gtest/gtest.h>

#include "engine/validate/validate_test_util.h"

namespace stampede {
namespace {

using validate_test::World;

Expectation healing(const std::string& after) {
  Expectation e;
  e.kind = ExpectKind::kSelfHealing;
  e.name = "self-healing after " + after;
  e.after = after;
  return e;
}

DeploymentState with_liveness(int failure_threshold, double period, double timeout, double grace) {
  DeploymentState d;
  d.name = "cart";
  ProbeSpec p;
  p.handler = "grpc";
  p.failure_threshold = failure_threshold;
  p.period_seconds = period;
  p.timeout_seconds = timeout;
  d.probes.liveness = p;
  d.termination_grace_period_seconds = grace;
  return d;
}

// A hang fault on cart-1 at 10 s; liveness 3 x 1 s with a 1 s timeout, grace 2 s: the bound is
// (3-1)x1 + 1 + 1 = 4 s of detection + 2 s grace + 5 s allowance = 11 s.
World hung(double restart_at) {
  World w;
  w.timeline = validate_test::steady(40);
  w.obs.deployments.push_back(with_liveness(3, 1, 1, 2));
  w.applied("fault#1", ActionKind::kFault, "cart", {"cart-1"}, 10, 30);
  if (restart_at >= 0) {
    w.event(restart_at, "pod-restarted", "cart", "cart-1");
    w.event(restart_at + 0.4, "pod-ready", "cart", "cart-1");
  }
  return w;
}

TEST(SelfHealingCheckTest, HungPodRestartedWithinTheProbeBound) {
  World w = hung(15.2);
  ValidationResult r = check_self_healing(healing("fault#1"), w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "cart-1 restarted 5.2 s after fault#1 (bound 11.0 s)");
  std::map<std::string, std::string> ev;
  for (const Evidence& e : r.evidence) ev[e.name] = e.value;
  EXPECT_EQ(ev["liveness probe"], "grpc, period 1s, timeout 1s, failureThreshold 3");
  EXPECT_EQ(ev["bound"], "11.0 s (detection 4.0 s + grace 2.0 s + restart allowance 5.0 s)");
  EXPECT_EQ(ev["ready again"], "5.6 s after the action");
}

TEST(SelfHealingCheckTest, RestartTooLateOrNever) {
  World late = hung(23);
  ValidationResult r = check_self_healing(healing("fault#1"), late.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "cart-1 restarted only 13.0 s after fault#1, later than the bound 11.0 s");
  World never = hung(-1);
  r = check_self_healing(healing("fault#1"), never.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "no restart of cart-1 was observed after fault#1 (bound 11.0 s)");
}

TEST(SelfHealingCheckTest, NoLivenessProbeMeansNoHealing) {
  World w = hung(-1);
  w.obs.deployments[0].probes.liveness.reset();
  ValidationResult r = check_self_healing(healing("fault#1"), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "deployment cart has no liveness probe: a hung pod is never restarted");
}

TEST(SelfHealingCheckTest, KilledPodIsReplacedWithinTheAllowance) {
  // A kill is a delete with no grace period: healing is a new pod Ready, not a restart.
  World w;
  w.timeline = validate_test::steady(30);
  w.obs.deployments.push_back(with_liveness(3, 10, 1, 30));
  w.applied("pod-kill#1", ActionKind::kPodKill, "cart", {"cart-1"}, 10, 10);
  w.event(10.0, "pod-deleted", "cart", "cart-1");
  w.event(10.1, "pod-created", "cart", "cart-9");
  w.event(10.2, "pod-ready", "cart", "cart-1");  // the killed pod itself: not a replacement
  w.event(11.4, "pod-ready", "cart", "cart-9");
  Expectation e = healing("pod-kill#1");
  e.restart_allowance = 2 * kNanosPerSecond;
  ValidationResult r = check_self_healing(e, w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "replaced by cart-9, Ready 1.4 s after pod-kill#1 (bound 2.0 s)");
  e.restart_allowance = kNanosPerSecond;
  r = check_self_healing(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "replacement cart-9 Ready only 1.4 s after pod-kill#1, later than the bound 1.0 s");
  World none;
  none.timeline = validate_test::steady(30);
  none.obs.deployments.push_back(with_liveness(3, 10, 1, 30));
  none.applied("pod-kill#1", ActionKind::kPodKill, "cart", {"cart-1"}, 10, 10);
  r = check_self_healing(healing("pod-kill#1"), none.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "no replacement for cart-1 was Ready after pod-kill#1 (bound 5.0 s)");
  // Two pods killed, one replacement: not healed; the second one makes it.
  World two;
  two.timeline = validate_test::steady(30);
  two.obs.deployments.push_back(with_liveness(3, 10, 1, 30));
  two.applied("pod-kill#1", ActionKind::kPodKill, "cart", {"cart-1", "cart-2"}, 10, 10);
  two.event(10.1, "pod-created", "cart", "cart-8");
  two.event(10.1, "pod-created", "cart", "cart-9");
  two.event(11.0, "pod-ready", "cart", "cart-8");
  EXPECT_FALSE(check_self_healing(healing("pod-kill#1"), two.input()).passed);
  two.event(12.5, "pod-ready", "cart", "cart-9");
  r = check_self_healing(healing("pod-kill#1"), two.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "replaced by cart-9, Ready 2.5 s after pod-kill#1 (bound 5.0 s)");
}

TEST(SelfHealingCheckTest, RestartSeenOnlyInTheRestartCount) {
  World w = hung(-1);
  for (int i = 0; i < 40; ++i) {
    PlatformSample s;
    s.t = i;
    s.deployment = "cart";
    s.restarts = i < 16 ? 0 : 1;
    w.resilience.platform_samples.push_back(s);
  }
  ValidationResult r = check_self_healing(healing("fault#1"), w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "cart restarted 6.0 s after fault#1 (bound 11.0 s)");
}

TEST(SelfHealingCheckTest, SlowButHealthyPodsMustNotBeRestarted) {
  World w;
  w.timeline = validate_test::steady(30);
  w.obs.deployments.push_back(with_liveness(1, 1, 1, 2));
  w.applied("pod-pause#1", ActionKind::kPodPause, "cart", {"cart-1"}, 10, 12);
  Expectation e = healing("pod-pause#1");
  e.restart = false;
  ValidationResult ok = check_self_healing(e, w.input());
  EXPECT_TRUE(ok.passed) << ok.summary;
  EXPECT_EQ(ok.summary, "no pod was restarted during pod-pause#1 (until 17.0 s)");
  // A later action's restart is not the stall's doing.
  w.applied("fault#1", ActionKind::kFault, "cart", {"cart-1"}, 14, 20);
  w.event(15, "pod-restarted", "cart", "cart-1");
  EXPECT_TRUE(check_self_healing(e, w.input()).passed);
  w.event(11.5, "pod-restarted", "cart", "cart-1");
  ValidationResult bad = check_self_healing(e, w.input());
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.summary,
            "pod cart-1 was restarted at 11.5 s although pod-pause#1 only slowed it (liveness: "
            "grpc, period 1s, timeout 1s, failureThreshold 1)");
}

TEST(SelfHealingCheckTest, NoRestartOfAWatchedDeploymentWhileItsDependencyIsDown) {
  World w;
  w.timeline = validate_test::steady(30);
  w.obs.deployments.push_back(with_liveness(1, 1, 1, 2));  // cart
  w.applied("dependency-down#1", ActionKind::kDependencyDown, "redis", {}, 10, 15);
  Expectation e = healing("dependency-down#1");
  e.restart = false;
  e.target = "cart";
  w.event(12, "pod-restarted", "redis", "redis-1");  // not watched
  ValidationResult ok = check_self_healing(e, w.input());
  EXPECT_TRUE(ok.passed) << ok.summary;
  w.event(13, "pod-restarted", "cart", "cart-2");
  ValidationResult bad = check_self_healing(e, w.input());
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.summary,
            "pod cart-2 was restarted at 13.0 s while dependency-down#1 was in effect, though "
            "only a dependency of it was down (liveness: grpc, period 1s, timeout 1s, "
            "failureThreshold 1)");
  std::map<std::string, std::string> ev;
  for (const Evidence& x : bad.evidence) ev[x.name] = x.value;
  EXPECT_EQ(ev["action"], "dependency-down#1 on redis");
  EXPECT_EQ(ev["watching"], "the pods of cart");
}

TEST(SelfHealingCheckTest, TerminatedPodIsReplaced) {
  World w;
  w.timeline = validate_test::steady(30);
  DeploymentState d = with_liveness(3, 10, 1, 30);
  ProbeSpec ready;
  ready.period_seconds = 2;
  d.probes.readiness = ready;
  w.obs.deployments.push_back(d);
  w.applied("pod-terminate#1", ActionKind::kPodTerminate, "cart", {"cart-1"}, 10, 10);
  w.event(10.2, "pod-created", "cart", "cart-7");
  w.event(11, "pod-ready", "cart", "cart-1");  // the old pod: not a replacement
  w.event(12, "pod-ready", "cart", "cart-2");  // nor a pod that was there before
  w.event(13, "pod-ready", "cart", "cart-7");
  ValidationResult r = check_self_healing(healing("pod-terminate#1"), w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "replaced by cart-7, Ready 3.0 s after pod-terminate#1 (bound 7.0 s)");
}

}  // namespace
}  // namespace stampede
