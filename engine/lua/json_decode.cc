// json.decode and push_json_text(): nlohmann's SAX parser building Lua values directly on the
// Lua stack, so no DOM is allocated for a decoded response.
#include <cstdint>
#include <lua.hpp>
#include <nlohmann/json.hpp>

#include "engine/lua/json_internal.h"
#include "engine/lua/json_module.h"

namespace stampede {
namespace {

using json_internal::null_sentinel;
using json_internal::push_array_metatable;

// Builds the decoded value directly on the Lua stack: each open container is a table on the
// stack (plus its pending key for objects); frames_ says how to attach the next value.
class LuaSax {
 public:
  explicit LuaSax(lua_State* L) : L_(L) {}

  bool null() {
    lua_pushlightuserdata(L_, null_sentinel());
    return attach();
  }
  bool boolean(bool value) {
    lua_pushboolean(L_, value);
    return attach();
  }
  bool number_integer(int64_t value) {
    lua_pushinteger(L_, value);
    return attach();
  }
  bool number_unsigned(uint64_t value) {
    if (value <= static_cast<uint64_t>(INT64_MAX)) {
      lua_pushinteger(L_, static_cast<lua_Integer>(value));
    } else {
      lua_pushnumber(L_, static_cast<lua_Number>(value));
    }
    return attach();
  }
  bool number_float(double value, const std::string& /*text*/) {
    lua_pushnumber(L_, value);
    return attach();
  }
  bool string(std::string& value) {
    lua_pushlstring(L_, value.data(), value.size());
    return attach();
  }
  bool binary(nlohmann::json::binary_t& /*value*/) { return false; }  // not in JSON text
  bool key(std::string& value) {
    lua_pushlstring(L_, value.data(), value.size());
    return true;
  }
  bool start_object(std::size_t /*elements*/) { return open(kObject); }
  bool start_array(std::size_t /*elements*/) { return open(0); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::json::exception& error) {
    // what() is "[json.exception.parse_error.101] parse error at line 1, column 17: <reason>".
    std::string_view what = error.what();
    if (size_t bracket = what.find("] "); bracket != std::string_view::npos) {
      what.remove_prefix(bracket + 2);
    }
    if (size_t colon = what.find(": ");
        what.starts_with("parse error") && colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    }
    error_ = "parse error at byte " + std::to_string(position) + ": " + std::string(what);
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  static constexpr lua_Integer kObject = -1;

  bool open(lua_Integer frame) {
    if (depth_ == kJsonMaxDepth) {
      error_ = "nesting deeper than " + std::to_string(kJsonMaxDepth);
      return false;
    }
    if (!lua_checkstack(L_, 4)) {
      error_ = "out of Lua stack";
      return false;
    }
    lua_newtable(L_);
    frames_[depth_++] = frame;
    return true;
  }

  bool close() {
    if (frames_[--depth_] == 0) {  // an empty array: mark it so it encodes back as []
      push_array_metatable(L_);
      lua_setmetatable(L_, -2);
    }
    return attach();
  }

  // Moves the value on top of the stack into the enclosing container, if any.
  bool attach() {
    if (depth_ == 0) return true;
    lua_Integer& frame = frames_[depth_ - 1];
    if (frame == kObject) {
      lua_rawset(L_, -3);
    } else {
      lua_rawseti(L_, -2, ++frame);
    }
    return true;
  }

  lua_State* L_;
  int depth_ = 0;
  lua_Integer frames_[kJsonMaxDepth];  // kObject, or the number of array elements so far
  std::string error_;
};

}  // namespace

Status push_json_text(lua_State* L, std::string_view text) {
  int top = lua_gettop(L);
  if (!lua_checkstack(L, 4)) return Error("out of Lua stack");
  LuaSax sax(L);
  if (!nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &sax)) {
    lua_settop(L, top);
    return Error(sax.error());
  }
  return Status::Ok();
}

}  // namespace stampede
