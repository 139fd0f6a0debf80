// The HTTP API as docs/scripting.md describes it: status and transport-error tagging on the
// response, per-VU cookie jars, http.batch ordering and parallelism, redirects measured hop
// by hop. Scripts assert inside Lua with check(); the test then requires exact check counts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

// Every check in the summary must have passed `expected` times and never failed.
void expect_all_checks_pass(const nlohmann::json& summary, const std::vector<std::string>& names,
                            int64_t expected) {
  for (const auto& name : names) {
    const CheckCounts counts = check_counts(summary, name);
    EXPECT_EQ(counts.passes, expected) << "check '" << name << "'\n" << failed_checks(summary);
    EXPECT_EQ(counts.fails, 0) << "check '" << name << "'\n" << failed_checks(summary);
  }
}

TEST(engine_http, NotFoundIsFailedWithErrorCode1404) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 5 }
function default(vu)
  local r = http.get(BASE .. "/missing?status=404")
  check(r, { ["status 404"] = function(r) return r.status == 404 end,
             ["error_code 1404"] = function(r) return r.error_code == 1404 end })
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  expect_all_checks_pass(summary, {"status 404", "error_code 1404"}, 5);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "passes"), 5);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "fails"), 0);
  EXPECT_EQ(metric_field(summary, "http_reqs", "count"), 5);
}

// A transport error does not raise: the script sees status 0 with error and error_code, and
// the iteration (and the run) go on.
TEST(engine_http, ConnectionRefusedDoesNotStopTheRun) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  RefusingPort refusing;
  ASSERT_GT(refusing.port(), 0);
  TempDir dir;
  const std::string closed =
      "local CLOSED = 'http://127.0.0.1:" + std::to_string(refusing.port()) + "/'";
  const auto run = run_script(dir, with_base(server, closed + R"(
options = { iterations = 3 }
function default(vu)
  local r = http.get(CLOSED)
  check(r, {
    ["status 0"] = function(r) return r.status == 0 end,
    ["error refused"] = function(r)
      return r.error ~= nil and string.find(r.error, "connection refused", 1, true) == 1 end,
    ["error_code 1212"] = function(r) return r.error_code == 1212 end,
  })
  http.get(BASE .. "/after")
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  expect_all_checks_pass(summary, {"status 0", "error refused", "error_code 1212"}, 3);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 3);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "passes"), 3);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "fails"), 3);
  EXPECT_EQ(server.stats()["by_path"]["/after"], 3);
}

// /close: no reply at all ("empty reply", an "other" error: 1000); /reset: "connection reset"
// (1220); a reply slower than params.timeout: "timeout" (1050).
TEST(engine_http, EmptyReplyResetAndTimeout) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 2 }
local function starts(text, prefix)
  return text ~= nil and string.sub(text, 1, #prefix) == prefix
end
function default(vu)
  local r = http.get(BASE .. "/close")
  check(r, { ["close status 0"] = r.status == 0, ["close empty reply"] = starts(r.error, "empty reply"),
             ["close error_code 1000"] = r.error_code == 1000 })
  r = http.get(BASE .. "/reset")
  check(r, { ["reset status 0"] = r.status == 0, ["reset error"] = starts(r.error, "connection reset"),
             ["reset error_code 1220"] = r.error_code == 1220 })
  r = http.get(BASE .. "/?delay_ms=2000", { timeout = 0.2 })
  check(r, { ["timeout status 0"] = r.status == 0, ["timeout error"] = starts(r.error, "timeout"),
             ["timeout error_code 1050"] = r.error_code == 1050 })
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  expect_all_checks_pass(summary,
                         {"close status 0", "close empty reply", "close error_code 1000",
                          "reset status 0", "reset error", "reset error_code 1220",
                          "timeout status 0", "timeout error", "timeout error_code 1050"},
                         2);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "passes"), 6);
}

// Six VUs on the default worker threads, interleaving: each sets vu=<id> then reads its
// cookies back, and must see exactly its own cookie, never another VU's.
TEST(engine_http, EachVuHasItsOwnJar) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "per-vu-iterations", vus = 6, iterations = 5 } } }
function default(vu)
  local set = http.get(BASE .. "/cookies/set?vu=" .. vu.id)
  sleep(0.01)
  local seen = http.get(BASE .. "/cookies"):json()
  local n = 0
  for _ in pairs(seen) do n = n + 1 end
  check(seen, {
    ["response cookies"] = set.cookies.vu == tostring(vu.id),
    ["own cookie"] = seen.vu == tostring(vu.id),
    ["only cookie"] = n == 1,
  })
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  expect_all_checks_pass(load_summary(dir), {"response cookies", "own cookie", "only cookie"}, 30);
}

// Three different requests, each held 300 ms by the server, the first one held longest: the
// responses come back in request order, and in parallel the batch takes ~300 ms, not 900.
TEST(engine_http, ReturnsResponsesInOrder) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
function default(vu)
  local rs = http.batch({
    BASE .. "/json?delay_ms=400",
    { "POST", BASE .. "/echo?delay_ms=300", "hello" },
    { method = "GET", url = BASE .. "/other?delay_ms=300&status=201" },
  })
  check(rs, {
    ["three"] = #rs == 3,
    ["first json"] = rs[1].status == 200 and rs[1]:json().name == "stampede",
    ["second echo"] = rs[2].status == 200 and rs[2]:json().method == "POST"
                      and rs[2]:json().path == "/echo" and rs[2]:json().body == "hello",
    ["third status"] = rs[3].status == 201 and rs[3].body == "ok",
  })
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  expect_all_checks_pass(summary, {"three", "first json", "second echo", "third status"}, 1);
  EXPECT_EQ(metric_field(summary, "http_reqs", "count"), 3);
  EXPECT_LT(metric_field(summary, "iteration_duration", "max"), 800) << "batch not parallel";
}

// n=2 means two redirect replies before /json: three requests, each hop counted. With
// params.redirects = 0 the first 302 is the response; with 1, the second one.
TEST(engine_http, FollowedHopByHopOrNotAtAll) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
function default(vu)
  local r = http.get(BASE .. "/redirect?n=2&to=/json")
  check(r, { ["followed status"] = r.status == 200,
             ["followed url"] = string.sub(r.url, -5) == "/json",
             ["followed body"] = r:json().name == "stampede" })
  r = http.get(BASE .. "/redirect?n=2&to=/json", { redirects = 0 })
  check(r, { ["not followed"] = r.status == 302 })
  r = http.get(BASE .. "/redirect?n=2&to=/json", { redirects = 1 })
  check(r, { ["one followed"] = r.status == 302 })
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  expect_all_checks_pass(
      summary, {"followed status", "followed url", "followed body", "not followed", "one followed"},
      1);
  EXPECT_EQ(metric_field(summary, "http_reqs", "count"), 3 + 1 + 2);
  auto stats = server.stats();
  EXPECT_EQ(stats["by_path"]["/redirect"], 2 + 1 + 2) << stats.dump();
  EXPECT_EQ(stats["by_path"]["/json"], 1) << stats.dump();
}

}  // namespace
}  // namespace stampede::engine_test
