// Internals shared by the json module's files (json_module.cc, json_encode.cc,
// json_decode.cc); not an API for other components, which use json_module.h.
#pragma once

struct lua_State;

namespace stampede::json_internal {

// The address behind json.null; the same in every lua_State of the process.
void* null_sentinel();
// The address behind json.empty_array.
void* empty_array_sentinel();
// Pushes json.array_mt, creating it in this state's registry on first use.
void push_array_metatable(lua_State* L);
// True when the value at `index` has json.array_mt as its metatable.
bool has_array_metatable(lua_State* L, int index);

}  // namespace stampede::json_internal
