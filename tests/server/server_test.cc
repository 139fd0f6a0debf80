// Routes and query parameters, exercised over loopback against an in-process Server.
#include <chrono>
#include <string>

#include "tests/server/server_fixture.h"

namespace stampede::testserver {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class TestserverRoutes : public ServerFixture {};

TEST_F(TestserverRoutes, RootAndUnknownPathsSayOkWithMinimalHeaders) {
  TestClient client(port());
  for (const char* target : {"/", "/no/such/path"}) {
    const auto response = client.get(target);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.body(), "ok");
    EXPECT_EQ(response[http::field::content_length], "2");
    EXPECT_EQ(response.count(http::field::date), 0u);
    EXPECT_EQ(response.count(http::field::server), 0u);
  }
}

TEST_F(TestserverRoutes, StatusAndBytesParams) {
  TestClient client(port());
  const auto unavailable = client.get("/?status=503");
  EXPECT_EQ(unavailable.result_int(), 503);
  EXPECT_EQ(unavailable.body(), "ok");

  const auto sized = client.get("/anything?bytes=100000&status=201");
  EXPECT_EQ(sized.result_int(), 201);
  EXPECT_EQ(sized.body(), std::string(100000, 'x'));

  EXPECT_EQ(client.get("/?bytes=0").body(), "");
  const auto no_content = client.get("/?status=204");
  EXPECT_EQ(no_content.result_int(), 204);
  EXPECT_EQ(no_content.count(http::field::content_length), 0u);
  EXPECT_EQ(client.get("/json?bytes=3").body(), "xxx");  // bytes replaces any route's body
}

TEST_F(TestserverRoutes, BadParamsGive400) {
  TestClient client(port());
  for (const char* target : {"/?bytes=67108865", "/?status=abc", "/?delay_ms=x", "/?stall=1:2"}) {
    EXPECT_EQ(client.get(target).result_int(), 400) << target;
  }
}

TEST_F(TestserverRoutes, DelayParamHoldsTheResponse) {
  TestClient client(port());
  const auto started = Clock::now();
  const auto response = client.get("/?delay_ms=200");
  const auto elapsed = Clock::now() - started;
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_GE(elapsed, milliseconds(200));
  EXPECT_LT(elapsed, milliseconds(400));
}

TEST_F(TestserverRoutes, HeadKeepsContentLengthWithoutBody) {
  TestClient client(port());
  const auto response = client.request(http::verb::head, "/?bytes=10");
  EXPECT_EQ(response[http::field::content_length], "10");
  EXPECT_EQ(response.body(), "");
  EXPECT_EQ(client.get("/").body(), "ok");  // the connection is still in sync
}

TEST_F(TestserverRoutes, EchoReflectsTheRequest) {
  TestClient client(port());
  const auto response = client.request(http::verb::put, "/echo?a=1&b=x%20y", "hello body",
                                       {{"X-Test", "one"}, {"x-test", "two"}});
  ASSERT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  const auto doc = json_of(response);
  EXPECT_EQ(doc["method"], "PUT");
  EXPECT_EQ(doc["path"], "/echo");
  EXPECT_EQ(doc["query"], "a=1&b=x%20y");
  EXPECT_EQ(doc["headers"]["x-test"], "one, two");
  EXPECT_EQ(doc["headers"]["host"], "127.0.0.1");
  EXPECT_EQ(doc["headers"]["content-length"], "10");
  EXPECT_EQ(doc["body"], "hello body");

  for (const auto method : {http::verb::get, http::verb::post, http::verb::patch,
                            http::verb::delete_, http::verb::options}) {
    const auto echoed = json_of(client.request(method, "/echo"));
    EXPECT_EQ(echoed["method"], std::string(http::to_string(method)));
  }
}

TEST_F(TestserverRoutes, FixedJsonDocument) {
  TestClient client(port());
  const auto response = client.get("/json");
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(json_of(response),
            nlohmann::json::parse(R"({"name":"stampede","items":[1,2,3],"nested":{"ok":true}})"));
}

TEST_F(TestserverRoutes, CookiesAreSetAndEchoed) {
  TestClient client(port());
  const auto set = client.get("/cookies/set?session=abc&theme=dark%20blue&status=201");
  EXPECT_EQ(set.result_int(), 201);
  std::vector<std::string> cookies;
  const auto [first, last] = set.equal_range(http::field::set_cookie);
  for (auto field = first; field != last; ++field) cookies.emplace_back(field->value());
  EXPECT_EQ(cookies, (std::vector<std::string>{"session=abc; Path=/", "theme=dark blue; Path=/"}));

  const auto jar = client.get("/cookies", {{"Cookie", "session=abc; theme=dark blue"}});
  EXPECT_EQ(json_of(jar), nlohmann::json({{"session", "abc"}, {"theme", "dark blue"}}));
  EXPECT_EQ(json_of(client.get("/cookies")), nlohmann::json::object());
  EXPECT_EQ(client.get("/cookies/set?bad%3Bname=1").result_int(), 400);
}

TEST_F(TestserverRoutes, RedirectChain) {
  TestClient client(port());
  std::string target = "/redirect?to=%2Fjson%3Fa%3D1&n=3&code=307";
  int redirects = 0;
  TestClient::Response response;
  for (;;) {
    response = client.get(target);
    if (response.result_int() != 307) break;
    target = std::string(response[http::field::location]);
    ++redirects;
    ASSERT_LT(redirects, 10);
  }
  EXPECT_EQ(redirects, 3);
  EXPECT_EQ(target, "/json?a=1");
  EXPECT_EQ(response.result_int(), 200);

  const auto simple = client.get("/redirect?to=/x");
  EXPECT_EQ(simple.result_int(), 302);
  EXPECT_EQ(simple[http::field::location], "/x");
  EXPECT_EQ(client.get("/redirect").at(http::field::location), "/");
  EXPECT_EQ(client.get("/redirect?code=200").result_int(), 400);
  EXPECT_EQ(client.get("/redirect?n=0").result_int(), 400);
}

TEST_F(TestserverRoutes, StatsCountEveryRequestButStatsAndReset) {
  TestClient client(port());
  client.get("/");
  client.get("/");
  client.get("/a?x=1");
  client.get("/stats");
  auto stats = json_of(client.get("/stats"));
  EXPECT_EQ(stats["requests"], 3);
  EXPECT_EQ(stats["by_path"], nlohmann::json({{"/", 2}, {"/a", 1}}));

  EXPECT_EQ(client.get("/stats/reset").result_int(), 405);
  EXPECT_EQ(client.request(http::verb::post, "/stats/reset").result_int(), 200);
  stats = json_of(client.get("/stats"));
  EXPECT_EQ(stats["requests"], 0);
  EXPECT_EQ(stats["by_path"], nlohmann::json::object());
  client.get("/echo");
  EXPECT_EQ(json_of(client.get("/stats"))["by_path"], nlohmann::json({{"/echo", 1}}));
}

}  // namespace
}  // namespace stampede::testserver
