// The Lua `json` module and the engine's JSON <-> Lua conversions.
//
// Lua API (global table `json`):
//   json.encode(value [, {indent = N, sort_keys = bool}]) -> string   (indent <= 0: compact)
//   json.decode(text) -> value
//   json.null         sentinel (lightuserdata) for JSON null: decoded from null, encoded as null
//   json.empty_array  sentinel (lightuserdata) that encodes as []
//   json.array_mt     metatable; a table carrying it always encodes as an array
//
// Mapping rules (the same for encode_json, to_json, push_json and push_json_text):
// - A table whose keys are exactly the integers 1..n is an array. Any other table is an object:
//   its keys must be strings or integers (integers become decimal strings, e.g. {[5]=true} ->
//   {"5":true}, so sparse arrays encode as objects); other keys are an error.
// - An empty table encodes as {} (as lua-cjson does: Lua cannot tell an empty array from an
//   empty object). Use json.empty_array or setmetatable({}, json.array_mt) for []. Decoding []
//   yields an empty table carrying json.array_mt, so json.encode(json.decode("[]")) == "[]".
// - Integers stay integers: JSON numbers without fraction or exponent decode to Lua integers
//   when they fit in int64, everything else to floats; Lua integers encode without a decimal
//   point and floats always with one or an exponent ("1.0"), so the subtype round-trips.
// - NaN and +-Inf, functions, userdata (other than the sentinels), threads, invalid UTF-8 in
//   strings, cycles and nesting deeper than kJsonMaxDepth are errors naming the path, e.g.
//   "json.encode: cannot encode function at .items[3].cb".
// - Metamethods (__index, __pairs, __tojson) are not consulted: tables are read raw.
// - Object key order is Lua's iteration order unless sort_keys is set (byte-wise order).
// - Decoding: duplicate object keys keep the last value; parse errors read
//   "json.decode: parse error at byte 17: <reason>".
//
// All functions run on the thread that owns the lua_State; nothing here holds global mutable
// state (the sentinels are addresses of process-wide constants, valid in every lua_State).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

struct lua_State;

namespace stampede {

// Deepest nesting of arrays/objects accepted by encode and decode.
inline constexpr int kJsonMaxDepth = 128;

struct JsonEncodeOptions {
  int indent = 0;          // spaces per level; <= 0 means compact output
  bool sort_keys = false;  // sort object keys byte-wise
};

// Sets the global table `json` (encode, decode, null, empty_array, array_mt) in L.
void open_json_module(lua_State* L);

// Encodes the value at `index` as JSON text. Errors name the path ("cannot encode function at
// .items[3].cb"); the Lua stack is left as it was.
Result<std::string> encode_json(lua_State* L, int index, const JsonEncodeOptions& options = {});

// Decodes `text` and pushes the result (SAX, no intermediate DOM). On error pushes nothing and
// returns "parse error at byte N: <reason>". Raises a Lua error only when out of memory.
Status push_json_text(lua_State* L, std::string_view text);

// Pushes `value` as a Lua value: null -> json.null, arrays -> sequences (an empty one carries
// json.array_mt), objects -> tables with string keys, unsigned beyond int64 -> float.
// Raises a Lua error when out of memory or when nested deeper than kJsonMaxDepth.
void push_json(lua_State* L, const nlohmann::json& value);

// Converts the Lua value at `index` to a JSON document with the mapping rules above; for handing
// setup() data from one lua_State to another. Errors as encode_json.
Result<nlohmann::json> to_json(lua_State* L, int index);

// True when the value at `index` is json.null.
bool is_json_null(lua_State* L, int index);

}  // namespace stampede
