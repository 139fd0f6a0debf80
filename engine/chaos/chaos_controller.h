// ChaosController: runs the chaos timeline on its own thread, on the run's clock. It fires each
// action at run start + `at`, reverts it after its `duration`, samples the platform every
// second (PlatformSampler) and, when stopped, reverts everything still applied and takes a last
// sample. Owns the platform adapter and the journal for the run. The only thread that calls the
// platform while the run is going; workers never touch it.
//
// Call order (main thread): start() once, stop() once or more (idempotent; the destructor stops
// too), then results(). Between start() and stop() only stop() and the thread-safe
// actions_applied() may be called.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/chaos/action_runner.h"
#include "engine/chaos/chaos_journal.h"
#include "engine/chaos/chaos_plan.h"
#include "engine/chaos/observations.h"
#include "engine/chaos/platform_sampler.h"
#include "engine/platform/platform.h"
#include "engine/run/resilience_result.h"

namespace stampede {

struct ChaosControllerOptions {
  Nanos sample_period = kNanosPerSecond;
  uint64_t seed = 0;  // 0: a random seed (the plan's seed wins when it has one)
};

class ChaosController {
 public:
  // `deployments`: the platform's deployments as preflight saw them (specs for validations).
  ChaosController(const ChaosPlan& plan, std::unique_ptr<Platform> platform,
                  std::unique_ptr<ChaosJournal> journal, std::vector<DeploymentState> deployments,
                  ChaosControllerOptions options = {});
  ~ChaosController();
  ChaosController(const ChaosController&) = delete;
  ChaosController& operator=(const ChaosController&) = delete;

  // Starts the thread; `run_start` is the run's t = 0 (monotonic ns).
  void start(Nanos run_start);
  // Stops applying actions, reverts everything still applied (newest first), takes a last
  // sample and joins the thread. Idempotent.
  void stop();
  // Thread-safe: how many actions have been applied so far.
  int actions_applied() const { return applied_count_.load(std::memory_order_relaxed); }

  // After stop(): the chaos events, spans, platform samples and events...
  ResilienceResult& result() { return result_; }
  // ... and what validations need beyond them.
  ChaosObservations& observations() { return observations_; }

 private:
  void loop();
  double now_seconds() const;
  void revert_all();
  // Spans from the events (rollout-restart spans end at the rollout's `rollout-finished`).
  void derive_spans();

  const ChaosPlan& plan_;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<ChaosJournal> journal_;
  ChaosControllerOptions options_;
  Nanos run_start_ = 0;
  std::unique_ptr<ActionRunner> runner_;
  std::unique_ptr<PlatformSampler> sampler_;
  std::vector<bool> started_;   // per action
  std::vector<bool> finished_;  // per action: reverted or instant

  ResilienceResult result_;
  ChaosObservations observations_;

  std::mutex mu_;  // guards stopping_ for the condition variable
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;  // main thread only
  std::atomic<int> applied_count_{0};
  std::thread thread_;
};

}  // namespace stampede
