#include "engine/chaos/action_runner.h"

#include <gtest/gtest.h>

#include "common/testing/temp_dir.h"
#include "engine/chaos/chaos_test_util.h"

namespace stampede {
namespace {

using chaos_test::action;

class ActionRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chaos_test::add_shop(fake_);
    path_ = dir_.path() + "/journal.jsonl";
    auto j = ChaosJournal::open(path_, "test", true);
    ASSERT_TRUE(j.ok());
    journal_ = std::move(j).value();
    runner_ = std::make_unique<ActionRunner>(fake_, *journal_, 42, [this] { return now_; });
  }

  std::vector<std::string> phases() const {
    std::vector<std::string> out;
    for (const ChaosEvent& e : events_) out.push_back(e.action_id + " " + e.phase);
    return out;
  }

  TempDir dir_;
  FakePlatform fake_;
  std::string path_;
  std::unique_ptr<ChaosJournal> journal_;
  std::unique_ptr<ActionRunner> runner_;
  std::vector<ChaosEvent> events_;
  double now_ = 1.5;
};

TEST_F(ActionRunnerTest, FaultIsJournaledAppliedAndReverted) {
  ChaosAction a = action(ActionKind::kFault, "cart", 1, 5);
  a.mode = PodMode::kAll;
  a.knobs.error_rate = 1;
  AppliedAction record;
  runner_->apply(a, record, events_);
  EXPECT_EQ(record.pods, (std::vector<std::string>{"cart-1", "cart-2"}));
  EXPECT_EQ(record.deployments, std::vector<std::string>{"cart"});
  EXPECT_EQ(record.applied_at, 1.5);
  ASSERT_TRUE(fake_.pod_faults("cart-1"));
  ASSERT_TRUE(fake_.pod_faults("cart-2"));
  EXPECT_EQ(read_pending(path_).value().size(), 2u) << "both pods are journaled";
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[1].phase, "applied");
  EXPECT_EQ(events_[1].detail, "error_rate=1");
  EXPECT_EQ(events_[1].pods, record.pods);
  EXPECT_TRUE(runner_->has_applied(a.id));

  now_ = 6.5;
  runner_->revert(a, record, events_);
  EXPECT_FALSE(fake_.pod_faults("cart-1"));
  EXPECT_FALSE(fake_.pod_faults("cart-2"));
  EXPECT_EQ(record.reverted_at, 6.5);
  EXPECT_TRUE(read_pending(path_).value().empty());
  EXPECT_EQ(phases(),
            (std::vector<std::string>{"fault#1 requested", "fault#1 applied", "fault#1 reverted"}));
  EXPECT_FALSE(runner_->has_applied(a.id));
}

TEST_F(ActionRunnerTest, FailurePartWayRollsBackWhatWasApplied) {
  ChaosAction a = action(ActionKind::kPodPause, "frontend", 1, 5);
  a.mode = PodMode::kAll;
  fake_.fail_next("pause", 1);  // frontend-1 pauses, frontend-2 fails
  AppliedAction record;
  runner_->apply(a, record, events_);
  EXPECT_LT(record.applied_at, 0);
  for (const char* pod : {"frontend-1", "frontend-2", "frontend-3"}) {
    EXPECT_FALSE(fake_.paused(pod)) << pod << " was left paused";
  }
  std::vector<std::string> calls = fake_.calls();
  EXPECT_EQ(calls, (std::vector<std::string>{"pause frontend-1", "resume frontend-2",
                                             "resume frontend-1"}));
  EXPECT_EQ(events_.back().phase, "failed");
  EXPECT_NE(events_.back().detail.find("pause failed (injected)"), std::string::npos)
      << events_.back().detail;
  EXPECT_TRUE(read_pending(path_).value().empty()) << "every step was undone and marked";
  EXPECT_EQ(fake_.calls().size(), 3u) << "frontend-3 was never touched";
}

TEST_F(ActionRunnerTest, AFailedCallIsUndoneAnyway) {
  ChaosAction a = action(ActionKind::kFault, "payment", 1, 5);
  a.knobs.hang = true;
  fake_.fail_next("set-faults");
  AppliedAction record;
  runner_->apply(a, record, events_);
  EXPECT_EQ(events_.back().phase, "failed");
  // The call failed, but may have acted before failing: its undo runs all the same.
  EXPECT_EQ(fake_.calls(), std::vector<std::string>{"clear-faults payment-1"});
}

TEST_F(ActionRunnerTest, ScaleAndDependencyDownRestoreTheReplicaCount) {
  ChaosAction down = action(ActionKind::kDependencyDown, "cart", 1, 3);
  AppliedAction record;
  runner_->apply(down, record, events_);
  EXPECT_EQ(fake_.replicas("cart"), 0);
  EXPECT_EQ(events_.back().detail, "replicas 2 -> 0");
  runner_->revert(down, record, events_);
  EXPECT_EQ(fake_.replicas("cart"), 2);

  ChaosAction scale = action(ActionKind::kScale, "payment", 1, 3);
  scale.replicas = 3;
  AppliedAction r2;
  runner_->apply(scale, r2, events_);
  EXPECT_EQ(fake_.replicas("payment"), 3);
  runner_->revert(scale, r2, events_);
  EXPECT_EQ(fake_.replicas("payment"), 1);
}

TEST_F(ActionRunnerTest, InstantActionsAreNotJournaled) {
  AppliedAction kill, terminate, restart;
  runner_->apply(action(ActionKind::kPodKill, "payment", 1), kill, events_);
  ChaosAction t = action(ActionKind::kPodTerminate, "cart", 1);
  t.grace_seconds = 2;
  runner_->apply(t, terminate, events_);
  runner_->apply(action(ActionKind::kRolloutRestart, "frontend", 1), restart, events_);
  EXPECT_EQ(kill.pods, std::vector<std::string>{"payment-1"});
  EXPECT_GE(kill.applied_at, 0);
  EXPECT_GE(terminate.applied_at, 0);
  EXPECT_GE(restart.applied_at, 0);
  EXPECT_TRUE(read_pending(path_).value().empty());
  EXPECT_FALSE(runner_->has_applied("pod-kill#1"));
  std::vector<std::string> calls = fake_.calls();
  EXPECT_EQ(calls[0], "kill payment-1");
  EXPECT_EQ(calls[1].rfind("terminate cart-", 0), 0u);
  EXPECT_EQ(calls[2], "restart frontend");
}

TEST_F(ActionRunnerTest, ProxyFaultOnTheService) {
  ChaosAction p = action(ActionKind::kProxyFault, "payment", 1, 2);
  p.network.latency_ms = 500;
  AppliedAction record;
  runner_->apply(p, record, events_);
  ASSERT_TRUE(fake_.service_fault("payment"));
  EXPECT_EQ(fake_.service_fault("payment")->latency_ms, 500);
  EXPECT_EQ(read_pending(path_).value().size(), 1u);
  runner_->revert(p, record, events_);
  EXPECT_FALSE(fake_.service_fault("payment"));
}

TEST_F(ActionRunnerTest, RevertThatFailsStaysInTheJournal) {
  ChaosAction a = action(ActionKind::kFault, "payment", 1, 5);
  a.knobs.error_rate = 0.5;
  AppliedAction record;
  runner_->apply(a, record, events_);
  fake_.set_reachable(false);
  runner_->revert(a, record, events_);
  EXPECT_EQ(events_.back().phase, "failed");
  EXPECT_NE(events_.back().detail.find("stampede chaos revert"), std::string::npos);
  EXPECT_LT(record.reverted_at, 0);
  EXPECT_EQ(read_pending(path_).value().size(), 1u);
  fake_.set_reachable(true);
  runner_.reset();  // the run is over (its journal closed): now `chaos revert` may act
  journal_.reset();
  ASSERT_TRUE(revert_pending(fake_, path_).ok());
  EXPECT_FALSE(fake_.pod_faults("payment-1"));
}

TEST_F(ActionRunnerTest, NoMatchingPodIsAFailedEvent) {
  ASSERT_TRUE(fake_.scale("payment", 0).ok());
  AppliedAction record;
  runner_->apply(action(ActionKind::kPodKill, "payment", 1), record, events_);
  EXPECT_EQ(events_.back().phase, "failed");
  EXPECT_EQ(record.error, "no running pod matches 'payment'");
}

}  // namespace
}  // namespace stampede
