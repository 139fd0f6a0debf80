// LuaStatePtr: an owning handle for a lua_State (closed on destruction).
#pragma once

#include <lua.hpp>

#include <memory>

namespace stampede {

struct LuaStateCloser {
  void operator()(lua_State* L) const { lua_close(L); }
};
using LuaStatePtr = std::unique_ptr<lua_State, LuaStateCloser>;

}  // namespace stampede
