#include "engine/chaos/chaos_controller.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/testing/temp_dir.h"
#include "engine/chaos/chaos_test_util.h"
#include "engine/platform/testing/platform_ref.h"

namespace stampede {
namespace {

using chaos_test::action;

// Waits up to 10 s (generously) for `condition`.
template <class F>
bool eventually(F condition) {
  for (int i = 0; i < 1000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class ChaosControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chaos_test::add_shop(fake_storage_);
    fake_ = &fake_storage_;
    path_ = dir_.path() + "/journal.jsonl";
  }

  std::unique_ptr<ChaosController> make(const ChaosPlan& plan) {
    auto journal = ChaosJournal::open(path_, "run", true);
    EXPECT_TRUE(journal.ok());
    auto deployments = fake_->deployments();
    ChaosControllerOptions options;
    options.sample_period = 100 * kNanosPerMilli;
    options.seed = 3;
    return std::make_unique<ChaosController>(plan, std::make_unique<PlatformRef>(fake_storage_),
                                             std::move(journal).value(), deployments.value(),
                                             options);
  }

  TempDir dir_;
  FakePlatform fake_storage_;  // outlives every controller
  FakePlatform* fake_ = nullptr;
  std::string path_;
};

TEST_F(ChaosControllerTest, RunsTheTimelineRevertsAndSamples) {
  ChaosPlan plan;
  ChaosAction fault = action(ActionKind::kFault, "cart", 0.1, 0.3, "fault#1");
  fault.mode = PodMode::kAll;
  fault.knobs.error_rate = 1;
  plan.actions.push_back(fault);
  plan.actions.push_back(action(ActionKind::kPodKill, "payment", 0.2, -1, "pod-kill#1"));
  ChaosAction scale = action(ActionKind::kScale, "frontend", 0.2, -1, "scale#1");
  scale.replicas = 1;
  plan.actions.push_back(scale);
  auto controller = make(plan);
  controller->start(monotonic_now());
  ASSERT_TRUE(eventually([&] { return fake_->pod_faults("cart-1").has_value(); }));
  ASSERT_TRUE(eventually([&] { return controller->actions_applied() == 3; }));
  EXPECT_EQ(fake_->replicas("frontend"), 1);
  ASSERT_TRUE(eventually([&] { return !fake_->pod_faults("cart-1").has_value(); }))
      << "the fault is reverted after its duration";
  EXPECT_EQ(fake_->replicas("frontend"), 1) << "scale without duration lasts until the end";
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  controller->stop();
  EXPECT_EQ(fake_->replicas("frontend"), 3) << "stop() reverts what is still applied";
  controller->stop();  // idempotent

  const ResilienceResult& r = controller->result();
  std::vector<std::string> phases;
  for (const ChaosEvent& e : r.chaos_events) phases.push_back(e.action_id + " " + e.phase);
  EXPECT_EQ(phases.front(), "fault#1 requested");
  EXPECT_NE(std::find(phases.begin(), phases.end(), "fault#1 reverted"), phases.end());
  EXPECT_NE(std::find(phases.begin(), phases.end(), "pod-kill#1 applied"), phases.end());
  EXPECT_EQ(phases.back(), "scale#1 reverted");
  ASSERT_EQ(r.chaos_spans.size(), 3u);
  const ChaosSpan& f = r.chaos_spans[0];
  // On the run's clock: applied at `at` or later (a busy machine delays the platform call) and
  // reverted at `at + duration` or later, however late the apply was.
  EXPECT_GE(f.start, 0.1);
  EXPECT_GE(f.end, 0.1 + 0.3);
  EXPECT_EQ(r.chaos_spans[1].start, r.chaos_spans[1].end) << "a kill is instant";
  EXPECT_GT(r.chaos_spans[2].end, r.chaos_spans[2].start);
  EXPECT_GE(r.platform_samples.size(), 3u * 3);  // every deployment, several times
  bool saw_kill = false;
  for (const PlatformEvent& e : r.platform_events) {
    EXPECT_GE(e.t, 0);
    if (e.kind == "pod-deleted" && e.pod == "payment-1") saw_kill = true;
  }
  EXPECT_TRUE(saw_kill);
  EXPECT_FALSE(controller->observations().hpa.empty());
  EXPECT_TRUE(read_pending(path_).value().empty());
}

TEST_F(ChaosControllerTest, StopBeforeAnyActionAppliesNothing) {
  ChaosPlan plan;
  ChaosAction fault = action(ActionKind::kFault, "cart", 50, 5, "fault#1");
  fault.knobs.hang = true;
  plan.actions.push_back(fault);
  auto controller = make(plan);
  controller->start(monotonic_now());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  controller->stop();
  EXPECT_TRUE(controller->result().chaos_events.empty());
  EXPECT_TRUE(controller->result().chaos_spans.empty());
  EXPECT_TRUE(fake_->calls().empty());
}

TEST_F(ChaosControllerTest, DestructorRevertsLikeStop) {
  ChaosPlan plan;
  ChaosAction pause = action(ActionKind::kPodPause, "payment", 0, 60, "pod-pause#1");
  plan.actions.push_back(pause);
  {
    auto controller = make(plan);
    controller->start(monotonic_now());
    ASSERT_TRUE(eventually([&] { return fake_->paused("payment-1"); }));
  }
  EXPECT_FALSE(fake_->paused("payment-1"));
  EXPECT_TRUE(read_pending(path_).value().empty());
}

TEST_F(ChaosControllerTest, AFailedRollbackIsRetriedAtTheEnd) {
  // A pause of both cart pods fails on the second; rolling back the first fails too (the
  // runtime was busy). stop() must try again, so no pod stays paused past the run.
  ChaosPlan plan;
  ChaosAction pause = action(ActionKind::kPodPause, "cart", 0, 60, "pod-pause#1");
  pause.mode = PodMode::kAll;
  plan.actions.push_back(pause);
  fake_->fail_next("pause", 1);
  fake_->fail_next("resume", 1);  // undo runs newest first: cart-2's (a no-op), then cart-1's
  auto controller = make(plan);
  controller->start(monotonic_now());
  ASSERT_TRUE(eventually([&] {
    for (const ChaosEvent& e : controller->result().chaos_events) {
      if (e.phase == "failed") return true;
    }
    return false;
  }));
  EXPECT_EQ(controller->actions_applied(), 0);
  EXPECT_TRUE(fake_->paused("cart-1"))
      << "the rollback failed once; calls: " << ::testing::PrintToString(fake_->calls());
  controller->stop();
  EXPECT_FALSE(fake_->paused("cart-1"));
  EXPECT_TRUE(read_pending(path_).value().empty());
}

TEST_F(ChaosControllerTest, NeverStartedControllerIsHarmless) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "cart", 0));
  auto controller = make(plan);
  controller->stop();
  EXPECT_TRUE(fake_->calls().empty());
}

}  // namespace
}  // namespace stampede
