// Reads `options.chaos` (the action timeline, guard and caps) and `options.expect` (the
// validations) into a ChaosPlan (docs/chaos.md). Called by read_run_plan with the options table
// on top of the stack, after the scenarios are known. Errors name the option path
// ("options.chaos[2].action: unknown action 'pod-explode' (expected ...)"). Main thread only.
#pragma once

#include <lua.hpp>

#include "common/result.h"
#include "engine/chaos/chaos_plan.h"
#include "engine/lua/table_reader.h"

namespace stampede {

// The largest pod count, replica count or cap an option may name (they are kept in ints).
constexpr int64_t kMaxPodCount = 100'000;

// Reads both keys (either may be absent). `run_length` is the planned run length: actions
// must start before it.
Status read_chaos_options(lua_State* L, TableReader& options, Nanos run_length, ChaosPlan& plan);

// Reads options.expect into plan.expectations, resolving action references against
// plan.actions (so the actions are read first). In chaos_expect_reader.cc.
Status read_expectations(lua_State* L, TableReader& options, ChaosPlan& plan);

}  // namespace stampede
