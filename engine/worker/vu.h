// Vu: one virtual user on a worker — its Lua coroutine context plus the bookkeeping the worker
// and its scenario runner need. Owned by the Worker; used only on the worker's thread.
#pragma once

#include <vector>

#include "engine/core/clock.h"
#include "engine/lua/vu_context.h"

namespace stampede {

class ScenarioRunner;

struct Vu : VuContext {
  ScenarioRunner* runner = nullptr;
  int index = 0;                // in the worker's VU table (timer tokens carry it)
  int runner_index = 0;         // in its runner's VU list
  bool busy = false;            // inside an iteration (or about to start one)
  bool start_pending = false;   // queued to start on the next loop turn
  bool sleeping = false;        // parked in sleep(); only a sleep timer may resume it
  bool in_lua = false;          // lua_resume is on the stack for this VU
  bool resume_pending = false;  // completions arrived while in_lua: resume after the yield
  uint32_t generation = 0;      // bumped by interrupt(); stale sleep timers carry an older one
  Nanos iteration_start = 0;
  Nanos scheduled_start = 0;     // open models: when the iteration should have started, else 0
  bool first_request = true;     // the iteration's first request absorbs the start delay (CO)
  bool batch = false;            // the pending HTTP calls were a batch
  std::vector<HttpCall*> calls;  // queued or in flight, in call order
  int calls_pending = 0;
};

}  // namespace stampede
