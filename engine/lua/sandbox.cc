#include "engine/lua/sandbox.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "engine/lua/vu_context.h"

namespace stampede {
namespace {

const char kEnvKey = 0;  // its address keys the ScriptEnv in the registry

// Pushes the resolved path, or the error message, and says which. Keeps C++ objects out of the
// caller's frame so it can raise a Lua error (a longjmp) safely.
bool push_sandbox_path(lua_State* L, const char* path) {
  auto resolved = sandbox_path(*script_env(L), path);
  lua_pushstring(L, resolved.ok() ? resolved.value().c_str() : resolved.error().message().c_str());
  return resolved.ok();
}

// io.open(path [, mode]): read modes only, inside the script folder.
int io_open_readonly(lua_State* L) {
  const char* path = luaL_checkstring(L, 1);
  const char* mode = luaL_optstring(L, 2, "r");
  if (std::strcmp(mode, "r") != 0 && std::strcmp(mode, "rb") != 0) {
    return luaL_error(L, "io.open: mode '%s' not allowed: scripts may only read files", mode);
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));  // the original io.open
  if (!push_sandbox_path(L, path)) return lua_error(L);
  lua_pushstring(L, mode);
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L) - 2;
}

int io_lines_readonly(lua_State* L) {
  const char* path = luaL_checkstring(L, 1);
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));  // the original io.lines
  if (!push_sandbox_path(L, path)) return lua_error(L);
  for (int i = 2; i <= n; ++i) lua_pushvalue(L, i);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L) - n;
}

// load(chunk [, name [, mode [, env]]]) with mode forced to text.
int load_text_only(lua_State* L) {
  int n = lua_gettop(L);
  // An explicit nil `env` would set _ENV to nil, so env is passed only when the caller gave it.
  int args = n >= 4 ? 4 : 3;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);  // none reads as nil
  lua_pushstring(L, "t");
  if (args == 4) lua_pushvalue(L, 4);
  lua_call(L, args, LUA_MULTRET);
  return lua_gettop(L) - n;
}

// package.searchers[2] replacement: finds name.lua on package.path (under the script folder)
// and loads it as text only.
int search_text_module(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchpath");
  lua_pushstring(L, name);
  lua_getfield(L, -3, "path");
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return 1;  // the "no file" message
  const char* filename = lua_tostring(L, -2);
  if (luaL_loadfilex(L, filename, "t") != LUA_OK) {
    return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, filename,
                      lua_tostring(L, -1));
  }
  lua_pushstring(L, filename);
  return 2;
}

int print_stderr(lua_State* L) {
  int n = lua_gettop(L);
  if (VuContext* vu = vu_of(L)) std::fprintf(stderr, "[vu %lld] ", static_cast<long long>(vu->id));
  for (int i = 1; i <= n; ++i) {
    size_t len;
    const char* s = luaL_tolstring(L, i, &len);
    if (i > 1) std::fputc('\t', stderr);
    std::fwrite(s, 1, len, stderr);
    lua_pop(L, 1);
  }
  std::fputc('\n', stderr);
  return 0;
}

void keep_fields(lua_State* L, const char* lib, std::initializer_list<const char*> keep) {
  lua_getglobal(L, lib);
  lua_newtable(L);
  for (const char* name : keep) {
    lua_getfield(L, -2, name);
    lua_setfield(L, -2, name);
  }
  lua_setglobal(L, lib);
  lua_pop(L, 1);
}

}  // namespace

void set_script_env(lua_State* L, ScriptEnv* env) {
  lua_pushlightuserdata(L, env);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kEnvKey);
}

ScriptEnv* script_env(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kEnvKey);
  auto* env = static_cast<ScriptEnv*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return env;
}

Result<std::string> sandbox_path(const ScriptEnv& env, const std::string& path) {
  std::string candidate = !path.empty() && path[0] == '/' ? path : env.script_dir + "/" + path;
  char buf[PATH_MAX];
  if (realpath(candidate.c_str(), buf) == nullptr) {
    return Error("cannot open '" + path + "': no such file under " + env.script_dir);
  }
  std::string real = buf;
  if (real != env.script_dir && real.rfind(env.script_dir + "/", 0) != 0) {
    return Error("cannot open '" + path + "': scripts may only read files under " + env.script_dir);
  }
  return real;
}

Result<LuaStatePtr> new_sandboxed_state(ScriptEnv* env) {
  LuaStatePtr state(luaL_newstate());
  if (!state) return Error("cannot create a Lua state: out of memory");
  lua_State* L = state.get();
  bind_vu(L, nullptr);  // new coroutines copy this: nullptr means the init context
  set_script_env(L, env);
  luaL_openlibs(L);

  // Base library: no file loading, text-only load, print to stderr.
  lua_pushnil(L);
  lua_setglobal(L, "dofile");
  lua_pushnil(L);
  lua_setglobal(L, "loadfile");
  lua_getglobal(L, "load");
  lua_pushcclosure(L, load_text_only, 1);
  lua_setglobal(L, "load");
  lua_pushcfunction(L, print_stderr);
  lua_setglobal(L, "print");

  // require: Lua modules under the script folder only.
  lua_getglobal(L, "package");
  lua_pushstring(L, (env->script_dir + "/?.lua;" + env->script_dir + "/?/init.lua").c_str());
  lua_setfield(L, -2, "path");
  lua_pushstring(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pushnil(L);
  lua_setfield(L, -2, "loadlib");
  lua_getfield(L, -1, "searchers");  // keep the preload and Lua-file searchers only
  lua_pushnil(L);
  lua_rawseti(L, -2, 4);
  lua_pushnil(L);
  lua_rawseti(L, -2, 3);
  lua_pop(L, 2);

  // io: read-only, inside the script folder.
  lua_getglobal(L, "io");
  lua_newtable(L);
  lua_getfield(L, -2, "open");
  lua_pushcclosure(L, io_open_readonly, 1);
  lua_setfield(L, -2, "open");
  lua_getfield(L, -2, "lines");
  lua_pushcclosure(L, io_lines_readonly, 1);
  lua_setfield(L, -2, "lines");
  lua_setglobal(L, "io");
  lua_pop(L, 1);

  keep_fields(L, "os", {"time", "clock", "date", "difftime", "getenv"});
  lua_pushnil(L);
  lua_setglobal(L, "debug");

  // require("io") / require("os") / require("debug") must not hand back the originals.
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "loaded");
  lua_getglobal(L, "io");
  lua_setfield(L, -2, "io");
  lua_getglobal(L, "os");
  lua_setfield(L, -2, "os");
  lua_pushnil(L);
  lua_setfield(L, -2, "debug");
  lua_pop(L, 1);
  // Lua modules load as text only, like everything else.
  lua_getfield(L, -1, "searchers");
  lua_pushcfunction(L, search_text_module);
  lua_rawseti(L, -2, 2);
  lua_pop(L, 2);
  return state;
}

}  // namespace stampede
