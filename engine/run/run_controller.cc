#include "engine/run/run_controller.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "engine/exec/scenario_slice.h"
#include "engine/fleet/run_header.h"
#include "engine/lua/script_loader.h"
#include "engine/metrics/hlog_writer.h"
#include "engine/run/absorb.h"
#include "engine/run/generator_check.h"
#include "engine/run/threshold_eval.h"
#include "engine/run/timeline.h"
#include "engine/worker/worker.h"

extern char** environ;

namespace stampede {
namespace {

std::atomic<int> g_signals{0};  // lock-free, so safe to touch in a signal handler
static_assert(std::atomic<int>::is_always_lock_free);

void on_signal(int) {
  g_signals.fetch_add(1, std::memory_order_relaxed);
}

// Installs SIGINT/SIGTERM handlers for the run and restores the old ones at scope exit.
class SignalScope {
 public:
  SignalScope() {
    g_signals = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalScope() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Blocks SIGINT/SIGTERM in threads started while it lives, so only the main thread sees them.
class BlockSignalsForChildren {
 public:
  BlockSignalsForChildren() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockSignalsForChildren() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

// CPU time (user + system) of the whole process so far.
Nanos process_cpu_now() {
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  auto ns = [](const timeval& tv) {
    return static_cast<Nanos>(tv.tv_sec) * kNanosPerSecond + static_cast<Nanos>(tv.tv_usec) * 1000;
  };
  return ns(ru.ru_utime) + ns(ru.ru_stime);
}

int64_t wall_ms() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

std::string canonical_dir_of(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) return ".";
  std::string full = buf;
  size_t slash = full.rfind('/');
  return slash == 0 ? "/" : full.substr(0, slash);
}

bool has_global_function(lua_State* L, const char* name) {
  bool yes = raw_global(L, name) == LUA_TFUNCTION;
  lua_pop(L, 1);
  return yes;
}

// Merges everything about a snapshot except the timeline into the result.
void absorb(const IntervalSnapshot& snap, RunResult& result, ProgressSink& progress) {
  AbsorbNews news = absorb_snapshot(snap, result);
  for (const std::string& trace : news.first_tracebacks) {
    progress.message("script error: " + trace);
  }
  if (news.series_overflow_began) {
    progress.message("warning: more distinct tag sets than max_series (" +
                     std::to_string(result.plan->max_series) +
                     "); further series are folded into {overflow:true}. Give requests a "
                     "`name` so URLs with ids do not each become a series.");
  }
}

// Runs setup() or teardown(data) on a one-VU worker in this thread. Its request latencies go to
// the .hlog (when one is open) as one interval tagged with the function's name.
Result<std::string> run_one_off(RunShared& shared, const char* function, Nanos timeout,
                                RunResult& result, ProgressSink& progress, HlogWriter* hlog,
                                double hlog_start_seconds, IntervalRecorder* recorder) {
  ScenarioPlan plan;
  plan.name = function;
  plan.executor = ExecutorKind::kSharedIterations;
  plan.exec = function;
  plan.vus = 1;
  plan.iterations = 1;
  plan.max_duration = timeout;
  plan.graceful_stop = 0;
  shared.scenario_states.back()->next_iteration = 0;
  Worker worker(0, 1, shared, {&plan}, CallStyle::kDataOnly);
  worker.ignore_graceful_stop();
  Status st = worker.init();
  if (!st.ok()) return st.error();
  Nanos started = monotonic_now();
  worker.run(started);
  IntervalSnapshot snap;
  HdrHistogram latency;
  std::vector<IntervalSnapshot> taken;
  while (shared.queue->pop(snap, std::chrono::milliseconds(0))) {
    absorb(snap, result, progress);
    for (const SeriesDelta& d : snap.series) {
      if (d.metric == kHttpReqDuration) (void)latency.add_sparse(d.buckets);
    }
    if (recorder != nullptr) taken.push_back(std::move(snap));
  }
  if (recorder != nullptr) {
    recorder->add_one_off(function, taken,
                          static_cast<double>(monotonic_now() - started) / kNanosPerSecond);
  }
  if (hlog != nullptr && !latency.empty()) {
    double length = static_cast<double>(monotonic_now() - started) / kNanosPerSecond;
    Status st = hlog->write_interval(hlog_start_seconds, length, latency, function);
    if (!st.ok()) progress.message("warning: latency.hlog: " + st.error().message());
  }
  if (!worker.first_error().empty()) return Error(worker.first_error());
  return worker.captured_result();
}

}  // namespace

Result<std::unique_ptr<RunController>> RunController::prepare(const RunOptions& options,
                                                              PrepareFailure* failure) {
  *failure = PrepareFailure::kConfig;
  if (access(options.script_path.c_str(), R_OK) != 0) {
    return Error("cannot read script '" + options.script_path + "'");
  }
  std::unique_ptr<RunController> rc(new RunController());
  rc->options_ = options;
  rc->script_dir_ = canonical_dir_of(options.script_path);

  ScriptEnv env;
  env.script_path = options.script_path;
  env.script_dir = rc->script_dir_;
  env.registry = &rc->registry_;
  if (options.include_system_env) {
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv = *e;
      size_t eq = kv.find('=');
      if (eq != std::string::npos) env.env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  for (const auto& [k, v] : options.env) env.env[k] = v;

  auto state = load_script(&env);
  if (!state.ok()) {
    *failure = PrepareFailure::kScript;
    return state.error();
  }
  lua_State* L = state.value().get();
  auto plan = read_run_plan(L, options.cli, rc->registry_);
  if (!plan.ok()) return plan.error();
  rc->plan_ = std::move(plan).value();
  rc->plan_.env = env.env;
  rc->has_setup_ = has_global_function(L, "setup");
  rc->has_teardown_ = has_global_function(L, "teardown");
  rc->registry_.freeze();
  if (!options.offline) {
    auto chaos = ChaosSession::prepare(rc->plan_, options.platform);
    if (!chaos.ok()) return chaos.error();
    rc->chaos_ = std::move(chaos).value();
  }
  return rc;
}

int RunController::worker_count() const {
  // One worker per core, but never more workers than the busiest scenario has VUs (in this
  // process's execution segment).
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int workers = plan_.threads > 0 ? plan_.threads : cores;
  int64_t peak = 1;
  for (const ScenarioPlan& s : plan_.scenarios) {
    peak = std::max(peak, ScenarioSlice(s, 0, 1).instance_vus(s.peak_vus()));
  }
  return static_cast<int>(std::min<int64_t>(workers, peak));
}

RunResult RunController::run(ProgressSink& progress) {
  std::unique_ptr<IntervalRecorder> recorder;
  if (!options_.intervals_path.empty()) {
    auto writer = IntervalLogWriter::open(options_.intervals_path);
    if (writer.ok()) {
      recorder =
          std::make_unique<IntervalRecorder>(std::move(writer).value(), registry_, worker_count());
    } else {
      progress.message("warning: " + writer.error().message());
    }
  }
  RunResult result = run_load(progress, recorder.get());
  if (recorder) {
    recorder->finish();  // seconds still open after an early return
    recorder->write_footer(result);
    if (!recorder->status().ok()) {
      progress.message("warning: " + recorder->path() +
                       " is incomplete: " + recorder->status().error().message());
    }
  }
  return result;
}

RunResult RunController::run_load(ProgressSink& progress, IntervalRecorder* recorder) {
  RunResult result;
  result.script = options_.script_path;
  result.plan = &plan_;
  result.metrics = std::make_unique<MetricsAggregate>(registry_);
  result.start_unix_ms = wall_ms();
  SignalScope signals;
  const int workers = worker_count();
  if (recorder != nullptr) {
    RunHeaderInput header;
    header.script_path = options_.script_path;
    header.plan = &plan_;
    header.registry = &registry_;
    header.execution_segment = plan_.segment.segment().to_string();
    header.execution_segment_sequence = plan_.segment.sequence().to_string();
    header.start_unix_ms = result.start_unix_ms;
    header.workers = workers;
    recorder->write_header(make_run_header(header));
  }

  SnapshotQueue queue;
  RunShared shared;
  shared.plan = &plan_;
  shared.registry = &registry_;
  shared.script.script_path = options_.script_path;
  shared.script.script_dir = script_dir_;
  shared.script.registry = &registry_;
  shared.script.env = plan_.env;
  shared.queue = &queue;
  shared.signals = &g_signals;
  for (size_t i = 0; i <= plan_.scenarios.size(); ++i) {  // one spare for setup/teardown
    shared.scenario_states.push_back(std::make_unique<SharedScenarioState>());
  }

  // latency.hlog is opened first so setup()'s requests are logged too.
  std::ofstream hlog_file;
  std::unique_ptr<HlogWriter> hlog;
  Nanos hlog_base = monotonic_now();
  if (!options_.hlog_path.empty()) {
    hlog_file.open(options_.hlog_path);
    if (hlog_file) {
      hlog = std::make_unique<HlogWriter>(hlog_file);
      Status st =
          hlog->write_header(result.start_unix_ms, "stampede http_req_duration, microseconds");
      if (!st.ok()) progress.message("warning: latency.hlog: " + st.error().message());
    } else {
      progress.message("warning: cannot write " + options_.hlog_path);
    }
  }

  if (has_setup_) {
    auto data = run_one_off(shared, "setup", plan_.setup_timeout, result, progress, hlog.get(), 0,
                            recorder);
    if (!data.ok() && g_signals.load() > 0) {
      result.outcome = RunOutcome::kInterrupted;
      result.outcome_detail = "interrupted during setup()";
      return result;
    }
    if (!data.ok()) {
      result.outcome = RunOutcome::kSetupFailed;
      result.outcome_detail = "setup() failed: " + data.error().message();
      return result;
    }
    shared.setup_data_json = data.value();
  }
  if (g_signals.load() > 0) {  // interrupted during setup: no load
    result.outcome = RunOutcome::kInterrupted;
    result.outcome_detail = "interrupted during setup()";
    return result;
  }

  std::vector<const ScenarioPlan*> scenarios;
  for (const ScenarioPlan& s : plan_.scenarios) scenarios.push_back(&s);
  std::vector<std::unique_ptr<Worker>> pool;
  for (int i = 0; i < workers; ++i) {
    pool.push_back(std::make_unique<Worker>(i, workers, shared, scenarios));
  }

  // Workers initialize in parallel, then wait for one common start time.
  std::mutex mu;
  std::condition_variable cv;
  int ready = 0;
  bool go = false;
  Nanos run_start = 0;
  std::vector<std::string> init_errors;
  std::vector<std::thread> threads;
  {
    BlockSignalsForChildren block;
    for (int i = 0; i < workers; ++i) {
      threads.emplace_back([&, i] {
        Status st = pool[i]->init();
        {
          std::unique_lock<std::mutex> lock(mu);
          if (!st.ok()) init_errors.push_back(st.error().message());
          ++ready;
          cv.notify_all();
          cv.wait(lock, [&] { return go; });
        }
        if (st.ok() && init_errors.empty()) pool[i]->run(run_start);
      });
    }
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return ready == workers; });
    run_start = monotonic_now() + 5 * kNanosPerMilli;
    go = true;
    cv.notify_all();
  }
  if (!init_errors.empty()) {
    for (std::thread& t : threads) t.join();
    result.outcome = RunOutcome::kSetupFailed;
    result.outcome_detail = "a worker could not load the script: " + init_errors.front();
    return result;
  }
  if (chaos_) {
    Status st = chaos_->start(run_start);
    if (!st.ok()) {
      progress.message("chaos: " + st.error().message() + ": stopping");
      result.outcome = RunOutcome::kAbortedByThreshold;
      result.outcome_detail = "chaos could not start: " + st.error().message();
      shared.stop.store(RunShared::kNow, std::memory_order_release);
      for (auto& w : pool) w->wake();
    }
  }
  double hlog_offset = static_cast<double>(run_start - hlog_base) / kNanosPerSecond;
  Timeline timeline(workers, hlog.get(), hlog_offset);
  const Nanos process_cpu_at_start = process_cpu_now();

  int finals = 0;
  int applied_signals = 0;
  int64_t requests = 0, failed = 0, vus_max_seen = 0;
  std::vector<int64_t> worker_vus(workers, 0), worker_vus_max(workers, 0);
  Nanos next_progress = run_start + kNanosPerSecond;
  Nanos watchdog = run_start + plan_.max_duration() + 30 * kNanosPerSecond;
  auto set_stop = [&](int mode) {
    int cur = shared.stop.load();
    if (mode > cur) shared.stop.store(mode, std::memory_order_release);
    for (auto& w : pool) w->wake();
  };
  while (finals < workers) {
    IntervalSnapshot snap;
    if (queue.pop(snap, std::chrono::milliseconds(100))) {
      absorb(snap, result, progress);
      timeline.add(snap);
      if (recorder != nullptr) recorder->add(snap);
      if (chaos_) chaos_->observe(snap);
      if (options_.observer != nullptr) options_.observer->on_snapshot(snap);
      worker_vus[snap.worker] = snap.final ? 0 : snap.vus;
      worker_vus_max[snap.worker] = snap.vus_max;
      for (const SeriesDelta& d : snap.series) {
        if (d.metric == kHttpReqs) requests += static_cast<int64_t>(d.sum);
        if (d.metric == kHttpReqFailed) failed += static_cast<int64_t>(d.sum);
      }
      if (snap.final) ++finals;
    }
    int sigs = g_signals.load();
    if (sigs > applied_signals) {
      applied_signals = sigs;
      if (result.outcome == RunOutcome::kCompleted) result.outcome = RunOutcome::kInterrupted;
      if (chaos_) chaos_->stop();  // faults go first, before the graceful stop
      if (sigs == 1) {
        progress.message(
            "stopping gracefully: no new iterations, running ones may finish "
            "(signal again to stop now)");
        set_stop(RunShared::kGraceful);
      } else {
        progress.message("stopping now");
        set_stop(RunShared::kNow);
      }
    }
    Nanos now = monotonic_now();
    if (now >= watchdog) set_stop(RunShared::kNow);
    if (now >= next_progress) {
      next_progress += kNanosPerSecond;
      // abort_on_fail thresholds, each after its delay_abort_eval.
      if (result.outcome == RunOutcome::kCompleted) {
        auto checks = evaluate_thresholds(plan_, *result.metrics, now - run_start);
        size_t i = 0;
        for (const ThresholdPlan& tp : plan_.thresholds) {
          for (const ThresholdRule& rule : tp.rules) {
            const ThresholdResult& r = checks[i++];
            if (rule.abort_on_fail && !r.passed && now - run_start >= rule.delay_abort_eval) {
              result.outcome = RunOutcome::kAbortedByThreshold;
              result.outcome_detail = r.metric_key + ": " + r.expression;
              progress.message("threshold " + r.metric_key + " " + r.expression +
                               " failed: aborting the run");
              set_stop(RunShared::kNow);
              if (chaos_) chaos_->stop();
            }
          }
        }
      }
      if (chaos_ && result.outcome == RunOutcome::kCompleted) {
        if (auto why = chaos_->guard(timeline.points())) {
          result.outcome = RunOutcome::kAbortedByThreshold;
          result.outcome_detail = *why;
          progress.message(*why + ": aborting the run");
          set_stop(RunShared::kNow);
          chaos_->stop();
        }
      }
      ProgressInfo info;
      info.elapsed = now - run_start;
      info.planned = plan_.planned_duration();
      for (int64_t v : worker_vus) info.vus += v;
      for (int64_t v : worker_vus_max) info.vus_max += v;
      vus_max_seen = std::max(vus_max_seen, info.vus_max);
      info.requests = requests;
      info.failed = failed;
      if (!timeline.points().empty()) {
        const TimePoint& last = timeline.points().back();
        info.requests_per_second = static_cast<double>(last.requests);
        info.p95_ms = last.p95;
        info.p99_ms = last.p99;
      }
      info.stopping = shared.stop.load() != RunShared::kRun;
      progress.update(info);
      if (options_.observer != nullptr) {
        const TimePoint* last = timeline.points().empty() ? nullptr : &timeline.points().back();
        options_.observer->on_second(info, last, result.resilience);
      }
    }
  }
  for (std::thread& t : threads) t.join();
  result.duration = monotonic_now() - run_start;
  if (chaos_) chaos_->stop();  // every fault is reverted before teardown() runs
  const Nanos process_cpu = process_cpu_now() - process_cpu_at_start;
  timeline.finish();
  if (recorder != nullptr) recorder->finish();  // before teardown's one-off
  int64_t vus_max_total = 0;
  for (int64_t v : worker_vus_max) vus_max_total += v;
  result.vus_max = std::max(vus_max_seen, vus_max_total);
  result.timeline = timeline.points();
  result.fine_timeline = std::move(timeline.fine());
  result.fine_timeline.pad_to(static_cast<double>(result.duration) / kNanosPerSecond);
  result.generator = summarize_generator(
      result.timeline, timeline.schedule_lag(), workers,
      result.duration > 0
          ? 100.0 * static_cast<double>(process_cpu) / static_cast<double>(result.duration)
          : 0.0);
  if (!timeline.hlog_status().ok()) {
    progress.message("warning: latency.hlog is incomplete: " +
                     timeline.hlog_status().error().message());
  }
  progress.finish();

  if (has_teardown_ && shared.stop.load() != RunShared::kNow) {
    double at = hlog_offset + static_cast<double>(result.duration) / kNanosPerSecond;
    auto done = run_one_off(shared, "teardown", plan_.teardown_timeout, result, progress,
                            hlog.get(), at, recorder);
    if (!done.ok()) progress.message("teardown() failed: " + done.error().message());
  }
  result.thresholds = evaluate_thresholds(plan_, *result.metrics, result.duration);
  if (chaos_) chaos_->finish(result);
  return result;
}

}  // namespace stampede
