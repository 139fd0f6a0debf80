// The stampede Lua API (docs/scripting.md is the user-facing contract).
//
// open_stampede_api installs, into a sandboxed state: http (get, head, post, put, patch,
// delete, options, request, batch), check, group, sleep, think, fail, env, vu, metrics, open,
// json. Functions that wait (http.*, sleep) only work inside a VU coroutine and yield to the
// VuHost; in init code they raise an error naming the function.
#pragma once

#include <lua.hpp>

#include "common/result.h"
#include "engine/lua/vu_context.h"

namespace stampede {

// Installs the API and runs the built-in Lua prelude. Errors only if the prelude fails.
Status open_stampede_api(lua_State* L);

// Registers the http table (api_http.cc).
void open_http_api(lua_State* L);

// The VU running on L; in init code raises a Lua error saying `what` is only for VU code. Call
// it before creating any C++ object in the lua_CFunction (the error longjmps).
VuContext* require_vu(lua_State* L, const char* what);

// require_vu() for functions that wait (http.*, sleep): also raises when the coroutine cannot
// yield here, before anything is started.
VuContext* require_waiting_vu(lua_State* L, const char* what);

// Reads a duration argument: a number of seconds or a duration string ("500ms"). On bad input
// pushes a message naming `what` and returns false (the caller raises it with lua_error).
bool read_duration_arg(lua_State* L, int index, const char* what, int64_t* out);

}  // namespace stampede
