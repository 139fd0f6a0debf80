#include "engine/lua/script_loader.h"

#include <string>

#include "engine/lua/api.h"
#include "engine/lua/sandbox.h"

namespace stampede {
namespace {

int traceback_handler(lua_State* L) {
  const char* message = lua_tostring(L, 1);
  luaL_traceback(L, L, message != nullptr ? message : "(error object is not a string)", 1);
  return 1;
}

}  // namespace

int raw_global(lua_State* L, const char* name) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushstring(L, name);
  int type = lua_rawget(L, -2);
  lua_remove(L, -2);
  return type;
}

int call_with_traceback(lua_State* L, int nargs, int nresults) {
  int base = lua_gettop(L) - nargs;  // the function's index
  lua_pushcfunction(L, traceback_handler);
  lua_insert(L, base);
  int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return status;
}

Result<LuaStatePtr> load_script(ScriptEnv* env) {
  auto state = new_sandboxed_state(env);
  if (!state.ok()) return state.error();
  lua_State* L = state.value().get();
  Status api = open_stampede_api(L);
  if (!api.ok()) return api.error();
  if (luaL_loadfilex(L, env->script_path.c_str(), "t") != LUA_OK) {
    Error e(lua_tostring(L, -1));
    lua_pop(L, 1);
    return e;
  }
  if (call_with_traceback(L, 0, 0) != LUA_OK) {
    Error e(lua_tostring(L, -1));
    lua_pop(L, 1);
    return e;
  }
  return std::move(state).value();
}

}  // namespace stampede
