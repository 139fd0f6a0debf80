#include "engine/worker/scenario_runner.h"

#include <algorithm>

#include "engine/worker/worker.h"

namespace stampede {

ScenarioRunner::ScenarioRunner(Worker& worker, const ScenarioPlan& plan, int worker_index,
                               int worker_count, SharedScenarioState& shared)
    : worker_(worker),
      plan_(plan),
      slice_(plan, worker_index, worker_count),
      worker_index_(worker_index),
      worker_count_(slice_.workers()),
      shared_(shared) {}

Nanos ScenarioRunner::now() const {
  return monotonic_now();
}

void ScenarioRunner::timer_at(Nanos at, uint64_t token) {
  worker_.loop().add_timer(at, this, token);
}

int64_t ScenarioRunner::initial_vus() const {
  return slice_.vus(plan_.vus);
}

bool ScenarioRunner::prepare() {
  if (!slice_.active()) return true;
  for (int64_t i = initial_vus(); i > 0; --i) {
    if (add_vu() == nullptr) return false;
  }
  return true;
}

void ScenarioRunner::start(Nanos run_start) {
  if (!slice_.active()) {  // no share of this scenario on this worker (or instance)
    phase_ = Phase::kDone;
    return;
  }
  timer_at(run_start + plan_.start_time, kStartToken);
}

Vu* ScenarioRunner::add_vu() {
  Vu* vu = worker_.new_vu(*this);
  if (vu != nullptr) {
    vu->runner_index = static_cast<int>(vus_.size());
    vus_.push_back(vu);
  }
  return vu;
}

void ScenarioRunner::begin(Vu& vu, Nanos scheduled_start, int64_t scenario_iteration) {
  if (scenario_iteration < 0) {
    scenario_iteration = slice_.iteration_number(local_iterations_started_);
  }
  ++local_iterations_started_;
  ++busy_;
  worker_.start_iteration(vu, scheduled_start, scenario_iteration);
}

void ScenarioRunner::on_iteration_end(Vu& vu) {
  --busy_;
  if (phase_ == Phase::kRunning && !exhausted_) {
    on_idle(vu);
  }
  finish_if_idle();
}

void ScenarioRunner::finish_if_idle() {
  if (busy_ > 0 || phase_ == Phase::kWaiting || phase_ == Phase::kDone) return;
  if (phase_ == Phase::kStopping || exhausted_) phase_ = Phase::kDone;
}

void ScenarioRunner::enter_stopping(Nanos grace) {
  if (phase_ == Phase::kDone || phase_ == Phase::kStopping) return;
  bool was_waiting = phase_ == Phase::kWaiting;
  phase_ = Phase::kStopping;
  if (was_waiting || busy_ == 0) {
    phase_ = Phase::kDone;
    return;
  }
  timer_at(now() + grace, kInterruptToken);
}

void ScenarioRunner::interrupt_vu(Vu& vu) {
  if (!vu.busy) return;
  worker_.interrupt(vu);
  --busy_;
}

void ScenarioRunner::stop_gracefully() {
  enter_stopping(plan_.graceful_stop);
}

void ScenarioRunner::stop_now() {
  if (phase_ == Phase::kDone) return;
  phase_ = Phase::kStopping;
  for (Vu* vu : vus_) interrupt_vu(*vu);
  phase_ = Phase::kDone;
}

void ScenarioRunner::on_timer(uint64_t token) {
  switch (token) {
    case kStartToken:
      if (phase_ != Phase::kWaiting) return;
      phase_ = Phase::kRunning;
      started_at_ = now();
      timer_at(started_at_ + active_duration(), kEndToken);
      on_start();
      finish_if_idle();
      return;
    case kEndToken:
      if (phase_ == Phase::kRunning) {
        before_end();
        stop_gracefully();
      }
      return;
    case kInterruptToken:
      if (phase_ == Phase::kStopping) stop_now();
      return;
    default:
      if (phase_ == Phase::kRunning) on_runner_timer(token);
      finish_if_idle();
  }
}

}  // namespace stampede
