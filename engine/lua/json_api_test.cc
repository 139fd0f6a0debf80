// The C++ side of the json module: encode_json, push_json_text, push_json, to_json.
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

class JsonApiTest : public ::testing::Test {
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

TEST_F(JsonApiTest, RoundTripsThroughNlohmann) {
  const char* text =
      R"({"a":[1,2.5,"x",null,true,{"b":[]}],"c":{"d":{}},"e":-0.125,"f":"\u00e9\n","g":12345678901})";
  ASSERT_TRUE(push_json_text(L_, text).ok());
  Result<std::string> encoded = encode_json(L_, -1, {.indent = 0, .sort_keys = true});
  ASSERT_TRUE(encoded.ok()) << encoded.error().message();
  EXPECT_EQ(encoded.value(), nlohmann::json::parse(text).dump());
  Result<std::string> pretty = encode_json(L_, -1, {.indent = 4, .sort_keys = true});
  ASSERT_TRUE(pretty.ok());
  EXPECT_EQ(pretty.value(), nlohmann::json::parse(text).dump(4));
  lua_pop(L_, 1);
}

TEST_F(JsonApiTest, PushJsonTextLeavesNothingOnError) {
  Status status = push_json_text(L_, "[1, {\"a\": [2, ");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message().rfind("parse error at byte ", 0), 0u);
  EXPECT_EQ(lua_gettop(L_), 0);
  ASSERT_TRUE(push_json_text(L_, "null").ok());
  EXPECT_TRUE(is_json_null(L_, -1));
  EXPECT_FALSE(is_json_null(L_, 1000));
  lua_pop(L_, 1);
}

TEST_F(JsonApiTest, EncodeJsonKeepsTheStack) {
  ASSERT_EQ(run("bad = {ok = 1, list = {1, 2, {f = print}}}; good = {1, 2}"), "");
  lua_getglobal(L_, "bad");
  lua_getglobal(L_, "good");
  Result<std::string> failed = encode_json(L_, -2);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "cannot encode function at .list[3].f");
  EXPECT_EQ(lua_gettop(L_), 2);
  Result<std::string> good = encode_json(L_, -1);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), "[1,2]");
  EXPECT_EQ(lua_gettop(L_), 2);
  lua_settop(L_, 0);
}

TEST_F(JsonApiTest, PushJsonMapsTheDom) {
  nlohmann::json doc = {{"users", {{{"name", "ann"}, {"id", 1}}, {{"name", "bob"}, {"id", 2}}}},
                        {"rate", 0.5},
                        {"big", 18446744073709551615ull},
                        {"none", nullptr},
                        {"empty", nlohmann::json::array()},
                        {"obj", nlohmann::json::object()}};
  push_json(L_, doc);
  lua_setglobal(L_, "data");
  EXPECT_EQ(run(R"lua(
    eq(data.users[2].name, "bob")
    eq(math.type(data.users[1].id), "integer")
    eq(math.type(data.rate), "float")
    eq(data.big, 18446744073709551615.0)
    eq(data.none, json.null)
    eq(json.encode(data.empty), "[]")
    eq(json.encode(data.obj), "{}")
  )lua"),
            "");
}

TEST_F(JsonApiTest, ToJsonCrossesStates) {
  ASSERT_EQ(run(R"lua(setup_data = {tokens = {"t1", "t2"}, n = 3, f = 0.25, nothing = json.null,
                                 list = json.empty_array})lua"),
            "");
  lua_getglobal(L_, "setup_data");
  Result<nlohmann::json> doc = to_json(L_, -1);
  lua_pop(L_, 1);
  ASSERT_TRUE(doc.ok()) << doc.error().message();
  EXPECT_EQ(doc.value()["tokens"][1], "t2");
  EXPECT_TRUE(doc.value()["n"].is_number_integer());
  EXPECT_TRUE(doc.value()["f"].is_number_float());
  EXPECT_TRUE(doc.value()["nothing"].is_null());
  EXPECT_TRUE(doc.value()["list"].is_array());

  lua_State* other = luaL_newstate();
  luaL_openlibs(other);
  open_json_module(other);
  push_json(other, doc.value());
  lua_setglobal(other, "data");
  const char* check = R"(
    assert(data.tokens[1] == "t1" and data.n == 3 and math.type(data.n) == "integer")
    assert(data.nothing == json.null)
    assert(json.encode(data.list) == "[]")
  )";
  bool ok = luaL_loadstring(other, check) == LUA_OK && lua_pcall(other, 0, 0, 0) == LUA_OK;
  EXPECT_TRUE(ok) << lua_tostring(other, -1);
  lua_close(other);

  ASSERT_EQ(run("bad = {1, 2, coroutine.create(print)}"), "");
  lua_getglobal(L_, "bad");
  Result<nlohmann::json> failed = to_json(L_, -1);
  lua_pop(L_, 1);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "cannot encode thread at [3]");
}

TEST_F(JsonApiTest, PushJsonWorksWithoutTheModule) {
  lua_State* bare = luaL_newstate();
  push_json(bare, nlohmann::json::parse(R"({"a":[]})"));
  Result<std::string> text = encode_json(bare, -1);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(), R"({"a":[]})");
  lua_close(bare);
}

}  // namespace
}  // namespace stampede
