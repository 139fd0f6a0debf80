// Concurrency and lifecycle: the handler pool, hung requests and graceful shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/http/field.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "common/http/server.h"
#include "common/http/test_client.h"
#include "common/http/url.h"

namespace stampede::http {
namespace {
namespace bhttp = boost::beast::http;
using testing::Gate;
using testing::start_server;
using testing::TestClient;
using testing::wait_until;

// /block waits at the gate, /hang hangs, anything else answers "fast".
Handler gated(Gate& gate) {
  return [&gate](const Request& request, const Peer&) {
    const std::string_view path = split_target(request).path;
    if (path == "/block") gate.pass();
    Reply reply{make_response(request, bhttp::status::ok, "text/plain", std::string(path))};
    reply.hang = path == "/hang";
    return reply;
  };
}

TEST(HttpServerPool, BlockingHandlerDoesNotBlockOtherConnections) {
  Gate gate;
  ServerOptions options;
  options.handler_threads = 2;  // one io thread: with inline handlers /fast would wait
  auto server = start_server(options, gated(gate));
  TestClient slow(server->port());
  slow.send(TestClient::make_request(bhttp::verb::get, "/block"));
  ASSERT_TRUE(wait_until([&] { return gate.entered() == 1; }));

  TestClient fast(server->port());
  EXPECT_EQ(fast.get("/fast").body(), "/fast");
  // The fast request leaves in_flight once its write completes, just after the client has it.
  EXPECT_TRUE(wait_until([&] { return server->in_flight() == 1; }));

  gate.open();
  EXPECT_EQ(slow.read().body(), "/block");
  EXPECT_TRUE(wait_until([&] { return server->in_flight() == 0; }));
}

TEST(HttpServerPool, FullQueueAnswers503WithoutCallingTheHandler) {
  Gate gate;
  ServerOptions options;
  options.handler_threads = 1;
  options.max_queue = 1;
  auto server = start_server(options, gated(gate));
  TestClient running(server->port());
  running.send(TestClient::make_request(bhttp::verb::get, "/block"));
  ASSERT_TRUE(wait_until([&] { return gate.entered() == 1; }));
  TestClient queued(server->port());
  queued.send(TestClient::make_request(bhttp::verb::get, "/block"));
  ASSERT_TRUE(wait_until([&] { return server->in_flight() == 2; }));

  TestClient refused(server->port());
  Response response = refused.get("/fast");
  EXPECT_EQ(response.result(), bhttp::status::service_unavailable);
  EXPECT_TRUE(response.keep_alive());

  gate.open();
  EXPECT_EQ(running.read().body(), "/block");
  EXPECT_EQ(queued.read().body(), "/block");
  EXPECT_EQ(gate.entered(), 2);
  EXPECT_EQ(refused.get("/fast").result(), bhttp::status::ok);
}

TEST(HttpServerHang, HoldsTheConnectionUntilTheClientCloses) {
  Gate gate;
  for (unsigned pool : {0u, 2u}) {
    ServerOptions options;
    options.handler_threads = pool;
    auto server = start_server(options, gated(gate));
    auto hung = std::make_unique<TestClient>(server->port());
    hung->send(TestClient::make_request(bhttp::verb::get, "/hang"));
    ASSERT_TRUE(wait_until([&] { return server->in_flight() == 1; }));
    // Another connection is served while the first stays unanswered.
    TestClient other(server->port());
    EXPECT_EQ(other.get("/fast").body(), "/fast");
    EXPECT_EQ(hung->available(), 0u);
    EXPECT_TRUE(wait_until([&] { return server->in_flight() == 1; }));
    EXPECT_EQ(server->connections(), 2u);

    hung.reset();  // the client gives up
    EXPECT_TRUE(wait_until([&] { return server->in_flight() == 0; }));
    EXPECT_TRUE(wait_until([&] { return server->connections() == 1; }));
  }
}

TEST(HttpServerShutdown, ClosesHungConnectionsWithoutWaitingForThem) {
  Gate gate;
  auto server = start_server({}, gated(gate));
  TestClient hung(server->port());
  hung.send(TestClient::make_request(bhttp::verb::get, "/hang"));
  ASSERT_TRUE(wait_until([&] { return server->in_flight() == 1; }));
  const auto start = std::chrono::steady_clock::now();
  server->shutdown(std::chrono::minutes(5));
  // Generous bound: had shutdown waited for the hung request it would take the full grace.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::minutes(1));
  EXPECT_TRUE(hung.closed_by_server());
}

// Shutdown with a slow handler in flight: new connections are refused, a request arriving on
// an open connection is still answered (with Connection: close), the slow response arrives,
// and only then does shutdown return.
void check_graceful_shutdown(const ServerOptions& options) {
  Gate gate;
  auto server = start_server(options, gated(gate));
  const uint16_t port = server->port();
  TestClient idle(port);
  EXPECT_TRUE(idle.get("/fast").keep_alive());
  TestClient slow(port);
  slow.send(TestClient::make_request(bhttp::verb::get, "/block"));
  ASSERT_TRUE(wait_until([&] { return gate.entered() == 1; }));

  std::atomic<bool> returned{false};
  std::thread stopper([&] {
    server->shutdown(std::chrono::minutes(1));
    returned = true;
  });
  EXPECT_TRUE(wait_until([&] { return !TestClient::can_connect(port); }));
  if (options.handler_threads > 0 || options.io_threads > 1) {
    // The idle connection's thread is free: a late request is answered, with close.
    Response late = idle.get("/fast");
    EXPECT_EQ(late.result(), bhttp::status::ok);
    EXPECT_FALSE(late.keep_alive());
  }
  EXPECT_FALSE(returned.load());  // the slow request is still in flight

  gate.open();
  Response response = slow.read();
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "/block");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(slow.closed_by_server());
  stopper.join();
  EXPECT_TRUE(returned.load());
  EXPECT_EQ(server->in_flight(), 0u);
  server->shutdown(std::chrono::minutes(1));  // idempotent
}

TEST(HttpServerShutdown, WaitsForAnInFlightPoolHandler) {
  ServerOptions options;
  options.handler_threads = 2;
  check_graceful_shutdown(options);
}

TEST(HttpServerShutdown, WaitsForAnInFlightInlineHandler) {
  ServerOptions options;
  options.io_threads = 2;
  check_graceful_shutdown(options);
}

TEST(HttpServerShutdown, AfterTheGraceConnectionsCloseWhileTheHandlerStillRuns) {
  Gate gate;
  ServerOptions options;
  options.handler_threads = 1;
  auto server = start_server(options, gated(gate));
  TestClient slow(server->port());
  slow.send(TestClient::make_request(bhttp::verb::get, "/block"));
  ASSERT_TRUE(wait_until([&] { return gate.entered() == 1; }));
  std::thread stopper([&] { server->shutdown(std::chrono::milliseconds(0)); });
  // The connection is closed unanswered while the handler is still blocked at the gate.
  EXPECT_TRUE(slow.closed_by_server());
  gate.open();
  stopper.join();
  EXPECT_EQ(server->in_flight(), 0u);
}

TEST(HttpServerShutdown, DestructorStopsABusyServer) {
  Gate gate;
  ServerOptions options;
  options.io_threads = 2;
  options.handler_threads = 2;
  auto server = start_server(options, gated(gate));
  std::vector<std::unique_ptr<TestClient>> clients;
  for (const char* target : {"/hang", "/fast", "/hang"}) {
    clients.push_back(std::make_unique<TestClient>(server->port()));
    clients.back()->send(TestClient::make_request(bhttp::verb::get, target));
  }
  ASSERT_TRUE(wait_until([&] { return server->in_flight() == 2; }));
  server.reset();
  for (auto& client : clients) {
    // The /fast client reads its answer first, if it came; every connection ends closed.
    if (client->available() > 0) client->read();
    EXPECT_TRUE(client->closed_by_server());
  }
}

}  // namespace
}  // namespace stampede::http
