// TableReader, shared by the options readers (options_reader.cc, chaos_options_reader.cc).
// Main thread only: it reads the script's lua_State while no worker runs.
#pragma once

#include <lua.hpp>

#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "engine/core/duration.h"
#include "engine/metrics/tag_set.h"

namespace stampede {

// Reads fields of the Lua table on top of the stack, naming `path` in errors and rejecting keys
// nobody asked for. Every getter leaves the stack balanced.
class TableReader {
 public:
  static constexpr int64_t kDefaultMaxCount = 1'000'000'000'000;

  TableReader(lua_State* L, std::string path) : L_(L), path_(std::move(path)) {}

  // Pushes field `key`; returns its type (LUA_TNIL when absent) and marks the key as known.
  int push(const char* key) {
    known_.insert(key);
    lua_pushstring(L_, key);
    return lua_rawget(L_, -2);
  }
  std::string at(const std::string& key) const { return path_ + "." + key; }

  Result<std::optional<std::string>> string(const char* key) {
    int type = push(key);
    std::optional<std::string> out;
    if (type == LUA_TSTRING) out = lua_tostring(L_, -1);
    lua_pop(L_, 1);
    if (type != LUA_TNIL && type != LUA_TSTRING) return Error(at(key) + ": expected a string");
    return out;
  }

  Result<std::optional<double>> number(const char* key) {
    int type = push(key);
    std::optional<double> out;
    if (type == LUA_TNUMBER) out = lua_tonumber(L_, -1);
    lua_pop(L_, 1);
    if (type != LUA_TNIL && type != LUA_TNUMBER) return Error(at(key) + ": expected a number");
    if (out && !std::isfinite(*out)) return Error(at(key) + ": expected a finite number");
    return out;
  }

  // A whole number in [min, max]; callers that keep it in an int pass a `max` that fits.
  Result<std::optional<int64_t>> count(const char* key, int64_t min,
                                       int64_t max = kDefaultMaxCount) {
    auto n = number(key);
    if (!n.ok()) return n.error();
    if (!n.value()) return std::optional<int64_t>();
    double v = *n.value();
    if (v != std::floor(v) || v < static_cast<double>(min) || v > static_cast<double>(max)) {
      std::string range = max == kDefaultMaxCount
                              ? ">= " + std::to_string(min)
                              : "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
      return Error(at(key) + ": expected a whole number " + range + ", got " + format_number(v));
    }
    return std::optional<int64_t>(static_cast<int64_t>(v));
  }

  Result<std::optional<Nanos>> duration(const char* key) {
    int type = push(key);
    Result<std::optional<Nanos>> out = std::optional<Nanos>();
    if (type == LUA_TSTRING) {
      auto d = parse_duration(lua_tostring(L_, -1));
      out = d.ok() ? Result<std::optional<Nanos>>(std::optional<Nanos>(d.value()))
                   : Result<std::optional<Nanos>>(d.error().with_context(at(key)));
    } else if (type == LUA_TNUMBER) {
      double seconds = lua_tonumber(L_, -1);
      out = seconds >= 0 && seconds < 1e9
                ? Result<std::optional<Nanos>>(
                      std::optional<Nanos>(std::llround(seconds * kNanosPerSecond)))
                : Result<std::optional<Nanos>>(Error(at(key) + ": expected seconds >= 0"));
    } else if (type != LUA_TNIL) {
      out = Error(at(key) + ": expected a duration like \"30s\" or a number of seconds");
    }
    lua_pop(L_, 1);
    return out;
  }

  Result<std::optional<bool>> boolean(const char* key) {
    int type = push(key);
    std::optional<bool> out;
    if (type == LUA_TBOOLEAN) out = lua_toboolean(L_, -1) != 0;
    lua_pop(L_, 1);
    if (type != LUA_TNIL && type != LUA_TBOOLEAN)
      return Error(at(key) + ": expected true or false");
    return out;
  }

  // A {name = "value"} table of strings.
  Result<std::vector<Tag>> string_map(const char* key) {
    int type = push(key);
    std::vector<Tag> out;
    Status st;
    if (type == LUA_TTABLE) {
      lua_pushnil(L_);
      while (lua_next(L_, -2) != 0) {
        if (lua_type(L_, -2) != LUA_TSTRING || !lua_isstring(L_, -1)) {
          st = Error(at(key) + ": expected a table of name = \"value\" strings");
          lua_pop(L_, 2);
          break;
        }
        out.emplace_back(lua_tostring(L_, -2), lua_tostring(L_, -1));
        lua_pop(L_, 1);
      }
    } else if (type != LUA_TNIL) {
      st = Error(at(key) + ": expected a table of name = \"value\" strings");
    }
    lua_pop(L_, 1);
    if (!st.ok()) return st.error();
    return out;
  }

  // Fails on a key of the table that no getter asked for. With `allow_list` the table may also
  // hold a list part (keys 1..n, as options.chaos does); any other number key is an error, as
  // the list is read up to its length and would skip it.
  Status no_unknown_keys(const char* hint, bool allow_list = false) {
    Status st;
    const lua_Integer length = static_cast<lua_Integer>(lua_rawlen(L_, -1));
    lua_pushnil(L_);
    while (lua_next(L_, -2) != 0) {
      lua_pop(L_, 1);  // the value; the key stays for lua_next
      if (allow_list && lua_type(L_, -1) == LUA_TNUMBER) {
        lua_Integer i = 0;
        if (lua_isinteger(L_, -1) && (i = lua_tointeger(L_, -1)) >= 1 && i <= length) continue;
        st = Error(path_ + "[" + format_number(lua_tonumber(L_, -1)) +
                   "]: not a position in the list (write the entries as a list: { {...}, {...} })");
        lua_pop(L_, 1);
        break;
      }
      std::string key = lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : "(non-string key)";
      if (!known_.count(key)) {
        st = Error(at(key) + ": unknown option" + (hint[0] ? std::string(" (") + hint + ")" : ""));
        lua_pop(L_, 1);
        break;
      }
    }
    return st;
  }

  static std::string format_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v);
    return buf;
  }

 private:
  lua_State* L_;
  std::string path_;
  std::set<std::string> known_;
};

}  // namespace stampede
