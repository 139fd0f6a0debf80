// ScenarioRunner: one scenario's executor on one worker (k6 semantics), deciding when each of
// its VUs starts an iteration. Runs on the worker's thread; the worker calls start() once, then
// on_iteration_end() after each iteration of one of its VUs and on_timer() for its timers.
//
// Work is split between instances by the plan's execution segment and between this instance's
// workers evenly (ScenarioSlice, engine/exec/scenario_slice.h), so that totals over all workers
// of all instances are exact. Lifecycle: waiting for start_time → running → graceful stop
// (no new iterations; running ones get graceful_stop to finish, then are interrupted) → done.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "engine/core/event_loop.h"
#include "engine/exec/plan.h"
#include "engine/exec/scenario_slice.h"
#include "engine/worker/vu.h"

namespace stampede {

class Worker;

// Cross-worker state of one scenario: only shared-iterations needs it (the instance's iteration
// counter, 0 ... ScenarioSlice::instance_iterations()-1).
struct SharedScenarioState {
  std::atomic<int64_t> next_iteration{0};
};

class ScenarioRunner : public TimerHandler {
 public:
  ScenarioRunner(Worker& worker, const ScenarioPlan& plan, int worker_index, int worker_count,
                 SharedScenarioState& shared);
  ~ScenarioRunner() override = default;

  // Creates the VUs the scenario starts with, before the run starts. False if a VU could not
  // be created (the worker has recorded why).
  bool prepare();
  // Called once when the run starts (`run_start` monotonic); schedules start_time.
  void start(Nanos run_start);
  // A VU of this runner finished (or errored out of) an iteration and is idle.
  void on_iteration_end(Vu& vu);
  // Stop starting iterations; running ones get the scenario's graceful_stop.
  void stop_gracefully();
  // Interrupt every running iteration now.
  void stop_now();
  bool done() const { return phase_ == Phase::kDone; }
  const ScenarioPlan& plan() const { return plan_; }
  const ScenarioSlice& slice() const { return slice_; }

  void on_timer(uint64_t token) override;

 protected:
  enum class Phase { kWaiting, kRunning, kStopping, kDone };
  enum Token : uint64_t { kStartToken = 1, kEndToken, kInterruptToken, kFirstRunnerToken };

  // Hooks for the executors.
  virtual void on_start() = 0;               // the scenario begins (phase is kRunning)
  virtual void on_idle(Vu& vu) = 0;          // kRunning: a VU finished an iteration
  virtual void on_runner_timer(uint64_t) {}  // tokens >= kFirstRunnerToken
  virtual void before_end() {}               // the active phase ends now (then graceful stop)
  // VUs this worker creates up front: its share of `vus` (executors with other VU fields
  // override it).
  virtual int64_t initial_vus() const;
  // Time from start to the end of the active phase, for the end timer.
  virtual Nanos active_duration() const { return plan_.active_duration(); }

  // Helpers for the executors.
  Vu* vu_at(size_t i) { return vus_[i]; }
  size_t vu_count() const { return vus_.size(); }
  Vu* add_vu();  // initializes one more VU; nullptr on failure (counted by the worker)
  // Starts an iteration on an idle VU. `scenario_iteration` is its run-wide index in the
  // scenario (-1: derive one that is unique across workers).
  void begin(Vu& vu, Nanos scheduled_start = 0, int64_t scenario_iteration = -1);
  int busy_count() const { return busy_; }
  void interrupt_vu(Vu& vu);  // interrupts a busy VU of this runner
  void finish_if_idle();      // kStopping/kRunning with nothing left: done
  void enter_stopping(Nanos grace);
  Nanos now() const;
  void timer_at(Nanos at, uint64_t token);

  Worker& worker_;
  const ScenarioPlan& plan_;
  ScenarioSlice slice_;  // this worker's part of the scenario
  int worker_index_;
  int worker_count_;  // workers that take part in this scenario (<= all workers)
  SharedScenarioState& shared_;
  Phase phase_ = Phase::kWaiting;
  Nanos started_at_ = 0;
  bool exhausted_ = false;  // the executor will start no more iterations

 private:
  std::vector<Vu*> vus_;  // owned by the worker
  int busy_ = 0;
  int64_t local_iterations_started_ = 0;
  friend class Worker;
};

// Builds the runner for plan.executor. `worker_count` is the number of workers in the run; the
// runner itself narrows it to the workers that have VUs for this scenario.
std::unique_ptr<ScenarioRunner> make_scenario_runner(Worker& worker, const ScenarioPlan& plan,
                                                     int worker_index, int worker_count,
                                                     SharedScenarioState& shared);

}  // namespace stampede
