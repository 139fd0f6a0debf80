// Request handling: routing, keep-alive, HEAD, limits, malformed input, handler exceptions.
#include "common/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/http/field.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "common/http/test_client.h"
#include "common/http/url.h"

namespace stampede::http {
namespace {
namespace bhttp = boost::beast::http;
using testing::start_server;
using testing::TestClient;

Reply text(const Request& request, bhttp::status status, std::string body) {
  return Reply{make_response(request, status, "text/plain", std::move(body))};
}

// Routes on the path: /hello, /echo (the body back), /peer, /throw, /throw-int; else 404.
Reply route(const Request& request, const Peer& peer) {
  const Target target = split_target(request);
  if (target.path == "/hello") return text(request, bhttp::status::ok, "hello");
  if (target.path == "/echo") return text(request, bhttp::status::ok, request.body());
  if (target.path == "/peer") {
    return text(request, bhttp::status::ok,
                peer.address.to_string() + " " + std::to_string(peer.port));
  }
  if (target.path == "/throw") throw std::runtime_error("boom");
  if (target.path == "/throw-int") throw 42;
  if (target.path == "/empty") return text(request, bhttp::status::no_content, "");
  return text(request, bhttp::status::not_found, "no route");
}

TEST(HttpServer, RoutesThroughTheHandlerOnAnEphemeralPort) {
  auto server = start_server({}, route);
  ASSERT_NE(server->port(), 0);
  TestClient client(server->port());
  Response hello = client.get("/hello?x=1");
  EXPECT_EQ(hello.result(), bhttp::status::ok);
  EXPECT_EQ(hello.body(), "hello");
  EXPECT_EQ(hello[bhttp::field::content_type], "text/plain");
  EXPECT_EQ(hello[bhttp::field::content_length], "5");
  Response missing = client.get("/nowhere");
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_EQ(missing.body(), "no route");
  Response peer = client.get("/peer");
  EXPECT_EQ(peer.body().rfind("127.0.0.1 ", 0), 0u) << peer.body();
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::set<uint16_t> ports;
  auto server = start_server({}, [&](const Request& request, const Peer& peer) {
    ports.insert(peer.port);  // io_threads = 1 and no pool: one thread touches it
    return text(request, bhttp::status::ok, std::string(request.target()));
  });
  TestClient client(server->port());
  for (int i = 0; i < 5; ++i) {
    const std::string target = "/n" + std::to_string(i);
    Response response = client.request(bhttp::verb::post, target, "body" + std::to_string(i));
    EXPECT_EQ(response.body(), target);
    EXPECT_TRUE(response.keep_alive());
  }
  // Pipelined: two requests in one write, answered in order.
  client.send_raw("GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read().body(), "/p1");
  EXPECT_EQ(client.read().body(), "/p2");
  EXPECT_EQ(ports.size(), 1u);
  EXPECT_EQ(server->connections(), 1u);
}

TEST(HttpServer, EchoesPostBodiesAndHandlesExpectContinue) {
  auto server = start_server({}, route);
  TestClient client(server->port());
  EXPECT_EQ(client.request(bhttp::verb::post, "/echo", "a=1&b=2").body(), "a=1&b=2");

  client.send_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_some_raw(), "HTTP/1.1 100 Continue\r\n\r\n");
  client.send_raw("12345");
  Response response = client.read();
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "12345");
}

TEST(HttpServer, HeadKeepsContentLengthAndSendsNoBody) {
  auto server = start_server({}, route);
  TestClient client(server->port());
  Response head = client.request(bhttp::verb::head, "/hello");
  EXPECT_EQ(head.result(), bhttp::status::ok);
  EXPECT_EQ(head[bhttp::field::content_length], "5");
  EXPECT_TRUE(head.body().empty());
  // Had the body been sent, this response would be parsed from its bytes and fail.
  EXPECT_EQ(client.get("/hello").body(), "hello");
  EXPECT_EQ(client.available(), 0u);
}

TEST(HttpServer, NoContentResponsesCarryNoBodyOrLength) {
  auto server = start_server({}, route);
  TestClient client(server->port());
  Response empty = client.get("/empty");
  EXPECT_EQ(empty.result(), bhttp::status::no_content);
  EXPECT_EQ(empty.count(bhttp::field::content_length), 0u);
  EXPECT_EQ(client.get("/hello").body(), "hello");
}

TEST(HttpServer, Http10WithoutKeepAliveIsAnsweredAndClosed) {
  auto server = start_server({}, route);
  TestClient client(server->port());
  client.send_raw("GET /hello HTTP/1.0\r\n\r\n");
  Response response = client.read();
  EXPECT_EQ(response.version(), 10u);
  EXPECT_EQ(response.body(), "hello");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, ConnectionCloseFromTheHandlerClosesAfterTheResponse) {
  auto server = start_server({}, [](const Request& request, const Peer&) {
    Reply reply = text(request, bhttp::status::ok, "bye");
    reply.response.set(bhttp::field::connection, "close");
    return reply;
  });
  TestClient client(server->port());
  Response response = client.get("/");
  EXPECT_EQ(response.body(), "bye");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, OversizeBodyGets413AndClose) {
  std::atomic<int> calls{0};
  ServerOptions options;
  options.max_body = 1024;
  auto server = start_server(options, [&](const Request& request, const Peer&) {
    ++calls;
    return text(request, bhttp::status::ok, "ok");
  });
  {
    TestClient client(server->port());
    EXPECT_EQ(client.request(bhttp::verb::post, "/", std::string(1024, 'x')).result(),
              bhttp::status::ok);
    Response response = client.request(bhttp::verb::post, "/", std::string(4096, 'x'));
    EXPECT_EQ(response.result(), bhttp::status::payload_too_large);
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(client.closed_by_server());
  }
  {
    // A declared length over the limit is refused before any body is sent.
    TestClient client(server->port());
    client.send_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n");
    EXPECT_EQ(client.read().result(), bhttp::status::payload_too_large);
    EXPECT_TRUE(client.closed_by_server());
  }
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServer, OversizeHeaderGets431AndClose) {
  ServerOptions options;
  options.max_header = 1024;
  auto server = start_server(options, route);
  TestClient client(server->port());
  Response response =
      client.request(bhttp::verb::get, "/hello", "", {{"X-Big", std::string(4096, 'a')}});
  EXPECT_EQ(response.result(), bhttp::status::request_header_fields_too_large);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServer, MalformedRequestsGet400AndClose) {
  auto server = start_server({}, route);
  for (const std::string raw : {"THIS IS NOT HTTP\r\n\r\n", "GET /hello HTTP/9.9\r\n\r\n",
                                "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n",
                                "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    TestClient client(server->port());
    client.send_raw(raw);
    Response response = client.read();
    EXPECT_EQ(response.result(), bhttp::status::bad_request) << raw;
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(client.closed_by_server()) << raw;
  }
  // The server is still fine.
  TestClient client(server->port());
  EXPECT_EQ(client.get("/hello").body(), "hello");
}

TEST(HttpServer, HandlerExceptionsBecome500AndTheConnectionLives) {
  ServerOptions pooled;
  pooled.handler_threads = 1;
  for (const ServerOptions& options : {ServerOptions{}, pooled}) {
    auto server = start_server(options, route);
    TestClient client(server->port());
    EXPECT_EQ(client.get("/throw").result(), bhttp::status::internal_server_error);
    EXPECT_EQ(client.get("/throw-int").result(), bhttp::status::internal_server_error);
    EXPECT_EQ(client.get("/hello").body(), "hello");
  }
}

TEST(HttpServer, IdleConnectionsAreClosedAfterTheTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(500);  // long enough to send a request
  auto server = start_server(options, route);
  TestClient client(server->port());
  EXPECT_EQ(client.get("/hello").body(), "hello");
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_TRUE(testing::wait_until([&] { return server->connections() == 0; }));
}

TEST(HttpServer, ServesFromSeveralIoThreads) {
  ServerOptions options;
  options.io_threads = 3;
  auto server = start_server(options, route);
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(std::make_unique<TestClient>(server->port()));
  for (auto& client : clients) EXPECT_EQ(client->get("/hello").body(), "hello");
}

TEST(HttpServer, BindErrorsNameTheAddressAndReason) {
  auto first = start_server({}, route);
  ServerOptions taken;
  taken.port = first->port();
  auto second = Server::start(taken, route);
  ASSERT_FALSE(second.ok());
  const std::string expected = "bind 127.0.0.1:" + std::to_string(first->port()) + ": ";
  EXPECT_EQ(second.error().message().rfind(expected, 0), 0u) << second.error().message();
  EXPECT_NE(second.error().message().find("in use"), std::string::npos) << second.error().message();

  ServerOptions bogus;
  bogus.bind = "localhost:80";
  auto third = Server::start(bogus, route);
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.error().message().find("'localhost:80'"), std::string::npos);
}

TEST(HttpServer, BindsAnIpv6Address) {
  ServerOptions options;
  options.bind = "::1";
  auto server = Server::start(options, route);
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << server.error().message();
  TestClient client(server.value()->port(), "::1");
  EXPECT_EQ(client.get("/peer").body().rfind("::1 ", 0), 0u);
}

}  // namespace
}  // namespace stampede::http
