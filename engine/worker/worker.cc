#include "engine/worker/worker.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "engine/lua/api.h"
#include "engine/lua/json_module.h"
#include "engine/lua/sandbox.h"
#include "engine/lua/script_loader.h"

namespace stampede {
namespace {

// The stop flag of the worker running on this thread, for the Lua count hook.
thread_local const std::atomic<int>* t_stop_flag = nullptr;

// Runs every 100k Lua instructions: a VU stuck in a loop cannot outlive a stop-now.
void stop_hook(lua_State* L, lua_Debug*) {
  if (t_stop_flag != nullptr && t_stop_flag->load(std::memory_order_relaxed) == RunShared::kNow) {
    luaL_error(L, "interrupted: the run is stopping");
  }
}

// Timer tokens of the worker itself: kind in the top byte.
constexpr uint64_t kSleepKind = 1ULL << 56;
constexpr uint64_t kIntervalKind = 2ULL << 56;
constexpr uint64_t kKindMask = 0xFFULL << 56;

uint64_t sleep_token(const Vu& vu) {
  return kSleepKind | (static_cast<uint64_t>(vu.index) << 24) | (vu.generation & 0xFFFFFF);
}

}  // namespace

Worker::Worker(int index, int count, RunShared& shared, std::vector<const ScenarioPlan*> scenarios,
               CallStyle style)
    : index_(index),
      count_(count),
      shared_(shared),
      scenarios_(std::move(scenarios)),
      style_(style),
      env_(shared.script),
      shard_(*shared.registry),
      interner_(shared.plan->max_series) {
  // Each worker's think() gets its own random sequence.
  env_.random_state ^= 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(index + 1);
}

Worker::~Worker() {
  // The transports go first: they may hold exchanges owned by call_pool_owned_.
  native_.reset();
  curl_.reset();
}

Status Worker::init() {
  if (!loop_.ok()) return Error("cannot create the worker's event loop (epoll/timerfd)");
  CurlTransportOptions options;
  options.user_agent = shared_.plan->user_agent;
  options.insecure_skip_tls_verify = shared_.plan->insecure_skip_tls_verify;
  curl_ = std::make_unique<CurlTransport>(loop_, *this, options);
  if (shared_.plan->http_transport == "auto") {
    NativeTransportOptions native;
    native.user_agent = shared_.plan->user_agent;
    native_ = std::make_unique<NativeTransport>(loop_, *this, native);
  }

  auto loaded = load_script(&env_);
  if (!loaded.ok()) return loaded.error();
  lua_ = std::move(loaded).value();
  lua_State* L = lua_.get();
  lua_sethook(L, stop_hook, LUA_MASKCOUNT, 100000);  // coroutines inherit it

  raw_global(L, "vu");
  vu_proxy_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  if (!shared_.setup_data_json.empty()) {
    auto parsed = nlohmann::json::parse(shared_.setup_data_json, nullptr, false);
    if (parsed.is_discarded()) return Error("setup() data could not be decoded");
    push_json(L, parsed);
    data_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  }

  const std::vector<ScenarioPlan>& planned = shared_.plan->scenarios;
  for (const ScenarioPlan* s : scenarios_) {
    // A plan scenario's VUs get a block of run-wide ids after the earlier scenarios' (as many
    // as it can ever use in the whole test, so the blocks are the same in every process of a
    // segmented run); setup/teardown are outside the plan, use the spare shared state and
    // number their single VU 1.
    size_t state_index = shared_.scenario_states.size() - 1;
    int64_t id_base = 0;
    for (size_t i = 0; i < planned.size(); ++i) {
      if (&planned[i] == s) {
        state_index = i;
        break;
      }
      id_base += planned[i].peak_vus();
    }
    if (state_index == shared_.scenario_states.size() - 1) id_base = 0;
    RunnerInfo info;
    info.runner =
        make_scenario_runner(*this, *s, index_, count_, *shared_.scenario_states[state_index]);
    info.vu_id_base = id_base;
    info.base_tags.emplace_back("scenario", s->name);
    for (const Tag& t : s->tags) info.base_tags.push_back(t);
    for (const Tag& t : shared_.plan->tags) info.base_tags.push_back(t);
    if (raw_global(L, s->exec.c_str()) != LUA_TFUNCTION) {
      lua_pop(L, 1);
      return Error("no global function '" + s->exec + "' for scenario " + s->name);
    }
    info.exec_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    runners_.push_back(std::move(info));
  }
  for (RunnerInfo& info : runners_) {
    if (!info.runner->prepare()) return Error("cannot create VUs: out of memory");
  }
  return Status::Ok();
}

Worker::RunnerInfo& Worker::info_of(const ScenarioRunner* runner) {
  for (RunnerInfo& info : runners_) {
    if (info.runner.get() == runner) return info;
  }
  return runners_.front();  // unreachable: every runner is registered
}

Vu* Worker::new_vu(ScenarioRunner& runner) {
  lua_State* L = lua_.get();
  auto vu = std::make_unique<Vu>();
  vu->thread = lua_newthread(L);
  vu->thread_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  bind_vu(vu->thread, vu.get());
  vu->host = this;
  vu->runner = &runner;
  vu->scenario = &runner.plan().name;
  vu->index = static_cast<int>(vus_.size());
  RunnerInfo& info = info_of(&runner);
  // Striped like the segments (ScenarioSlice::vu_number): ids stay unique across the workers
  // and across the instances of an execution segment sequence (k6's exec.vu.idInTest).
  vu->id = info.vu_id_base + runner.slice().vu_number(info.vus_created) + 1;
  ++info.vus_created;
  vus_.push_back(std::move(vu));
  return vus_.back().get();
}

void Worker::start_iteration(Vu& vu, Nanos scheduled_start, int64_t scenario_iteration) {
  // Queued, not run here: an iteration that ends without yielding would otherwise start the
  // next one inside this call, recursing without bound and never returning to the loop.
  vu.busy = true;
  vu.start_pending = true;
  ++busy_vus_;
  vu.scheduled_start = scheduled_start;
  vu.scenario_iteration = scenario_iteration;
  ready_.push_back(&vu);
}

void Worker::run_ready() {
  std::vector<Vu*> batch;
  batch.swap(ready_);
  for (Vu* vu : batch) {
    if (!vu->start_pending) continue;  // interrupted before it started
    vu->start_pending = false;
    vu->iteration_start = monotonic_now();
    if (vu->scheduled_start > 0) {
      // Generator self-check: how late this open-model iteration starts. A value past the
      // histogram's range is clamped (recorded as saturated), so record() cannot fail here.
      Nanos lag = std::max<Nanos>(0, vu->iteration_start - vu->scheduled_start);
      (void)schedule_lag_.record(lag / kNanosPerMicro);
    }
    begin_iteration(*vu);
  }
}

void Worker::begin_iteration(Vu& vu) {
  vu.first_request = true;
  vu.group.clear();
  lua_State* T = vu.thread;
  RunnerInfo& info = info_of(vu.runner);
  lua_rawgeti(T, LUA_REGISTRYINDEX, info.exec_ref);
  int nargs = 0;
  if (style_ == CallStyle::kVuThenData) {
    lua_rawgeti(T, LUA_REGISTRYINDEX, vu_proxy_ref_);
    ++nargs;
  }
  if (data_ref_ != LUA_NOREF) {
    lua_rawgeti(T, LUA_REGISTRYINDEX, data_ref_);
    ++nargs;
  }
  resume(vu, nargs);
}

void Worker::resume(Vu& vu, int nargs) {
  lua_State* T = vu.thread;
  while (true) {
    vu.waiting = false;
    vu.in_lua = true;
    int nres = 0;
    int status = lua_resume(T, nullptr, nargs, &nres);
    vu.in_lua = false;
    if (status == LUA_YIELD) {
      lua_pop(T, nres);
      if (!vu.waiting) {
        record_script_error(T, "coroutine.yield() called outside a coroutine of the script");
        lua_resetthread(T);
        end_iteration(vu);
        return;
      }
      if (vu.resume_pending) {  // the wait ended while we were still in Lua
        vu.resume_pending = false;
        deliver_http(vu);
      }
      return;
    }
    if (status == LUA_OK) {
      if (style_ == CallStyle::kDataOnly) {
        if (nres > 0 && !lua_isnil(T, -nres)) {
          auto value = to_json(T, -nres);
          captured_ = value.ok() ? Result<std::string>(value.value().dump(
                                       -1, ' ', false, nlohmann::json::error_handler_t::replace))
                                 : Result<std::string>(value.error());
        } else {
          captured_ = std::string();
        }
      }
      lua_pop(T, nres);
      end_iteration(vu);
      return;
    }
    const char* message = lua_tostring(T, -1);
    record_script_error(T, message != nullptr ? message : "(error object is not a string)");
    if (lua_resetthread(T) != LUA_OK) {
      // Lua 5.4.4 leaves a coroutine that died with an error dead (lua_resetthread runs its
      // pending __close handlers and returns the error), so a fresh coroutine replaces it.
      lua_State* L = lua_.get();
      luaL_unref(L, LUA_REGISTRYINDEX, vu.thread_ref);
      vu.thread = lua_newthread(L);
      vu.thread_ref = luaL_ref(L, LUA_REGISTRYINDEX);
      bind_vu(vu.thread, &vu);
    }
    if (style_ == CallStyle::kDataOnly) captured_ = Error(first_error_);
    end_iteration(vu);
    return;
  }
}

void Worker::record_script_error(lua_State* thread, const char* message) {
  std::string msg = message;
  if (first_error_.empty()) first_error_ = msg;
  ++errors_[msg];
  if (errors_seen_[msg]++ == 0) {
    luaL_traceback(thread, thread, message, 0);
    new_tracebacks_.emplace_back(msg, lua_tostring(thread, -1));
    lua_pop(thread, 1);
  }
}

// An iteration that raised still counts, as in k6; the error is counted apart.
void Worker::end_iteration(Vu& vu) {
  Nanos now = monotonic_now();
  Nanos from = vu.scheduled_start > 0 ? std::min(vu.scheduled_start, vu.iteration_start)
                                      : vu.iteration_start;
  static const std::vector<Tag> kNoTags;
  vu.group.clear();
  add_sample(vu, kIterationDuration, static_cast<double>(now - from) / kNanosPerMilli, kNoTags);
  add_sample(vu, kIterations, 1, kNoTags);
  vu.busy = false;
  --busy_vus_;
  ++vu.iteration;
  vu.runner->on_iteration_end(vu);
}

void Worker::interrupt(Vu& vu) {
  if (!vu.busy) return;
  if (vu.start_pending) {  // queued but never started: nothing to undo
    vu.start_pending = false;
    vu.busy = false;
    --busy_vus_;
    return;
  }
  if (style_ == CallStyle::kDataOnly) {
    captured_ =
        Error("did not finish within its timeout (options.setup_timeout / teardown_timeout)");
  }
  vu.sleeping = false;
  for (HttpCall* call : vu.calls) {
    if (call->transport != nullptr) call->transport->cancel(&call->exchange);
  }
  release_calls(vu);
  ++vu.generation;  // the sleep timer, if any, is now stale
  vu.resume_pending = false;
  lua_resetthread(vu.thread);
  vu.busy = false;
  --busy_vus_;
  ++interrupted_;
}

void Worker::count_dropped(ScenarioRunner& runner) {
  static const std::vector<Tag> kNoTags;
  static const std::string kTopLevel;
  shard_.add(series_for(kDroppedIterations, &runner, kTopLevel, kNoTags), 1);
}

void Worker::sleep(VuContext& ctx, Nanos duration) {
  Vu& vu = static_cast<Vu&>(ctx);
  vu.sleeping = true;
  loop_.add_timer(monotonic_now() + duration, this, sleep_token(vu));
}

void Worker::on_timer(uint64_t token) {
  uint64_t kind = token & kKindMask;
  if (kind == kIntervalKind) {
    loop_lag_ = std::max<Nanos>(0, monotonic_now() - next_tick_);
    flush_interval(false);
    next_tick_ += kNanosPerSecond;
    loop_.add_timer(next_tick_, this, kIntervalKind);
    return;
  }
  if (kind == kSleepKind) {
    size_t index = (token >> 24) & 0xFFFFFFFF;
    if (index >= vus_.size()) return;
    Vu& vu = *vus_[index];
    if (!vu.busy || !vu.sleeping || (vu.generation & 0xFFFFFF) != (token & 0xFFFFFF)) return;
    vu.sleeping = false;
    resume(vu, 0);
  }
}

void Worker::flush_interval(bool final) {
  IntervalSnapshot snap;
  snap.worker = index_;
  snap.start = interval_start_;
  snap.end = monotonic_now();
  interval_start_ = snap.end;
  snap.second = final ? ticks_ + 1 : ++ticks_;
  shard_.take(snap.series);
  for (auto& [message, n] : errors_) snap.script_errors.emplace_back(message, n);
  errors_.clear();
  snap.first_tracebacks = std::move(new_tracebacks_);
  new_tracebacks_.clear();
  snap.vus = busy_vus_;
  snap.vus_max = static_cast<int64_t>(vus_.size());
  snap.interrupted_iterations = interrupted_;
  interrupted_ = 0;
  snap.series_overflow = interner_.overflowed();
  snap.final = final;
  fine_.take(snap.end, &snap.fine_first, snap.fine);
  Nanos cpu = clock_.cpu();
  snap.cpu = cpu - cpu_at_interval_start_;
  cpu_at_interval_start_ = cpu;
  Nanos wait = clock_.run_queue_wait();
  snap.cpu_wait = wait >= 0 && wait_at_interval_start_ >= 0 ? wait - wait_at_interval_start_ : -1;
  wait_at_interval_start_ = wait;
  snap.loop_lag = final ? 0 : loop_lag_;
  schedule_lag_.export_nonzero(snap.schedule_lag);
  schedule_lag_.reset();
  shared_.queue->push(std::move(snap));
}

void Worker::apply_stop(int stop) {
  applied_stop_ = stop;
  for (RunnerInfo& info : runners_) {
    if (stop == RunShared::kNow) {
      info.runner->stop_now();
    } else {
      info.runner->stop_gracefully();
    }
  }
}

bool Worker::all_done() const {
  return std::all_of(runners_.begin(), runners_.end(),
                     [](const RunnerInfo& info) { return info.runner->done(); });
}

void Worker::run(Nanos run_start) {
  run_start_ = run_start;
  interval_start_ = std::max(monotonic_now(), run_start);
  fine_.start(run_start);
  clock_.open();
  cpu_at_interval_start_ = clock_.cpu();
  wait_at_interval_start_ = clock_.run_queue_wait();
  next_tick_ = run_start + kNanosPerSecond;
  loop_.add_timer(next_tick_, this, kIntervalKind);
  for (RunnerInfo& info : runners_) info.runner->start(run_start);
  t_stop_flag = &shared_.stop;
  // setup/teardown stop on a signal that arrives while they run (not on the one that ended the
  // load phase before teardown).
  const int signals_at_start = shared_.signals != nullptr ? shared_.signals->load() : 0;
  while (true) {
    run_ready();
    if (all_done()) break;
    int stop = shared_.stop.load(std::memory_order_acquire);
    if (ignore_graceful_stop_ && stop == RunShared::kGraceful) stop = RunShared::kRun;
    if (ignore_graceful_stop_ && shared_.signals != nullptr &&
        shared_.signals->load() > signals_at_start) {
      stop = RunShared::kNow;  // a signal during setup/teardown stops it
    }
    if (stop > applied_stop_) {
      apply_stop(stop);
      continue;
    }
    Nanos now = monotonic_now();
    loop_.run_once(ready_.empty() ? now + 100 * kNanosPerMilli : now);
  }
  t_stop_flag = nullptr;
  flush_interval(true);
}

}  // namespace stampede
