// Worker: one load-generating thread. It owns an epoll loop, a libcurl transport, a Lua state
// holding the script, its VUs (coroutines), its scenario runners and its metric shard; it shares
// nothing with other workers but the RunShared it reads (plan, registry, stop flag) and the
// snapshot queue it pushes to once per interval.
//
// Call order (all on the worker's own thread except request_stop): init() → run() → destroy.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/event_loop.h"
#include "engine/exec/plan.h"
#include "engine/http/curl_transport.h"
#include "engine/http/native_transport.h"
#include "engine/lua/lua_state.h"
#include "engine/lua/script_env.h"
#include "engine/metrics/fine_buckets.h"
#include "engine/metrics/hdr_histogram.h"
#include "engine/metrics/metric_shard.h"
#include "engine/worker/scenario_runner.h"
#include "engine/worker/snapshot_queue.h"
#include "engine/worker/thread_clock.h"
#include "engine/worker/vu.h"

namespace stampede {

// Read-mostly state shared by all workers of a run; owned by the run controller.
struct RunShared {
  enum Stop : int { kRun = 0, kGraceful = 1, kNow = 2 };

  const RunPlan* plan = nullptr;
  const MetricRegistry* registry = nullptr;
  ScriptEnv script;             // template: each worker copies it for its own state
  std::string setup_data_json;  // setup()'s return value as JSON; empty for none
  SnapshotQueue* queue = nullptr;
  std::vector<std::unique_ptr<SharedScenarioState>> scenario_states;  // by plan scenario index
  std::atomic<int> stop{kRun};                // written by the controller, read by workers
  const std::atomic<int>* signals = nullptr;  // SIGINT/SIGTERM count (setup/teardown stop on one)
};

// How a worker calls each iteration's function.
enum class CallStyle {
  kVuThenData,  // scenario functions: fn(vu, data)
  kDataOnly,    // setup() and teardown(data)
};

class Worker final : public VuHost, public TransportCallback, public TimerHandler {
 public:
  // `scenarios` are the plan entries this worker runs (usually all of plan->scenarios).
  Worker(int index, int count, RunShared& shared, std::vector<const ScenarioPlan*> scenarios,
         CallStyle style = CallStyle::kVuThenData);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Loads the script into a fresh Lua state and creates the initial VUs. Errors carry the
  // script's message and traceback.
  Status init();
  // Runs until every scenario is done (or the run is stopped), pushing a snapshot to the queue
  // every second and a final one at the end. `run_start` is the run's common start time.
  void run(Nanos run_start);
  // setup() and teardown() workers finish their one call despite a graceful stop request; only
  // RunShared::kNow interrupts them.
  void ignore_graceful_stop() { ignore_graceful_stop_ = true; }
  // Thread-safe: makes the worker notice RunShared::stop promptly.
  void wake() { loop_.wake(); }
  // With CallStyle::kDataOnly: the last iteration's return value as JSON ("" for nil), or an
  // error when it could not be encoded or the iteration failed.
  const Result<std::string>& captured_result() const { return captured_; }
  // The first script error this worker saw, if any (for setup/teardown failures).
  const std::string& first_error() const { return first_error_; }

  // For scenario runners.
  EventLoop& loop() { return loop_; }
  Vu* new_vu(ScenarioRunner& runner);
  void start_iteration(Vu& vu, Nanos scheduled_start, int64_t scenario_iteration);
  void interrupt(Vu& vu);  // abandons the VU's iteration; the runner is not called back
  void count_dropped(ScenarioRunner& runner);

  // VuHost.
  HttpCall* http_call(VuContext& vu) override;
  void http_discard(VuContext& vu) override;
  void http_submit(VuContext& vu, bool batch) override;
  void sleep(VuContext& vu, Nanos duration) override;
  void add_sample(VuContext& vu, int metric, double value, const std::vector<Tag>& extra) override;

  // TransportCallback.
  void on_exchange_done(HttpExchange* exchange) override;
  // TimerHandler: sleep wake-ups and the interval tick.
  void on_timer(uint64_t token) override;

 private:
  struct HttpSeries {  // series ids of every HTTP metric for one tag set
    uint32_t ids[kHttpReqFailed - kHttpReqs + 1];
    uint32_t data_sent, data_received;
    bool expected;
  };
  struct RunnerInfo {
    std::unique_ptr<ScenarioRunner> runner;
    int exec_ref = LUA_NOREF;
    std::vector<Tag> base_tags;  // scenario, the scenario's tags, the run's tags
    int64_t vu_id_base = 0;      // run-wide VU ids of this scenario start after this
    int64_t vus_created = 0;
  };

  void run_ready();  // starts the iterations queued by start_iteration()
  void begin_iteration(Vu& vu);
  void resume(Vu& vu, int nargs);
  void end_iteration(Vu& vu);
  void record_script_error(lua_State* thread, const char* message);
  void deliver_http(Vu& vu);
  void send(Vu& vu, HttpCall* call);
  void record_http(Vu& vu, HttpCall* call);
  bool follow_redirect(HttpCall* call);
  void release_calls(Vu& vu);
  const HttpSeries& http_series(Vu& vu, HttpCall* call);
  uint32_t series_for(int metric, const ScenarioRunner* runner, const std::string& group,
                      const std::vector<Tag>& extra);
  RunnerInfo& info_of(const ScenarioRunner* runner);
  void flush_interval(bool final);
  void apply_stop(int stop);
  bool all_done() const;

  int index_;
  int count_;
  RunShared& shared_;
  std::vector<const ScenarioPlan*> scenarios_;
  CallStyle style_;
  ScriptEnv env_;
  EventLoop loop_;
  std::unique_ptr<CurlTransport> curl_;
  std::unique_ptr<NativeTransport> native_;  // null with http_transport = "curl"
  LuaStatePtr lua_;
  int vu_proxy_ref_ = LUA_NOREF;
  int data_ref_ = LUA_NOREF;
  std::vector<RunnerInfo> runners_;
  std::vector<std::unique_ptr<Vu>> vus_;
  std::vector<Vu*> ready_;  // VUs whose next iteration starts on the next loop turn
  std::vector<std::unique_ptr<HttpCall>> call_pool_owned_;
  std::vector<HttpCall*> free_calls_;

  MetricShard shard_;
  FineRecorder fine_;                  // requests by 100 ms bucket since the last snapshot
  HdrHistogram schedule_lag_;          // µs an open-model iteration started after its schedule
  ThreadClock clock_;                  // this thread's CPU and run-queue wait
  Nanos cpu_at_interval_start_ = 0;    // this thread's CPU time at the last snapshot
  Nanos wait_at_interval_start_ = -1;  // its run-queue wait then (-1: unknown)
  Nanos loop_lag_ = 0;                 // how late the last interval tick fired
  TagInterner interner_;
  std::unordered_map<std::string, HttpSeries> http_series_;
  std::unordered_map<std::string, uint32_t> sample_series_;
  std::string key_;  // scratch buffer for series keys

  std::map<std::string, int64_t> errors_;       // message → count since the last interval
  std::map<std::string, int64_t> errors_seen_;  // every message ever seen (for first-time traces)
  std::vector<std::pair<std::string, std::string>> new_tracebacks_;
  std::string first_error_;
  int64_t interrupted_ = 0;
  int64_t busy_vus_ = 0;
  Nanos interval_start_ = 0;
  Nanos run_start_ = 0;
  Nanos next_tick_ = 0;
  int64_t ticks_ = 0;  // interval snapshots sent before the final one
  int applied_stop_ = RunShared::kRun;
  bool ignore_graceful_stop_ = false;
  Result<std::string> captured_ = std::string();
};

}  // namespace stampede
