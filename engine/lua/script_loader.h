// Loading a user script: a sandboxed state, the stampede API, then the script's top-level
// ("init") code. The same function serves the main thread (which reads `options` afterwards)
// and every worker.
#pragma once

#include "common/result.h"
#include "engine/lua/lua_state.h"
#include "engine/lua/script_env.h"

namespace stampede {

// Returns the loaded state. Errors are the script's own messages ("journey.lua:12: ...") with a
// Lua traceback for runtime errors in init code.
Result<LuaStatePtr> load_script(ScriptEnv* env);

// Pushes the global `name` without metamethods and returns its type.
int raw_global(lua_State* L, const char* name);

// Calls the function on top of L's stack with `nargs` arguments below it, as lua_pcall does,
// adding a traceback to the error message. Returns the Lua status.
int call_with_traceback(lua_State* L, int nargs, int nresults);

}  // namespace stampede
