#include "engine/chaos/chaos_controller.h"

#include <algorithm>
#include <chrono>
#include <random>

namespace stampede {

ChaosController::ChaosController(const ChaosPlan& plan, std::unique_ptr<Platform> platform,
                                 std::unique_ptr<ChaosJournal> journal,
                                 std::vector<DeploymentState> deployments,
                                 ChaosControllerOptions options)
    : plan_(plan), platform_(std::move(platform)), journal_(std::move(journal)), options_(options) {
  observations_.deployments = std::move(deployments);
  result_.platform = platform_->describe();
  result_.event_times = platform_->event_times();
  uint64_t seed = plan.seed != 0 ? plan.seed : options.seed;
  if (seed == 0) seed = std::random_device{}();
  runner_ =
      std::make_unique<ActionRunner>(*platform_, *journal_, seed, [this] { return now_seconds(); });
  started_.assign(plan.actions.size(), false);
  finished_.assign(plan.actions.size(), false);
  observations_.actions.resize(plan.actions.size());
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    observations_.actions[i].id = plan.actions[i].id;
    observations_.actions[i].kind = plan.actions[i].kind;
    observations_.actions[i].target = plan.actions[i].target;
  }
}

ChaosController::~ChaosController() {
  stop();
}

double ChaosController::now_seconds() const {
  return static_cast<double>(monotonic_now() - run_start_) / kNanosPerSecond;
}

void ChaosController::start(Nanos run_start) {
  run_start_ = run_start;
  std::vector<std::pair<std::string, std::string>> breakers;
  for (const Expectation& e : plan_.expectations) {
    if (e.kind != ExpectKind::kCircuitBreaker) continue;
    std::pair<std::string, std::string> pair{e.caller, e.dependency};
    if (std::find(breakers.begin(), breakers.end(), pair) == breakers.end()) {
      breakers.push_back(pair);
    }
  }
  sampler_ = std::make_unique<PlatformSampler>(*platform_, run_start_, std::move(breakers));
  sampler_->prime(observations_);
  thread_ = std::thread([this] { loop(); });
}

void ChaosController::loop() {
  Nanos next_sample = run_start_;
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    Nanos now = monotonic_now();
    Nanos t = now - run_start_;
    // Reverts that are due go first, so an action following another on the same pods never
    // overlaps it.
    for (size_t i = 0; i < plan_.actions.size(); ++i) {
      const ChaosAction& a = plan_.actions[i];
      if (started_[i] && !finished_[i] && a.duration >= 0 && t >= a.at + a.duration) {
        runner_->revert(a, observations_.actions[i], result_.chaos_events);
        finished_[i] = true;
      }
    }
    for (size_t i = 0; i < plan_.actions.size(); ++i) {
      const ChaosAction& a = plan_.actions[i];
      if (started_[i] || t < a.at) continue;
      started_[i] = true;
      runner_->apply(a, observations_.actions[i], result_.chaos_events);
      bool applied = observations_.actions[i].applied_at >= 0;
      if (applied) applied_count_.fetch_add(1, std::memory_order_relaxed);
      if (!applied || !is_reversible(a.kind)) finished_[i] = true;
    }
    now = monotonic_now();
    if (now >= next_sample) {
      sampler_->sample(now, result_, observations_);
      next_sample += options_.sample_period;
      if (next_sample <= monotonic_now()) next_sample = monotonic_now() + options_.sample_period;
    }
    Nanos due = next_sample;
    for (size_t i = 0; i < plan_.actions.size(); ++i) {
      const ChaosAction& a = plan_.actions[i];
      if (!started_[i]) due = std::min(due, run_start_ + a.at);
      if (started_[i] && !finished_[i] && a.duration >= 0) {
        due = std::min(due, run_start_ + a.at + a.duration);
      }
    }
    std::unique_lock<std::mutex> lock(mu_);
    Nanos wait = std::max<Nanos>(0, due - monotonic_now());
    wake_.wait_for(lock, std::chrono::nanoseconds(wait), [this] { return stopping_; });
  }
}

void ChaosController::revert_all() {
  // Newest first: the reverse of the order the actions were applied in. Besides the actions
  // still in effect, every action with undo steps left — a rollback after a failed apply or an
  // earlier revert that failed — gets another try, so nothing stays applied past the run.
  std::vector<size_t> order;
  for (size_t i = 0; i < plan_.actions.size(); ++i) {
    if ((started_[i] && !finished_[i]) || runner_->has_applied(plan_.actions[i].id)) {
      order.push_back(i);
    }
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return observations_.actions[a].applied_at > observations_.actions[b].applied_at;
  });
  for (size_t i : order) {
    runner_->revert(plan_.actions[i], observations_.actions[i], result_.chaos_events);
    finished_[i] = true;
  }
}

void ChaosController::stop() {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (!thread_.joinable()) return;  // never started: nothing was applied
  thread_.join();
  revert_all();
  sampler_->sample(monotonic_now(), result_, observations_);
  observations_.run_end = now_seconds();
  derive_spans();
}

void ChaosController::derive_spans() {
  result_.chaos_spans.clear();
  for (const AppliedAction& a : observations_.actions) {
    if (a.applied_at < 0) continue;
    ChaosSpan span;
    span.action_id = a.id;
    span.action = action_kind_name(a.kind);
    span.target = a.target;
    span.start = a.applied_at;
    if (a.reverted_at >= 0) {
      span.end = a.reverted_at;
    } else if (a.kind == ActionKind::kRolloutRestart) {
      for (const PlatformEvent& e : result_.platform_events) {
        if (e.kind == "rollout-finished" && e.deployment == a.target && e.t >= a.applied_at) {
          span.end = e.t;
          break;
        }
      }
    } else if (!is_reversible(a.kind)) {
      span.end = a.applied_at;
    }
    result_.chaos_spans.push_back(span);
  }
}

}  // namespace stampede
