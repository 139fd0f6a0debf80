#include "engine/run/chaos_session.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "engine/chaos/chaos_journal.h"
#include "engine/core/duration.h"
#include "engine/metrics/metric_registry.h"
#include "engine/validate/validate.h"

namespace stampede {
namespace {

// An error when the state dir's chaos journal lists faults an earlier run did not revert.
Status nothing_pending(const std::string& state_dir) {
  std::string journal = chaos_journal_path(state_dir);
  auto pending = read_pending(journal);
  if (!pending.ok()) return pending.error();
  if (pending.value().empty()) return Status();
  const PendingUndo& p = pending.value().front();
  return Error(journal + " lists " + std::to_string(pending.value().size()) +
               " fault(s) an earlier run did not revert (e.g. " + p.step.describe() + " on " +
               (p.platform.empty() ? std::string("its platform") : p.platform) +
               "); run `stampede chaos revert --state-dir " + state_dir +
               "` with that run's platform flags first");
}

}  // namespace

Result<std::unique_ptr<ChaosSession>> ChaosSession::prepare(const RunPlan& plan,
                                                            const PlatformTarget& target) {
  if (plan.chaos.empty()) return std::unique_ptr<ChaosSession>();
  std::unique_ptr<Platform> platform;
  if (plan.chaos.needs_platform()) {
    auto connected = connect_platform(target);
    if (!connected.ok()) return connected.error().with_context("chaos");
    platform = std::move(connected).value();
  }
  return prepare_with(plan, target.state_dir, std::move(platform));
}

Result<std::unique_ptr<ChaosSession>> ChaosSession::prepare_with(
    const RunPlan& plan, const std::string& state_dir, std::unique_ptr<Platform> platform) {
  if (plan.chaos.empty()) return std::unique_ptr<ChaosSession>();
  std::unique_ptr<ChaosSession> session(new ChaosSession(plan, state_dir));
  if (plan.chaos.needs_platform()) {
    if (!platform) return Error("chaos: no platform to run the chaos actions against");
    if (!plan.chaos.actions.empty()) {
      Status clean = nothing_pending(state_dir);
      if (!clean.ok()) return clean.error().with_context("chaos");
    }
    auto report = stampede::preflight(*platform, plan.chaos);
    if (!report.ok()) return report.error();
    session->report_ = std::move(report).value();
    session->platform_ = std::move(platform);
  }
  return session;
}

ChaosSession::~ChaosSession() {
  stop();
}

Status ChaosSession::start(Nanos run_start) {
  run_start_ = run_start;
  if (!platform_) return Status();
  std::unique_ptr<ChaosJournal> journal;
  std::string run_id = std::to_string(getpid()) + "-" + std::to_string(run_start);
  std::string path = chaos_journal_path(state_dir_);
  // Only a run with actions starts a fresh journal, and only when nothing in it is pending: a
  // run without actions (validations only) must never erase what a crashed run left to revert,
  // and a check here (not only in prepare) also covers a crash between prepare and start.
  bool fresh = !plan_.chaos.actions.empty();
  if (fresh) {
    Status clean = nothing_pending(state_dir_);
    if (!clean.ok()) return clean.error();
  }
  auto opened = ChaosJournal::open(path, run_id, /*truncate=*/fresh);
  if (!opened.ok()) return opened.error();
  controller_ = std::make_unique<ChaosController>(plan_.chaos, std::move(platform_),
                                                  std::move(opened).value(), report_->deployments);
  controller_->start(run_start);
  return Status();
}

void ChaosSession::observe(const IntervalSnapshot& snapshot) {
  int64_t resets = 0, refused = 0;
  for (const SeriesDelta& d : snapshot.series) {
    if (d.metric != kHttpReqs || !d.tags) continue;
    const std::string* error = d.tags->find("error");
    if (error == nullptr) continue;
    if (*error == "connection reset" || *error == "empty reply") {
      resets += static_cast<int64_t>(d.sum);
    } else if (*error == "connection refused") {
      refused += static_cast<int64_t>(d.sum);
    }
  }
  if (resets == 0 && refused == 0) return;
  auto it = std::find_if(connection_errors_.begin(), connection_errors_.end(),
                         [&](const ConnectionErrors& c) { return c.second == snapshot.second; });
  if (it == connection_errors_.end()) {
    connection_errors_.push_back(ConnectionErrors{snapshot.second, 0, 0});
    it = connection_errors_.end() - 1;
  }
  it->resets += resets;
  it->refused += refused;
}

std::optional<std::string> ChaosSession::guard(const std::vector<TimePoint>& timeline) const {
  const GuardPlan& g = plan_.chaos.guard;
  if (!g.enabled || timeline.empty()) return std::nullopt;
  double window = static_cast<double>(g.window) / kNanosPerSecond;
  double end = timeline.back().t;
  if (end < window) return std::nullopt;
  int64_t requests = 0, failed = 0;
  for (auto it = timeline.rbegin(); it != timeline.rend() && it->t > end - window; ++it) {
    requests += it->requests;
    failed += it->failed;
  }
  if (requests == 0) return std::nullopt;
  double availability = static_cast<double>(requests - failed) / static_cast<double>(requests);
  if (availability >= g.min_availability) return std::nullopt;
  char buf[200];
  std::snprintf(buf, sizeof(buf),
                "chaos guard: availability %.4f over the last %s (%lld of %lld requests failed) "
                "is below the floor %g",
                availability, format_duration(g.window).c_str(), static_cast<long long>(failed),
                static_cast<long long>(requests), g.min_availability);
  return std::string(buf);
}

void ChaosSession::stop() {
  if (controller_) controller_->stop();
}

void ChaosSession::finish(RunResult& result) {
  stop();
  ResilienceResult& out = result.resilience;
  ChaosObservations empty;
  ChaosObservations* obs = &empty;
  if (controller_) {
    out = controller_->result();
    obs = &controller_->observations();
  }
  obs->connection_errors = connection_errors_;
  obs->run_end = static_cast<double>(result.duration) / kNanosPerSecond;
  ValidationInput in{plan_.chaos, result.fine_timeline, out, *obs, obs->run_end};
  out.phases = phase_availability(in);
  out.validations = run_validations(in);
  for (const ChaosEvent& e : out.chaos_events) {
    if (e.phase == "failed") warnings_.push_back("chaos: " + e.action_id + " failed: " + e.detail);
  }
  for (const std::string& w : obs->warnings) warnings_.push_back(w);
}

std::vector<std::string> ChaosSession::warnings() const {
  return warnings_;
}

}  // namespace stampede
