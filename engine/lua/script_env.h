// ScriptEnv: what the Lua API functions of one lua_State need to know about their run,
// reachable from any coroutine of that state. Owned by whoever owns the state (a worker or the
// main thread), which must keep it alive as long as the state.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "engine/metrics/metric_registry.h"

namespace stampede {

struct ScriptEnv {
  std::string script_path;             // as given on the command line
  std::string script_dir;              // canonical folder of the script: the sandbox's file root
  MetricRegistry* registry = nullptr;  // frozen in workers: metrics are declared in init code
  std::map<std::string, std::string> env;         // values of the global `env` table
  uint64_t random_state = 0x9E3779B97F4A7C15ULL;  // think(); seeded per state
};

// Stores `env` in L's registry; later retrieved by script_env().
void set_script_env(lua_State* L, ScriptEnv* env);
ScriptEnv* script_env(lua_State* L);

}  // namespace stampede
