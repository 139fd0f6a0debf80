// check, group, sleep, think, env, vu, metrics and open: the non-HTTP part of the Lua API.
//
// Every lua_CFunction here keeps no C++ object with a destructor alive across a call that can
// raise a Lua error or yield: both unwind with longjmp (Lua is built as C).
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "engine/core/duration.h"
#include "engine/lua/api.h"
#include "engine/lua/json_module.h"
#include "engine/lua/response.h"
#include "engine/lua/sandbox.h"
#include "engine/lua/script_env.h"
#include "engine/lua/vu_context.h"

namespace stampede {

extern const char kPreludeSource[];  // prelude.lua, embedded at build time

namespace {

const char* const kMetricType = "stampede.Metric";

struct MetricHandle {
  int id;
  MetricType type;
};

// Reads an optional {key = value} tag table at `index` into `out`; false on a non-string value
// (the message is pushed).
bool read_tags(lua_State* L, int index, std::vector<Tag>& out) {
  if (lua_isnoneornil(L, index)) return true;
  if (!lua_istable(L, index)) {
    lua_pushstring(L, "tags must be a table of name = value strings");
    return false;
  }
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING || !(lua_isstring(L, -1))) {
      lua_pop(L, 2);
      lua_pushstring(L, "tags must be a table of name = value strings");
      return false;
    }
    out.emplace_back(lua_tostring(L, -2), lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  return true;
}

// Records a sample with optional tags at `tags_index`; pushes an error message and returns
// false on bad tags.
bool record(lua_State* L, VuContext* vu, int metric, double value, int tags_index,
            const char* extra_key, const char* extra_value) {
  std::vector<Tag> tags;
  if (extra_key != nullptr) tags.emplace_back(extra_key, extra_value);
  if (!read_tags(L, tags_index, tags)) return false;
  vu->host->add_sample(*vu, metric, value, tags);
  return true;
}

int l_record_check(lua_State* L) {
  VuContext* vu = require_vu(L, "check()");
  const char* name = luaL_checkstring(L, 1);
  bool ok = lua_toboolean(L, 2);
  if (!record(L, vu, kChecks, ok ? 1 : 0, 3, "check", name)) return lua_error(L);
  return 0;
}

int l_group_enter(lua_State* L) {
  VuContext* vu = require_vu(L, "group()");
  size_t len;
  const char* name = luaL_checklstring(L, 1, &len);
  if (len == 0 || std::strstr(name, "::") != nullptr) {
    return luaL_error(L, "group: name must be non-empty and must not contain '::'");
  }
  lua_pushinteger(L, static_cast<lua_Integer>(monotonic_now()));
  vu->group.append("::").append(name, len);
  return 1;
}

int l_group_exit(lua_State* L) {
  VuContext* vu = require_vu(L, "group()");
  Nanos started = luaL_checkinteger(L, 1);
  double ms = static_cast<double>(monotonic_now() - started) / kNanosPerMilli;
  vu->host->add_sample(*vu, kGroupDuration, ms, {});
  size_t cut = vu->group.rfind("::");
  vu->group.resize(cut == std::string::npos ? 0 : cut);
  return 0;
}

}  // namespace

VuContext* require_vu(lua_State* L, const char* what) {
  VuContext* vu = vu_of(L);
  if (vu == nullptr) {
    luaL_error(L,
               "%s can only be used inside VU code (scenario functions, setup, teardown), "
               "not in the script's top-level init code",
               what);
  }
  return vu;
}

VuContext* require_waiting_vu(lua_State* L, const char* what) {
  VuContext* vu = require_vu(L, what);
  if (!lua_isyieldable(L)) {
    luaL_error(L,
               "%s cannot wait here: it was called from code that cannot yield (a "
               "string.gsub or table.sort callback, a metamethod, or a required module's "
               "top level)",
               what);
  }
  return vu;
}

bool read_duration_arg(lua_State* L, int index, const char* what, int64_t* out) {
  if (lua_type(L, index) == LUA_TNUMBER) {
    double seconds = lua_tonumber(L, index);
    if (!(seconds >= 0) || seconds > 1e9) {
      lua_pushfstring(L, "%s: expected a non-negative number of seconds", what);
      return false;
    }
    *out = static_cast<int64_t>(std::llround(seconds * kNanosPerSecond));
    return true;
  }
  if (lua_type(L, index) == LUA_TSTRING) {
    auto parsed = parse_duration(lua_tostring(L, index));
    if (parsed.ok()) {
      *out = parsed.value();
      return true;
    }
    lua_pushfstring(L, "%s: %s", what, parsed.error().message().c_str());
    return false;
  }
  lua_pushfstring(L, "%s: expected seconds or a duration string like \"500ms\", got %s", what,
                  luaL_typename(L, index));
  return false;
}

namespace {

int l_sleep(lua_State* L) {
  VuContext* vu = require_waiting_vu(L, "sleep()");
  int64_t duration = 0;
  if (!read_duration_arg(L, 1, "sleep", &duration)) return lua_error(L);
  vu->host->sleep(*vu, duration);
  vu->waiting = true;
  return lua_yield(L, 0);
}

// think(min, max): a uniformly random number of seconds in [min, max], for sleep().
int l_think(lua_State* L) {
  double lo = luaL_checknumber(L, 1);
  double hi = luaL_optnumber(L, 2, lo);
  if (hi < lo) return luaL_error(L, "think: max (%f) is less than min (%f)", hi, lo);
  ScriptEnv* env = script_env(L);
  uint64_t x = env->random_state;  // xorshift64*
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  env->random_state = x;
  double unit = static_cast<double>((x * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
  lua_pushnumber(L, lo + (hi - lo) * unit);
  return 1;
}

// The global `vu`: read-only id/iteration/scenario, other fields per-VU state.
int l_vu_index(lua_State* L) {
  VuContext* vu = vu_of(L);
  const char* key = lua_tostring(L, 2);
  if (key != nullptr) {
    if (std::strcmp(key, "id") == 0) {
      lua_pushinteger(L, vu ? vu->id : 0);
      return 1;
    }
    if (std::strcmp(key, "iteration") == 0) {
      lua_pushinteger(L, vu ? vu->iteration : 0);
      return 1;
    }
    if (std::strcmp(key, "iteration_in_scenario") == 0) {
      lua_pushinteger(L, vu ? vu->scenario_iteration : 0);
      return 1;
    }
    if (std::strcmp(key, "scenario") == 0) {
      if (vu == nullptr || vu->scenario == nullptr) return 0;
      lua_pushstring(L, vu->scenario->c_str());
      return 1;
    }
  }
  if (vu == nullptr || vu->state_ref == LUA_NOREF) return 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, vu->state_ref);
  lua_pushvalue(L, 2);
  lua_gettable(L, -2);
  return 1;
}

int l_vu_newindex(lua_State* L) {
  VuContext* vu = require_vu(L, "vu.<field> = value");
  const char* key = lua_tostring(L, 2);
  if (key != nullptr &&
      (std::strcmp(key, "id") == 0 || std::strcmp(key, "iteration") == 0 ||
       std::strcmp(key, "scenario") == 0 || std::strcmp(key, "iteration_in_scenario") == 0)) {
    return luaL_error(L, "vu.%s is read-only", key);
  }
  if (vu->state_ref == LUA_NOREF) {
    lua_newtable(L);
    vu->state_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, vu->state_ref);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_settable(L, -3);
  return 0;
}

int l_metric_add(lua_State* L) {
  auto* m = static_cast<MetricHandle*>(luaL_checkudata(L, 1, kMetricType));
  VuContext* vu = require_vu(L, "metric:add()");
  double value;
  if (lua_isboolean(L, 2)) {
    value = lua_toboolean(L, 2) ? 1 : 0;
  } else {
    value = luaL_checknumber(L, 2);
  }
  if (!std::isfinite(value)) return luaL_error(L, "metric:add: value must be finite");
  if (!record(L, vu, m->id, value, 3, nullptr, nullptr)) return lua_error(L);
  return 0;
}

bool push_new_metric(lua_State* L, const char* name, MetricType type, bool is_time) {
  auto id = script_env(L)->registry->add(name, type, is_time);
  if (!id.ok()) {
    lua_pushstring(L, id.error().message().c_str());
    return false;
  }
  auto* m = static_cast<MetricHandle*>(lua_newuserdatauv(L, sizeof(MetricHandle), 0));
  m->id = id.value();
  m->type = type;
  luaL_setmetatable(L, kMetricType);
  return true;
}

template <MetricType kType>
int l_new_metric(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  bool is_time = kType == MetricType::kTrend && lua_toboolean(L, 2);
  if (!push_new_metric(L, name, kType, is_time)) return lua_error(L);
  return 1;
}

// open(path): the whole file as a string (read-only, under the script's folder).
int l_open(lua_State* L) {
  const char* path = luaL_checkstring(L, 1);
  lua_getglobal(L, "io");
  lua_getfield(L, -1, "open");
  lua_pushstring(L, path);
  lua_pushstring(L, "rb");
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return luaL_error(L, "open: %s", lua_tostring(L, -1));
  lua_pop(L, 1);
  lua_getfield(L, -1, "read");
  lua_pushvalue(L, -2);
  lua_pushstring(L, "a");
  lua_call(L, 2, 1);
  lua_getfield(L, -2, "close");
  lua_pushvalue(L, -3);
  lua_call(L, 1, 0);
  return 1;
}

void open_env(lua_State* L) {
  ScriptEnv* env = script_env(L);
  lua_createtable(L, 0, static_cast<int>(env->env.size()));
  for (const auto& [key, value] : env->env) {
    lua_pushlstring(L, value.data(), value.size());
    lua_setfield(L, -2, key.c_str());
  }
  lua_setglobal(L, "env");
}

void open_vu(lua_State* L) {
  lua_newtable(L);
  lua_newtable(L);
  lua_pushcfunction(L, l_vu_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_vu_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "vu");
}

void open_metrics(lua_State* L) {
  luaL_newmetatable(L, kMetricType);
  lua_newtable(L);
  lua_pushcfunction(L, l_metric_add);
  lua_setfield(L, -2, "add");
  lua_pushcfunction(L, l_metric_add);
  lua_setfield(L, -2, "set");
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  const luaL_Reg fns[] = {{"counter", l_new_metric<MetricType::kCounter>},
                          {"gauge", l_new_metric<MetricType::kGauge>},
                          {"rate", l_new_metric<MetricType::kRate>},
                          {"trend", l_new_metric<MetricType::kTrend>},
                          {nullptr, nullptr}};
  luaL_newlib(L, fns);
  lua_setglobal(L, "metrics");
}

}  // namespace

Status open_stampede_api(lua_State* L) {
  open_json_module(L);
  register_response_type(L);
  open_http_api(L);
  open_env(L);
  open_vu(L);
  open_metrics(L);
  lua_register(L, "sleep", l_sleep);
  lua_register(L, "think", l_think);
  lua_register(L, "open", l_open);

  if (luaL_loadbufferx(L, kPreludeSource, std::strlen(kPreludeSource), "=prelude", "t") != LUA_OK) {
    Error e(std::string("prelude: ") + lua_tostring(L, -1));
    lua_pop(L, 1);
    return e;
  }
  lua_pushcfunction(L, l_record_check);
  lua_pushcfunction(L, l_group_enter);
  lua_pushcfunction(L, l_group_exit);
  if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
    Error e(std::string("prelude: ") + lua_tostring(L, -1));
    lua_pop(L, 1);
    return e;
  }
  return Status::Ok();
}

}  // namespace stampede
