#include "engine/lua/json_module.h"

#include <cstdint>
#include <lua.hpp>
#include <nlohmann/json.hpp>

#include "engine/lua/json_internal.h"

// Lua errors are longjmps: each lua_error() below is raised from a function whose C++ locals
// have already been destroyed, so the helpers return bool and leave the message on the stack.

namespace stampede {
namespace json_internal {
namespace {

const char kSentinels[2] = {0, 0};  // two distinct addresses: json.null, json.empty_array
constexpr const char* kArrayMetatable = "stampede.json.array_mt";

}  // namespace

void* null_sentinel() {
  return const_cast<char*>(&kSentinels[0]);
}

void* empty_array_sentinel() {
  return const_cast<char*>(&kSentinels[1]);
}

void push_array_metatable(lua_State* L) {
  luaL_newmetatable(L, kArrayMetatable);
}

bool has_array_metatable(lua_State* L, int index) {
  if (!lua_getmetatable(L, index)) return false;
  luaL_getmetatable(L, kArrayMetatable);
  bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

}  // namespace json_internal

namespace {

using json_internal::empty_array_sentinel;
using json_internal::null_sentinel;
using json_internal::push_array_metatable;

// push_json() with the nesting depth so far.
void push_json_at_depth(lua_State* L, const nlohmann::json& value, int depth) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null:
      lua_pushlightuserdata(L, null_sentinel());
      return;
    case Type::boolean:
      lua_pushboolean(L, value.get<bool>());
      return;
    case Type::number_integer:
      lua_pushinteger(L, value.get<int64_t>());
      return;
    case Type::number_unsigned: {
      uint64_t u = value.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) {
        lua_pushinteger(L, static_cast<lua_Integer>(u));
      } else {
        lua_pushnumber(L, static_cast<lua_Number>(u));
      }
      return;
    }
    case Type::number_float:
      lua_pushnumber(L, value.get<double>());
      return;
    case Type::string: {
      const auto& s = value.get_ref<const std::string&>();
      lua_pushlstring(L, s.data(), s.size());
      return;
    }
    case Type::binary: {
      const auto& bytes = value.get_binary();
      lua_pushlstring(L, reinterpret_cast<const char*>(bytes.data()), bytes.size());
      return;
    }
    case Type::array:
    case Type::object:
      break;
    default:
      lua_pushnil(L);
      return;
  }
  if (depth >= kJsonMaxDepth) luaL_error(L, "json: nesting deeper than %d", kJsonMaxDepth);
  luaL_checkstack(L, 3, "json: nesting too deep");
  if (value.is_array()) {
    const auto& array = value.get_ref<const nlohmann::json::array_t&>();
    lua_createtable(L, static_cast<int>(array.size()), 0);
    for (size_t i = 0; i < array.size(); ++i) {
      push_json_at_depth(L, array[i], depth + 1);
      lua_rawseti(L, -2, static_cast<lua_Integer>(i) + 1);
    }
    if (array.empty()) {
      push_array_metatable(L);
      lua_setmetatable(L, -2);
    }
    return;
  }
  // Iterate the map directly: its iterators are trivially destructible, which matters if a Lua
  // error unwinds through here.
  const auto& object = value.get_ref<const nlohmann::json::object_t&>();
  lua_createtable(L, 0, static_cast<int>(object.size()));
  for (const auto& member : object) {
    lua_pushlstring(L, member.first.data(), member.first.size());
    push_json_at_depth(L, member.second, depth + 1);
    lua_rawset(L, -3);
  }
}

// json.encode body; leaves the result or an error message on the stack.
bool lua_encode(lua_State* L) {
  JsonEncodeOptions options;
  if (!lua_isnoneornil(L, 2)) {
    if (!lua_istable(L, 2)) {
      lua_pushliteral(L, "json.encode: options must be a table");
      return false;
    }
    lua_getfield(L, 2, "indent");
    int valid = 1;
    lua_Integer indent = lua_tointegerx(L, -1, &valid);
    if (!lua_isnil(L, -1) && (!valid || indent > 64)) {
      lua_pushliteral(L, "json.encode: option 'indent' must be an integer <= 64");
      return false;
    }
    options.indent = static_cast<int>(indent);
    lua_getfield(L, 2, "sort_keys");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1)) {
      lua_pushliteral(L, "json.encode: option 'sort_keys' must be a boolean");
      return false;
    }
    options.sort_keys = lua_toboolean(L, -1);
    lua_pop(L, 2);
  }
  Result<std::string> text = encode_json(L, 1, options);
  if (!text.ok()) {
    std::string message = "json.encode: " + text.error().message();
    lua_pushlstring(L, message.data(), message.size());
    return false;
  }
  lua_pushlstring(L, text.value().data(), text.value().size());
  return true;
}

int l_encode(lua_State* L) {
  luaL_checkany(L, 1);
  return lua_encode(L) ? 1 : lua_error(L);
}

bool lua_decode(lua_State* L, std::string_view text) {
  Status status = push_json_text(L, text);
  if (status.ok()) return true;
  std::string message = "json.decode: " + status.error().message();
  lua_pushlstring(L, message.data(), message.size());
  return false;
}

int l_decode(lua_State* L) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, 1, &length);
  return lua_decode(L, std::string_view(text, length)) ? 1 : lua_error(L);
}

}  // namespace

void push_json(lua_State* L, const nlohmann::json& value) {
  push_json_at_depth(L, value, 0);
}

Result<nlohmann::json> to_json(lua_State* L, int index) {
  Result<std::string> text = encode_json(L, index);
  if (!text.ok()) return text.error();
  return nlohmann::json::parse(text.value(), nullptr, /*allow_exceptions=*/false);
}

bool is_json_null(lua_State* L, int index) {
  return lua_islightuserdata(L, index) && lua_touserdata(L, index) == null_sentinel();
}

void open_json_module(lua_State* L) {
  lua_createtable(L, 0, 5);
  lua_pushcfunction(L, l_encode);
  lua_setfield(L, -2, "encode");
  lua_pushcfunction(L, l_decode);
  lua_setfield(L, -2, "decode");
  lua_pushlightuserdata(L, null_sentinel());
  lua_setfield(L, -2, "null");
  lua_pushlightuserdata(L, empty_array_sentinel());
  lua_setfield(L, -2, "empty_array");
  push_array_metatable(L);
  lua_setfield(L, -2, "array_mt");
  lua_setglobal(L, "json");
}

}  // namespace stampede
