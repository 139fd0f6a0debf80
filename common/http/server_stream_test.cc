// Streamed replies (Reply::stream): chunked bodies written as a producer writes, the end of the
// body, a client that goes away, and a shutdown with streams open.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/http/field.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/http/server.h"
#include "common/http/test_client.h"

namespace stampede::http {
namespace {
namespace bhttp = boost::beast::http;
using testing::start_server;
using testing::TestClient;
using testing::wait_until;

// Hands every request's stream to the test; "/early" writes a chunk before returning it.
struct Streams {
  std::mutex mu;
  std::shared_ptr<ResponseStream> last;
  std::atomic<int> closed{0};

  Handler handler() {
    return [this](const Request& request, const Peer&) {
      Reply reply{make_response(request, bhttp::status::ok, "application/json", "ignored")};
      reply.stream = std::make_shared<ResponseStream>();
      reply.stream->on_close([this] { closed.fetch_add(1); });
      if (request.target() == "/early") reply.stream->write("early;");
      std::lock_guard lock(mu);
      last = reply.stream;
      return reply;
    };
  }
  std::shared_ptr<ResponseStream> get() {
    std::lock_guard lock(mu);
    return last;
  }
};

TEST(HttpServerStream, WritesChunksAsTheProducerWritesThemAndEndsTheBody) {
  Streams streams;
  auto server = start_server({}, streams.handler());
  TestClient client(server->port());
  client.send(TestClient::make_request(bhttp::verb::get, "/watch"));
  ASSERT_TRUE(wait_until([&] { return streams.get() != nullptr; }));
  auto stream = streams.get();
  // The header goes out before any body exists, so a watcher sees the 200 at once.
  std::string head = client.read_some_raw();
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;
  EXPECT_EQ(head.find("ignored"), std::string::npos) << head;
  std::thread producer([stream] {
    EXPECT_TRUE(stream->write("{\"a\":1}\n"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(stream->write("{\"b\":2}\n"));
    stream->end();
  });
  producer.join();
  std::string rest;
  while (rest.find("0\r\n\r\n") == std::string::npos) {
    std::string more = client.read_some_raw();
    if (more.empty()) break;
    rest += more;
  }
  EXPECT_NE(rest.find("8\r\n{\"a\":1}\n\r\n"), std::string::npos) << rest;
  EXPECT_NE(rest.find("8\r\n{\"b\":2}\n\r\n"), std::string::npos) << rest;
  EXPECT_TRUE(rest.size() >= 5 && rest.substr(rest.size() - 5) == "0\r\n\r\n") << rest;
  EXPECT_FALSE(stream->write("late"));
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(streams.closed.load(), 0);  // a clean end is not a disconnect
  EXPECT_TRUE(wait_until([&] { return server->in_flight() == 0; }));
}

TEST(HttpServerStream, ChunksWrittenBeforeTheReplyIsSentAreNotLost) {
  Streams streams;
  auto server = start_server({}, streams.handler());
  TestClient client(server->port());
  client.send(TestClient::make_request(bhttp::verb::get, "/early"));
  ASSERT_TRUE(wait_until([&] { return streams.get() != nullptr; }));
  streams.get()->end();
  Response r = client.read();
  EXPECT_EQ(r.result(), bhttp::status::ok);
  EXPECT_EQ(r.body(), "early;");
  EXPECT_EQ(r[bhttp::field::connection], "close");
}

TEST(HttpServerStream, AClientThatGoesAwayClosesTheStream) {
  Streams streams;
  ServerOptions options;
  options.handler_threads = 2;
  auto server = start_server(options, streams.handler());
  {
    TestClient client(server->port());
    client.send(TestClient::make_request(bhttp::verb::get, "/watch"));
    ASSERT_TRUE(wait_until([&] { return streams.get() != nullptr; }));
    EXPECT_FALSE(client.read_some_raw().empty());
    client.close();
  }
  auto stream = streams.get();
  ASSERT_TRUE(wait_until([&] { return stream->closed(); }));
  EXPECT_EQ(streams.closed.load(), 1);
  EXPECT_FALSE(stream->write("nobody reads this"));
  EXPECT_EQ(stream->pending_bytes(), 0u);
  EXPECT_TRUE(wait_until([&] { return server->in_flight() == 0; }));
}

TEST(HttpServerStream, ShutdownDoesNotWaitForOpenStreamsAndClosesThem) {
  Streams streams;
  auto server = start_server({}, streams.handler());
  TestClient client(server->port());
  client.send(TestClient::make_request(bhttp::verb::get, "/watch"));
  ASSERT_TRUE(wait_until([&] { return streams.get() != nullptr; }));
  EXPECT_FALSE(client.read_some_raw().empty());
  auto started = std::chrono::steady_clock::now();
  server->shutdown(std::chrono::seconds(20));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_TRUE(streams.get()->closed());
  EXPECT_EQ(streams.closed.load(), 1);
}

TEST(HttpServerStream, HeadGetsTheHeaderOnly) {
  Streams streams;
  auto server = start_server({}, streams.handler());
  TestClient client(server->port());
  client.send(TestClient::make_request(bhttp::verb::head, "/watch"));
  Response r = client.read(/*head=*/true);
  EXPECT_EQ(r.result(), bhttp::status::ok);
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_TRUE(wait_until([&] { return streams.get() && streams.get()->closed(); }));
}

}  // namespace
}  // namespace stampede::http
