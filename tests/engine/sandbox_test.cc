// The Lua sandbox (docs/scripting.md, "Other globals"): no process control, no file writes,
// reads confined to the script's folder, require() of modules beside the script. Each probe
// is a check, so the test reports exactly which promise broke.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

namespace fs = std::filesystem;

TEST(engine_sandbox, DangerousFunctionsAreGoneAndFilesStayInside) {
  TempDir dir;
  dir.write("helper.lua", "return { answer = 42 }\n");
  dir.write("data.txt", "line one\nline two\n");
  dir.write("sub/nested.txt", "nested\n");
  const auto run = run_script(dir, R"(
local helper = require("helper")
local function raises(fn, ...) return not pcall(fn, ...) end
function default(vu)
  check(nil, {
    ["os.execute nil"] = os.execute == nil,
    ["os.exit nil"] = os.exit == nil,
    ["os.remove nil"] = os.remove == nil,
    ["dofile nil"] = dofile == nil,
    ["loadfile nil"] = loadfile == nil,
    ["debug nil"] = debug == nil,
    ["os.time kept"] = type(os.time()) == "number",
    ["os.getenv kept"] = type(os.getenv) == "function",
    ["require beside script"] = helper.answer == 42,
    ["io.open write raises"] = raises(io.open, "written.txt", "w"),
    ["io.open append raises"] = raises(io.open, "data.txt", "a"),
    ["io.open outside raises"] = raises(io.open, "/etc/passwd"),
    ["io.open dotdot raises"] = raises(io.open, "../escape.txt"),
    ["open outside raises"] = raises(open, "/etc/passwd"),
    ["io.lines outside raises"] = raises(io.lines, "/etc/passwd"),
    ["open inside"] = open("data.txt") == "line one\nline two\n",
    ["open subfolder"] = open("sub/nested.txt") == "nested\n",
    ["io.open inside"] = function()
      local f = io.open("data.txt")
      local text = f:read("a")
      f:close()
      return text == "line one\nline two\n"
    end,
    ["io.lines inside"] = function()
      local n = 0
      for _ in io.lines("data.txt") do n = n + 1 end
      return n == 2
    end,
    ["no binary chunks"] = function()
      local ok, chunk = pcall(function() return load(string.dump(function() return 1 end)) end)
      return not ok or chunk == nil
    end,
  })
end
)");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "checks", "fails"), 0) << failed_checks(summary);
  EXPECT_EQ(metric_field(summary, "checks", "passes"), 20) << failed_checks(summary);
  EXPECT_FALSE(fs::exists(dir.path() / "written.txt"));
}

}  // namespace
}  // namespace stampede::engine_test
