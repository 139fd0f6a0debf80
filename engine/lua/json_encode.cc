// json.encode and encode_json(): writes JSON text straight from Lua values, no DOM in between.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <lua.hpp>
#include <vector>

#include "engine/lua/json_internal.h"
#include "engine/lua/json_module.h"

namespace stampede {
namespace {

using json_internal::empty_array_sentinel;
using json_internal::has_array_metatable;
using json_internal::null_sentinel;

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[0] (a byte >= 0x80), 0 when invalid.
size_t utf8_sequence_length(const unsigned char* s, size_t available) {
  unsigned char c = s[0];
  size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // bounds of the second byte
  if (c >= 0xc2 && c <= 0xdf) {
    length = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    length = 3;
    if (c == 0xe0) low = 0xa0;
    if (c == 0xed) high = 0x9f;  // no UTF-16 surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    length = 4;
    if (c == 0xf0) low = 0x90;
    if (c == 0xf4) high = 0x8f;
  }
  if (length == 0 || available < length || s[1] < low || s[1] > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (s[i] < 0x80 || s[i] > 0xbf) return 0;
  }
  return length;
}

// True for keys that read well as ".name" in an error path.
bool is_identifier(std::string_view s) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  return !s.empty() && !(s[0] >= '0' && s[0] <= '9') && std::all_of(s.begin(), s.end(), word);
}

// Writes one Lua value as JSON text. On failure, error_ holds the reason and path_ the location,
// built while the recursion unwinds so the success path pays nothing for it.
class Encoder {
 public:
  Encoder(lua_State* L, const JsonEncodeOptions& options) : L_(L), options_(options) {}

  bool encode(int index, int depth) {
    switch (lua_type(L_, index)) {
      case LUA_TNIL:
        out_ += "null";
        return true;
      case LUA_TBOOLEAN:
        out_ += lua_toboolean(L_, index) ? "true" : "false";
        return true;
      case LUA_TNUMBER:
        return encode_number(index);
      case LUA_TSTRING: {
        size_t length = 0;
        const char* s = lua_tolstring(L_, index, &length);
        return write_string(std::string_view(s, length)) || fail("invalid UTF-8 in string");
      }
      case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L_, index) == null_sentinel()) {
          out_ += "null";
          return true;
        }
        if (lua_touserdata(L_, index) == empty_array_sentinel()) {
          out_ += "[]";
          return true;
        }
        return fail("cannot encode lightuserdata");
      case LUA_TTABLE:
        return encode_table(index, depth);
      default:
        return fail(std::string("cannot encode ") + luaL_typename(L_, index));
    }
  }

  std::string& out() { return out_; }
  std::string error() const { return path_.empty() ? error_ : error_ + " at " + path_; }

 private:
  bool fail(std::string reason) {
    error_ = std::move(reason);
    return false;
  }

  bool encode_number(int index) {
    char buffer[32];
    if (lua_isinteger(L_, index)) {
      auto result = std::to_chars(buffer, buffer + sizeof buffer, lua_tointeger(L_, index));
      out_.append(buffer, result.ptr);
      return true;
    }
    double value = lua_tonumber(L_, index);
    if (std::isnan(value)) return fail("cannot encode NaN");
    if (std::isinf(value)) return fail("cannot encode infinity");
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    std::string_view text(buffer, result.ptr - buffer);
    out_ += text;
    // Keep the float subtype visible so it decodes back to a float.
    if (text.find_first_of(".e") == std::string_view::npos) out_ += ".0";
    return true;
  }

  bool write_string(std::string_view s) {
    out_ += '"';
    const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
    size_t run_start = 0;
    for (size_t i = 0; i < s.size();) {
      unsigned char c = bytes[i];
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
        ++i;
        continue;
      }
      if (c >= 0x80) {
        size_t length = utf8_sequence_length(bytes + i, s.size() - i);
        if (length == 0) return false;
        i += length;
        continue;
      }
      out_.append(s.data() + run_start, i - run_start);
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 0xf];
      }
      run_start = ++i;
    }
    out_.append(s.data() + run_start, s.size() - run_start);
    out_ += '"';
    return true;
  }

  void newline(int depth) {
    if (options_.indent <= 0) return;
    out_ += '\n';
    out_.append(static_cast<size_t>(options_.indent) * depth, ' ');
  }

  // Writes the key at stack index `key` (a string or an integer) as an object key.
  bool write_key(int key, int depth, bool first) {
    if (!first) out_ += ',';
    newline(depth);
    if (lua_type(L_, key) == LUA_TSTRING) {
      size_t length = 0;
      const char* s = lua_tolstring(L_, key, &length);
      if (!write_string(std::string_view(s, length))) return fail("invalid UTF-8 in key");
    } else {
      out_ += '"' + std::to_string(lua_tointeger(L_, key)) + '"';
    }
    out_ += options_.indent > 0 ? ": " : ":";
    return true;
  }

  // Encodes the value on top of the stack (a member of the table) and pops it; on failure
  // prepends `key`'s path segment.
  bool encode_member(int key, int depth) {
    bool ok = encode(lua_gettop(L_), depth);
    if (!ok) {
      std::string segment;
      if (lua_type(L_, key) == LUA_TSTRING && is_identifier(lua_tostring(L_, key))) {
        segment = std::string(".") + lua_tostring(L_, key);
      } else if (lua_type(L_, key) == LUA_TSTRING) {
        segment = std::string("[\"") + lua_tostring(L_, key) + "\"]";
      } else {
        segment = "[" + std::to_string(lua_tointeger(L_, key)) + "]";
      }
      path_.insert(0, segment);
    }
    lua_pop(L_, 1);
    return ok;
  }

  bool encode_table(int index, int depth) {
    if (depth >= kJsonMaxDepth) {
      return fail("cannot encode tables nested deeper than " + std::to_string(kJsonMaxDepth));
    }
    const void* self = lua_topointer(L_, index);
    if (std::find(open_.begin(), open_.end(), self) != open_.end()) {
      return fail("cannot encode a table that contains itself");
    }
    if (!lua_checkstack(L_, 4)) return fail("cannot encode: out of Lua stack");
    // Classify: an array has exactly the keys 1..n; other keys must be strings or integers.
    lua_Integer count = 0, max_key = 0;
    bool sequence = true;
    lua_pushnil(L_);
    while (lua_next(L_, index) != 0) {
      lua_pop(L_, 1);
      ++count;
      if (lua_isinteger(L_, -1)) {
        max_key = std::max(max_key, lua_tointeger(L_, -1));
        sequence = sequence && lua_tointeger(L_, -1) >= 1;
      } else if (lua_type(L_, -1) == LUA_TSTRING) {
        sequence = false;
      } else {
        std::string type =
            lua_type(L_, -1) == LUA_TNUMBER ? "non-integer number" : luaL_typename(L_, -1);
        lua_pop(L_, 1);
        return fail("cannot encode table key of type " + type);
      }
    }
    bool array = has_array_metatable(L_, index);
    if (array) count = static_cast<lua_Integer>(lua_rawlen(L_, index));
    open_.push_back(self);
    bool ok = (array || (count > 0 && sequence && max_key == count))
                  ? encode_array(index, count, depth)
                  : encode_object(index, count, depth);
    open_.pop_back();
    return ok;
  }

  bool encode_array(int index, lua_Integer count, int depth) {
    out_ += '[';
    for (lua_Integer i = 1; i <= count; ++i) {
      if (i > 1) out_ += ',';
      newline(depth + 1);
      lua_pushinteger(L_, i);
      lua_rawgeti(L_, index, i);
      bool ok = encode_member(lua_gettop(L_) - 1, depth + 1);
      lua_pop(L_, 1);
      if (!ok) return false;
    }
    if (count > 0) newline(depth);
    out_ += ']';
    return true;
  }

  bool encode_object(int index, lua_Integer count, int depth) {
    out_ += '{';
    if (options_.sort_keys) {
      // Sort a sequence of keys kept in a scratch table, then look each value up.
      std::vector<std::pair<std::string, lua_Integer>> keys;  // text, position in scratch
      lua_createtable(L_, static_cast<int>(count), 0);
      int scratch = lua_gettop(L_);
      lua_pushnil(L_);
      while (lua_next(L_, index) != 0) {
        lua_pop(L_, 1);
        lua_pushvalue(L_, -1);
        lua_rawseti(L_, scratch, static_cast<lua_Integer>(keys.size()) + 1);
        keys.emplace_back(lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1)
                                                          : std::to_string(lua_tointeger(L_, -1)),
                          static_cast<lua_Integer>(keys.size()) + 1);
      }
      std::sort(keys.begin(), keys.end());
      for (size_t i = 0; i < keys.size(); ++i) {
        lua_rawgeti(L_, scratch, keys[i].second);
        lua_pushvalue(L_, -1);
        lua_rawget(L_, index);
        int key = lua_gettop(L_) - 1;
        if (!write_key(key, depth + 1, i == 0) || !encode_member(key, depth + 1)) {
          lua_settop(L_, scratch - 1);
          return false;
        }
        lua_pop(L_, 1);
      }
      lua_pop(L_, 1);
    } else {
      bool first = true;
      lua_pushnil(L_);
      while (lua_next(L_, index) != 0) {
        int key = lua_gettop(L_) - 1;
        if (!write_key(key, depth + 1, first) || !encode_member(key, depth + 1)) {
          lua_settop(L_, key - 1);
          return false;
        }
        first = false;
      }
    }
    if (count > 0) newline(depth);
    out_ += '}';
    return true;
  }

  lua_State* L_;
  JsonEncodeOptions options_;
  std::string out_;
  std::string error_;
  std::string path_;
  std::vector<const void*> open_;  // tables being encoded, to detect cycles
};

}  // namespace

Result<std::string> encode_json(lua_State* L, int index, const JsonEncodeOptions& options) {
  int top = lua_gettop(L);
  Encoder encoder(L, options);
  bool ok = encoder.encode(lua_absindex(L, index), 0);
  lua_settop(L, top);
  if (!ok) return Error(encoder.error());
  return std::move(encoder.out());
}

}  // namespace stampede
