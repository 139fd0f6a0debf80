// The six k6 executors as ScenarioRunners. Each worker runs its slice of the scenario; see
// engine/exec/scenario_slice.h for how VUs, iterations and arrivals are split between instances
// (execution segments) and workers so that totals are exact.
#include <cmath>
#include <vector>

#include "engine/worker/scenario_runner.h"
#include "engine/worker/worker.h"

namespace stampede {
namespace {

// constant-vus: a fixed number of VUs loop over iterations for `duration`.
class ConstantVus final : public ScenarioRunner {
 public:
  using ScenarioRunner::ScenarioRunner;

 private:
  void on_start() override {
    for (size_t i = 0; i < vu_count(); ++i) begin(*vu_at(i));
  }
  void on_idle(Vu& vu) override { begin(vu); }
};

// ramping-vus: the number of looping VUs follows the stages; VUs ramped down finish their
// iteration within graceful_ramp_down or are interrupted.
class RampingVus final : public ScenarioRunner {
 public:
  using ScenarioRunner::ScenarioRunner;

 private:
  static constexpr Nanos kTick = 10 * kNanosPerMilli;
  static constexpr uint64_t kTickToken = kFirstRunnerToken;

  int64_t initial_vus() const override { return slice_.vus(plan_.peak_vus()); }
  int64_t local_target(Nanos t) const {
    double global = ramp_value_at(static_cast<double>(plan_.start_vus), plan_.stages, t);
    return slice_.vus(static_cast<int64_t>(std::floor(global + 1e-9)));
  }
  void on_start() override {
    ramp_down_deadline_.assign(vu_count(), 0);
    adjust();
  }
  void on_idle(Vu& vu) override {
    if (vu.runner_index < target_) begin(vu);
  }
  void on_runner_timer(uint64_t) override { adjust(); }

  void adjust() {
    Nanos t = now();
    target_ = std::min<int64_t>(local_target(t - started_at_), static_cast<int64_t>(vu_count()));
    for (size_t i = 0; i < vu_count(); ++i) {
      Vu& vu = *vu_at(i);
      if (static_cast<int64_t>(i) < target_) {
        ramp_down_deadline_[i] = 0;
        if (!vu.busy) begin(vu);
      } else if (vu.busy) {
        if (ramp_down_deadline_[i] == 0) {
          ramp_down_deadline_[i] = t + plan_.graceful_ramp_down;
        } else if (t >= ramp_down_deadline_[i]) {
          interrupt_vu(vu);
        }
      }
    }
    if (t - started_at_ < active_duration()) timer_at(t + kTick, kTickToken);
  }
  int64_t target_ = 0;
  std::vector<Nanos> ramp_down_deadline_;
};

// per-vu-iterations: every VU runs exactly `iterations` iterations.
class PerVuIterations final : public ScenarioRunner {
 public:
  using ScenarioRunner::ScenarioRunner;

 private:
  void on_start() override {
    done_.assign(vu_count(), 0);
    for (size_t i = 0; i < vu_count(); ++i) begin(*vu_at(i));
  }
  void on_idle(Vu& vu) override {
    if (++done_[vu.runner_index] < plan_.iterations) {
      begin(vu);
    } else if (++finished_vus_ == vu_count()) {
      exhausted_ = true;
    }
  }
  std::vector<int64_t> done_;
  size_t finished_vus_ = 0;
};

// shared-iterations: `iterations` in total, taken by whichever VU is free (across the instance's
// workers; across instances each runs its segment's part).
class SharedIterations final : public ScenarioRunner {
 public:
  using ScenarioRunner::ScenarioRunner;

 private:
  void on_start() override {
    for (size_t i = 0; i < vu_count(); ++i) claim(*vu_at(i));
  }
  void on_idle(Vu& vu) override { claim(vu); }
  void claim(Vu& vu) {
    int64_t k = shared_.next_iteration.fetch_add(1, std::memory_order_relaxed);
    if (k < instance_iterations_) {
      begin(vu, 0, slice_.shared_iteration_number(k));
    } else {
      exhausted_ = true;
    }
  }
  int64_t instance_iterations_ = slice_.instance_iterations();
};

// constant-arrival-rate and ramping-arrival-rate: iterations start on a schedule whatever the
// target does (an open model); each is timed from its scheduled start, and an arrival with no
// free VU (and no room to add one) is a dropped iteration.
class ArrivalRate final : public ScenarioRunner {
 public:
  ArrivalRate(Worker& worker, const ScenarioPlan& plan, int index, int count,
              SharedScenarioState& shared)
      : ScenarioRunner(worker, plan, index, count, shared),
        schedule_(plan.executor == ExecutorKind::kConstantArrivalRate
                      ? ArrivalSchedule::constant(plan.rate, plan.time_unit, plan.duration)
                      : ArrivalSchedule::ramping(plan.start_rate, plan.stages, plan.time_unit)),
        max_local_(slice_.vus(plan.max_vus)) {}

 private:
  static constexpr uint64_t kArrivalToken = kFirstRunnerToken;

  int64_t initial_vus() const override { return slice_.vus(plan_.pre_allocated_vus); }
  void on_start() override {
    if (!schedule_.ok()) {  // validated when the plan was read; defensive
      exhausted_ = true;
      return;
    }
    for (size_t i = vu_count(); i-- > 0;) idle_.push_back(vu_at(i));
    schedule_next();
  }
  void on_idle(Vu& vu) override { idle_.push_back(&vu); }
  // An arrival due exactly at the end (a whole-number integral) still starts, as in k6.
  void before_end() override { on_runner_timer(kArrivalToken); }
  void on_runner_timer(uint64_t) override {
    Nanos t = now();
    while (true) {
      int64_t k = slice_.arrival(next_);
      auto at = schedule_.value().time_of(k);
      if (!at || started_at_ + *at > t) break;
      ++next_;
      fire(k, started_at_ + *at);
      if (phase_ != Phase::kRunning) return;
    }
    schedule_next();
  }
  void schedule_next() {
    int64_t k = slice_.arrival(next_);
    auto at = schedule_.value().time_of(k);
    if (!at) {
      exhausted_ = true;
      return;
    }
    timer_at(started_at_ + *at, kArrivalToken);
  }
  void fire(int64_t k, Nanos scheduled) {
    Vu* vu = nullptr;
    if (!idle_.empty()) {
      vu = idle_.back();
      idle_.pop_back();
    } else if (static_cast<int64_t>(vu_count()) < max_local_) {
      vu = add_vu();
    }
    if (vu == nullptr) {
      worker_.count_dropped(*this);
      return;
    }
    begin(*vu, scheduled, k);
  }

  Result<ArrivalSchedule> schedule_;
  int64_t max_local_;
  int64_t next_ = 0;  // this worker's next own arrival (n in ScenarioSlice::arrival)
  std::vector<Vu*> idle_;
};

}  // namespace

std::unique_ptr<ScenarioRunner> make_scenario_runner(Worker& worker, const ScenarioPlan& plan,
                                                     int index, int count,
                                                     SharedScenarioState& shared) {
  switch (plan.executor) {
    case ExecutorKind::kConstantVus:
      return std::make_unique<ConstantVus>(worker, plan, index, count, shared);
    case ExecutorKind::kRampingVus:
      return std::make_unique<RampingVus>(worker, plan, index, count, shared);
    case ExecutorKind::kPerVuIterations:
      return std::make_unique<PerVuIterations>(worker, plan, index, count, shared);
    case ExecutorKind::kSharedIterations:
      return std::make_unique<SharedIterations>(worker, plan, index, count, shared);
    case ExecutorKind::kConstantArrivalRate:
    case ExecutorKind::kRampingArrivalRate:
      return std::make_unique<ArrivalRate>(worker, plan, index, count, shared);
  }
  return nullptr;
}

}  // namespace stampede
