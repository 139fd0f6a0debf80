// Request building and response fields from docs/scripting.md ("HTTP", "Responses"): methods,
// bodies (form-encoded tables), headers, per-request cookies, discard_body, redirect method
// rules, lazy response fields, timings in ms, and errors raised for invalid URLs or JSON.
#include <gtest/gtest.h>

#include <string>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

// Runs a one-iteration script and requires every check in it to pass exactly once.
void expect_script_checks_pass(const TestServer& server, const std::string& body,
                               int expected_checks) {
  TempDir dir;
  const auto run = run_script(dir, with_base(server, body));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "checks", "fails"), 0) << failed_checks(summary);
  EXPECT_EQ(metric_field(summary, "checks", "passes"), expected_checks) << failed_checks(summary);
  const auto& errors = summary["stampede"]["script_errors"];
  EXPECT_TRUE(errors.empty()) << errors.dump();
}

TEST(engine_http_request, MethodsBodiesHeadersAndCookies) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  expect_script_checks_pass(server, R"(
options = { user_agent = "probe/1" }
local function echo(r) return r:json() end
function default(vu)
  local form = echo(http.post(BASE .. "/echo", { a = "1", b = "x y" }))
  local pairs_seen = {}
  for pair in string.gmatch(form.body, "[^&]+") do pairs_seen[pair] = true end
  local typed = echo(http.post(BASE .. "/echo", { a = "1" },
                               { headers = { ["Content-Type"] = "text/plain" } }))
  local put = echo(http.put(BASE .. "/echo", "p"))
  local patch = echo(http.patch(BASE .. "/echo", "q"))
  local del = echo(http.del(BASE .. "/echo"))
  local delete = echo(http.delete(BASE .. "/echo"))
  local opts = echo(http.options(BASE .. "/echo"))
  local req = echo(http.request("PATCH", BASE .. "/echo?k=v", "body"))
  local head = http.head(BASE .. "/json")
  local cookies = echo(http.get(BASE .. "/cookies", { cookies = { extra = "1" } }))
  local got = echo(http.get(BASE .. "/echo", { headers = { ["X-Probe"] = "yes" } }))
  check(nil, {
    ["form content-type"] = form.headers["content-type"] == "application/x-www-form-urlencoded",
    ["form body"] = pairs_seen["a=1"] == true and (pairs_seen["b=x+y"] or pairs_seen["b=x%20y"]) == true,
    ["given content-type kept"] = typed.headers["content-type"] == "text/plain",
    ["put"] = put.method == "PUT" and put.body == "p",
    ["patch"] = patch.method == "PATCH" and patch.body == "q",
    ["del"] = del.method == "DELETE",
    ["delete"] = delete.method == "DELETE",
    ["options"] = opts.method == "OPTIONS",
    ["request"] = req.method == "PATCH" and req.body == "body" and req.query == "k=v",
    ["head"] = head.status == 200 and head.body == "",
    ["params.cookies"] = cookies.extra == "1",
    ["params.headers"] = got.headers["x-probe"] == "yes",
    ["user_agent option"] = got.headers["user-agent"] == "probe/1",
  })
end
)",
                            13);
}

// 303, and 301/302 after a POST, continue as GET without a body; 307 and 308 keep both.
TEST(engine_http_request, RedirectMethodRules) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  expect_script_checks_pass(server, R"(
local function via(code)
  return http.post(BASE .. "/redirect?to=/echo&code=" .. code, "payload"):json()
end
function default(vu)
  local r303, r302, r301, r307, r308 = via(303), via(302), via(301), via(307), via(308)
  check(nil, {
    ["303 becomes GET"] = r303.method == "GET" and r303.body == "",
    ["302 becomes GET"] = r302.method == "GET" and r302.body == "",
    ["301 becomes GET"] = r301.method == "GET" and r301.body == "",
    ["307 keeps POST"] = r307.method == "POST" and r307.body == "payload",
    ["308 keeps POST"] = r308.method == "POST" and r308.body == "payload",
  })
end
)",
                            5);
}

TEST(engine_http_request, ResponseFields) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  expect_script_checks_pass(server, R"(
function default(vu)
  local r = http.get(BASE .. "/json")
  local slow = http.get(BASE .. "/?delay_ms=100")
  local set = http.get(BASE .. "/cookies/set?a=1&b=2")
  local discarded = http.get(BASE .. "/json", { discard_body = true })
  local t = slow.timings
  check(nil, {
    ["status"] = r.status == 200,
    ["proto"] = r.proto == "HTTP/1.1",
    ["headers any case"] = r.headers["content-type"] ~= nil
                           and r.headers["Content-Type"] == r.headers["content-type"],
    ["json"] = r:json().items[3] == 3 and r:json().nested.ok == true,
    ["url"] = r.url == BASE .. "/json",
    ["no error"] = r.error == nil,
    ["timings ms"] = t.duration >= 100 and t.duration < 1000,
    ["timings fields"] = type(t.blocked) == "number" and type(t.connecting) == "number"
                         and type(t.tls_handshaking) == "number" and type(t.sending) == "number"
                         and type(t.waiting) == "number" and type(t.receiving) == "number",
    -- The server holds the reply 100 ms after reading the request, so duration >= 100; the
    -- split between sending and waiting moves by a preemption between send() and its
    -- timestamp on a loaded machine, so waiting is only required to hold the bulk.
    ["waiting dominates"] = t.waiting >= 90 and t.duration >= 100,
    ["cookies field"] = set.cookies.a == "1" and set.cookies.b == "2",
    ["discard_body"] = discarded.status == 200 and discarded.body == "",
    ["json raises on bad body"] = not pcall(function() return slow:json() end),
    ["invalid url raises"] = not pcall(http.get, "not a url"),
    ["non-http url raises"] = not pcall(http.get, "ftp://127.0.0.1/"),
  })
end
)",
                            14);
}

// options.discard_response_bodies drops every body; the status still arrives.
TEST(engine_http_request, DiscardResponseBodiesOption) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  expect_script_checks_pass(server, R"(
options = { discard_response_bodies = true }
function default(vu)
  local r = http.get(BASE .. "/json")
  check(r, { ["discarded"] = r.status == 200 and r.body == "" })
end
)",
                            1);
}

}  // namespace
}  // namespace stampede::engine_test
