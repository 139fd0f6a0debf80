// The sandboxed Lua environment scripts run in.
//
// Standard libraries base, coroutine, table, string, math and utf8; `require` finds Lua modules
// under the script's folder only (no C modules); `io.open`/`io.lines` read files under that
// folder only; `os` keeps time, clock, date, difftime and getenv. No os.execute, no file
// writes, no load of binary chunks, no dofile/loadfile. `print` writes to stderr.
#pragma once

#include "common/result.h"
#include "engine/lua/lua_state.h"
#include "engine/lua/script_env.h"

namespace stampede {

// A new state with the sandboxed libraries; `env` must outlive it.
Result<LuaStatePtr> new_sandboxed_state(ScriptEnv* env);

// Resolves `path` (relative to the script folder, or absolute) and checks it stays inside the
// script folder. Errors name the path.
Result<std::string> sandbox_path(const ScriptEnv& env, const std::string& path);

}  // namespace stampede
