// The Lua side of the json module: json.encode, json.decode and the sentinels, driven by snippets.
#include "engine/lua/json_module.h"

#include <gtest/gtest.h>

#include <lua.hpp>
#include <nlohmann/json.hpp>

namespace stampede {
namespace {

// Lua helpers for the snippets: eq(actual, expected) and err(f, ...) -> the error message.
constexpr const char* kPrelude = R"(
  function eq(actual, expected)
    if actual ~= expected then
      error(string.format("expected %q, got %q", tostring(expected), tostring(actual)), 2)
    end
  end
  function err(f, ...)
    local ok, message = pcall(f, ...)
    if ok then error("expected an error", 2) end
    return message
  end
)";

class JsonModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    L_ = luaL_newstate();
    luaL_openlibs(L_);
    open_json_module(L_);
    ASSERT_EQ(run(kPrelude), "");
  }
  void TearDown() override { lua_close(L_); }

  // Runs a Lua chunk; returns its error message, or "" when it succeeded.
  std::string run(const char* code) {
    if (luaL_loadstring(L_, code) != LUA_OK || lua_pcall(L_, 0, 0, 0) != LUA_OK) {
      std::string message = lua_tostring(L_, -1);
      lua_pop(L_, 1);
      return message;
    }
    return "";
  }

  lua_State* L_ = nullptr;
};

TEST_F(JsonModuleTest, EncodesScalars) {
  EXPECT_EQ(run(R"lua(
    eq(json.encode(nil), "null")
    eq(json.encode(true), "true")
    eq(json.encode(false), "false")
    eq(json.encode(42), "42")
    eq(json.encode(-7), "-7")
    eq(json.encode(math.maxinteger), "9223372036854775807")
    eq(json.encode(math.mininteger), "-9223372036854775808")
    eq(json.encode(1.5), "1.5")
    eq(json.encode(0.1), "0.1")
    eq(json.encode(1.0), "1.0")
    eq(json.encode(-0.0), "-0.0")
    eq(json.encode(1e20), "1e+20")
    eq(json.encode(2^-1074), "5e-324")
    eq(json.encode("hi"), '"hi"')
    eq(json.encode(json.null), "null")
  )lua"),
            "");
}

TEST_F(JsonModuleTest, EscapesStrings) {
  EXPECT_EQ(run(R"lua(
    eq(json.encode('say "hi"\\'), [["say \"hi\"\\"]])
    eq(json.encode("\n\r\t\b\f"), [["\n\r\t\b\f"]])
    eq(json.encode("\0\1\31\127"), '"\\u0000\\u0001\\u001f\127"')
    eq(json.encode("a/b"), '"a/b"')
    eq(json.encode("caf\u{e9} \u{1F600} \u{20AC}"), '"caf\u{e9} \u{1F600} \u{20AC}"')
  )lua"),
            "");
}

TEST_F(JsonModuleTest, RejectsInvalidUtf8) {
  EXPECT_EQ(run(R"lua(
    eq(err(json.encode, "\xff"), "json.encode: invalid UTF-8 in string")
    eq(err(json.encode, "\xc0\x80"), "json.encode: invalid UTF-8 in string")      -- overlong
    eq(err(json.encode, "\xed\xa0\x80"), "json.encode: invalid UTF-8 in string")  -- surrogate
    eq(err(json.encode, "\xe2\x82"), "json.encode: invalid UTF-8 in string")      -- truncated
    eq(err(json.encode, "\xf4\x90\x80\x80"), "json.encode: invalid UTF-8 in string")  -- > U+10FFFF
    eq(err(json.encode, {list = {"ok", "\xff"}}), "json.encode: invalid UTF-8 in string at .list[2]")
    eq(err(json.encode, {["\xff"] = 1}), "json.encode: invalid UTF-8 in key")
  )lua"),
            "");
}

TEST_F(JsonModuleTest, SequencesAreArraysOtherTablesObjects) {
  EXPECT_EQ(run(R"lua(
    eq(json.encode({1, 2, 3}), "[1,2,3]")
    eq(json.encode({"a", {true, false}}), '["a",[true,false]]')
    eq(json.encode({a = 1}), '{"a":1}')
    eq(json.encode({a = {b = {c = "d"}}}), '{"a":{"b":{"c":"d"}}}')
    eq(json.encode({{x = 1}, {x = 2}}), '[{"x":1},{"x":2}]')
    eq(json.encode({1, json.null, 3}), "[1,null,3]")
  )lua"),
            "");
}

TEST_F(JsonModuleTest, EmptyTablesAndArrayMarkers) {
  EXPECT_EQ(run(R"lua(
    eq(json.encode({}), "{}")
    eq(json.encode(json.empty_array), "[]")
    eq(json.encode({items = json.empty_array}), '{"items":[]}')
    eq(json.encode(setmetatable({}, json.array_mt)), "[]")
    eq(json.encode(setmetatable({1, 2}, json.array_mt)), "[1,2]")
    eq(json.encode(json.decode("[]")), "[]")
    eq(json.encode(json.decode("{}")), "{}")
    eq(json.encode(json.decode('{"a":[],"b":{}}'), {sort_keys = true}), '{"a":[],"b":{}}')
    eq(getmetatable(json.decode("[1]")), nil)
  )lua"),
            "");
}

TEST_F(JsonModuleTest, SparseAndMixedTablesAreObjects) {
  EXPECT_EQ(run(R"lua(
    local o = {sort_keys = true}
    eq(json.encode({[1] = "a", [3] = "c"}, o), '{"1":"a","3":"c"}')
    eq(json.encode({1, 2, x = 3}, o), '{"1":1,"2":2,"x":3}')
    eq(json.encode({[0] = "zero"}), '{"0":"zero"}')
    eq(json.encode({[-1] = "neg"}), '{"-1":"neg"}')
    eq(json.encode({[2] = "b"}), '{"2":"b"}')
    eq(json.encode({[2.0] = "float key normalized to integer"}), '{"2":"float key normalized to integer"}')
  )lua"),
            "");
}

TEST_F(JsonModuleTest, RejectsOtherKeyTypes) {
  EXPECT_EQ(run(R"lua(
    eq(err(json.encode, {[true] = 1}), "json.encode: cannot encode table key of type boolean")
    eq(err(json.encode, {[1.5] = 1}),
       "json.encode: cannot encode table key of type non-integer number")
    eq(err(json.encode, {a = {[{}] = 1}}), "json.encode: cannot encode table key of type table at .a")
  )lua"),
            "");
}

TEST_F(JsonModuleTest, ErrorsNameThePath) {
  EXPECT_EQ(run(R"lua(
    eq(err(json.encode, {items = {1, 2, {cb = function() end}}}),
       "json.encode: cannot encode function at .items[3].cb")
    eq(err(json.encode, print), "json.encode: cannot encode function")
    eq(err(json.encode, {["two words"] = {[7] = coroutine.create(print)}}),
       'json.encode: cannot encode thread at ["two words"][7]')
    eq(err(json.encode, {f = io.stdout}), "json.encode: cannot encode userdata at .f")
    eq(err(json.encode, {0/0}), "json.encode: cannot encode NaN at [1]")
    eq(err(json.encode, {x = math.huge}), "json.encode: cannot encode infinity at .x")
    eq(err(json.encode, -math.huge), "json.encode: cannot encode infinity")
    assert(err(json.encode):find("bad argument #1 to '.*' %(value expected%)"))
  )lua"),
            "");
}

TEST_F(JsonModuleTest, DetectsCyclesButAllowsSharedTables) {
  EXPECT_EQ(run(R"lua(
    local t = {name = "loop"}
    t.self = t
    eq(err(json.encode, t), "json.encode: cannot encode a table that contains itself at .self")
    local a = {}
    local b = {a}
    a[1] = b
    eq(err(json.encode, {a}), "json.encode: cannot encode a table that contains itself at [1][1][1]")
    local shared = {1}
    eq(json.encode({shared, shared}), "[[1],[1]]")
  )lua"),
            "");
}

TEST_F(JsonModuleTest, DepthLimit) {
  EXPECT_EQ(run(R"lua(
    local function nest(n) local t = {} for _ = 2, n do t = {t} end return t end
    eq(json.encode(nest(128)), string.rep("[", 127) .. "{}" .. string.rep("]", 127))
    assert(err(json.encode, nest(129)):find("nested deeper than 128", 1, true))
    local ok128 = string.rep("[", 128) .. string.rep("]", 128)
    eq(json.encode(json.decode(ok128)), ok128)
    local deep = string.rep("[", 129) .. string.rep("]", 129)
    eq(err(json.decode, deep), "json.decode: nesting deeper than 128")
    eq(err(json.decode, string.rep('{"a":', 200) .. "1" .. string.rep("}", 200)),
       "json.decode: nesting deeper than 128")
  )lua"),
            "");
}

TEST_F(JsonModuleTest, EncodeOptions) {
  EXPECT_EQ(run(R"lua(
    local doc = {b = {1, 2}, a = "x", c = {}, d = json.empty_array}
    eq(json.encode(doc, {indent = 2, sort_keys = true}),
       '{\n  "a": "x",\n  "b": [\n    1,\n    2\n  ],\n  "c": {},\n  "d": []\n}')
    eq(json.encode(doc, {indent = 0, sort_keys = true}), '{"a":"x","b":[1,2],"c":{},"d":[]}')
    eq(json.encode({[10] = 1, [9] = 2, x = 3}, {sort_keys = true}), '{"10":1,"9":2,"x":3}')
    eq(json.encode({1}, {indent = 4}), "[\n    1\n]")
    eq(err(json.encode, 1, {indent = "wide"}),
       "json.encode: option 'indent' must be an integer <= 64")
    eq(err(json.encode, 1, {indent = 1000}),
       "json.encode: option 'indent' must be an integer <= 64")
    eq(err(json.encode, 1, {sort_keys = 1}), "json.encode: option 'sort_keys' must be a boolean")
    eq(err(json.encode, 1, "pretty"), "json.encode: options must be a table")
    eq(err(json.encode, {z = {[true] = 1}}, {sort_keys = true}),
       "json.encode: cannot encode table key of type boolean at .z")
    eq(err(json.encode, {z = {f = print}}, {sort_keys = true}),
       "json.encode: cannot encode function at .z.f")
  )lua"),
            "");
  // Errors mid-table leave the stack balanced for the next call.
  EXPECT_EQ(lua_gettop(L_), 0);
}

TEST_F(JsonModuleTest, DecodesIntegersAndFloats) {
  EXPECT_EQ(run(R"lua(
    local function typed(text, value, kind)
      local v = json.decode(text)
      eq(v, value)
      eq(math.type(v), kind)
    end
    typed("1", 1, "integer")
    typed("-42", -42, "integer")
    typed("0", 0, "integer")
    typed("1.0", 1.0, "float")
    typed("1.5", 1.5, "float")
    typed("1e2", 100.0, "float")
    typed("-2.5E-3", -0.0025, "float")
    typed("9223372036854775807", math.maxinteger, "integer")
    typed("-9223372036854775808", math.mininteger, "integer")
    typed("9223372036854775808", 9223372036854775808.0, "float")
    typed("18446744073709551616", 18446744073709551616.0, "float")
    eq(json.encode(json.decode("[1,1.0,2.5,-3]")), "[1,1.0,2.5,-3]")
  )lua"),
            "");
}

TEST_F(JsonModuleTest, DecodesStringsAndUnicodeEscapes) {
  EXPECT_EQ(run(R"lua(
    eq(json.decode('"plain"'), "plain")
    eq(json.decode('"\\u00e9"'), "\u{e9}")
    eq(json.decode('"\\u20AC"'), "\u{20AC}")
    eq(json.decode('"\\ud83d\\ude00"'), "\u{1F600}")
    eq(json.decode('"\\u0000"'), "\0")
    eq(json.decode('"\\"\\\\\\/\\b\\f\\n\\r\\t"'), '"\\/\b\f\n\r\t')
    eq(json.decode('"caf\u{e9}"'), "caf\u{e9}")
    assert(err(json.decode, '"\\ud83d"'):find("^json.decode: parse error at byte %d+: "))
    assert(err(json.decode, '"\xff"'):find("^json.decode: parse error at byte %d+: "))
    assert(err(json.decode, '"\\x41"'):find("^json.decode: parse error at byte %d+: "))
    assert(err(json.decode, '"line\nbreak"'):find("^json.decode: parse error"))
  )lua"),
            "");
}

TEST_F(JsonModuleTest, DecodesNull) {
  EXPECT_EQ(run(R"lua(
    eq(json.decode("null"), json.null)
    eq(json.decode('{"a":null}').a, json.null)
    local t = json.decode("[1,null,3]")
    eq(#t, 3)
    eq(t[2], json.null)
    eq(json.encode(t), "[1,null,3]")
    eq(json.encode(json.decode('{"a":null}')), '{"a":null}')
    eq(type(json.null), "userdata")
    assert(json.null ~= nil and json.null ~= json.empty_array)
  )lua"),
            "");
}

TEST_F(JsonModuleTest, DecodesObjectsAndArrays) {
  EXPECT_EQ(run(R"lua(
    local doc = json.decode([[ {"id": "OLJCESPC7Z", "price": {"units": 19, "nanos": 990000000},
                                "categories": ["accessories", "clothing"], "ok": true,
                                "nested": [[1, 2], {"k": false}], "1": "string key"} ]])
    eq(doc.id, "OLJCESPC7Z")
    eq(doc.price.units, 19)
    eq(doc.categories[2], "clothing")
    eq(#doc.categories, 2)
    eq(doc.ok, true)
    eq(doc.nested[1][2], 2)
    eq(doc.nested[2].k, false)
    eq(doc["1"], "string key")
    eq(doc[1], nil)
    eq(json.decode('{"a":1,"a":2}').a, 2)
    eq(json.decode(" \t\n[ 1 , 2 ]\n ")[2], 2)
  )lua"),
            "");
}

TEST_F(JsonModuleTest, DecodeErrors) {
  EXPECT_EQ(run(R"lua(
    eq(err(json.decode, '{"a":1,}'),
       "json.decode: parse error at byte 8: syntax error while parsing object key - " ..
       "unexpected '}'; expected string literal")
    eq(err(json.decode, "[1,2,tru]"),
       "json.decode: parse error at byte 9: syntax error while parsing value - " ..
       "invalid literal; last read: '2,tru]'")
    assert(err(json.decode, ""):find("^json.decode: parse error at byte 1: .*end of input"))
    assert(err(json.decode, "1 2"):find("^json.decode: parse error at byte 3: "))
    assert(err(json.decode, "{'a':1}"):find("^json.decode: parse error at byte 2: "))
    assert(err(json.decode, "[1,]"):find("^json.decode: parse error"))
    assert(err(json.decode, "NaN"):find("^json.decode: parse error"))
    assert(err(json.decode, "1e400"):find("^json.decode: parse error at byte %d+: .*overflow"))
    assert(err(json.decode, nil):find("bad argument #1 to '.*' %(string expected, got nil%)"))
    eq(json.decode(5), 5)  -- numbers coerce to their text, as in the string library
  )lua"),
            "");
}

TEST_F(JsonModuleTest, DecodesLargeDocumentsRepeatedly) {
  EXPECT_EQ(run(R"lua(
    local items = {}
    for i = 1, 5000 do items[i] = {id = i, name = "item" .. i, price = i / 4} end
    local text = json.encode({items = items})
    for _ = 1, 5 do
      local doc = json.decode(text)
      eq(#doc.items, 5000)
      eq(doc.items[4321].name, "item4321")
      eq(doc.items[3].price, 0.75)
    end
  )lua"),
            "");
}

}  // namespace
}  // namespace stampede
