// Connection-level behaviour (keep-alive, close, reset, limits, concurrency) and the live stall.
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/server_fixture.h"

namespace stampede::testserver {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class TestserverConnections : public ServerFixture {};

TEST_F(TestserverConnections, KeepAliveServesManyRequestsOnOneConnection) {
  TestClient client(port());
  const auto local = client.socket().local_endpoint();
  for (int i = 0; i < 20; ++i) {
    const auto response = client.get("/ka?i=" + std::to_string(i));
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
  }
  EXPECT_EQ(client.socket().local_endpoint(), local);
  EXPECT_EQ(json_of(client.get("/stats"))["by_path"]["/ka"], 20);
}

TEST_F(TestserverConnections, Http10ClosesAfterTheResponse) {
  TestClient client(port());
  auto request = TestClient::make_request(http::verb::get, "/");
  request.version(10);
  const auto response = client.send(request);
  EXPECT_EQ(response.version(), 10u);
  EXPECT_EQ(response.body(), "ok");
  EXPECT_FALSE(response.keep_alive());
  char byte = 0;
  boost::system::error_code ec;
  net::read(client.socket(), net::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, net::error::eof);
}

TEST_F(TestserverConnections, CloseGivesAnEmptyReply) {
  TestClient client(port());
  boost::beast::error_code ec;
  client.try_send(TestClient::make_request(http::verb::get, "/close"), ec);
  EXPECT_EQ(ec, http::error::end_of_stream);  // EOF before a single response byte
}

TEST_F(TestserverConnections, ResetAbortsTheConnection) {
  TestClient client(port());
  boost::beast::error_code ec;
  client.try_send(TestClient::make_request(http::verb::get, "/reset"), ec);
  EXPECT_EQ(ec, net::error::connection_reset);
}

TEST_F(TestserverConnections, BodyLimitIs8MiB) {
  TestClient client(port());
  const auto at_limit = client.request(http::verb::post, "/", std::string(8u << 20, 'b'));
  EXPECT_EQ(at_limit.result_int(), 200);

  const auto too_large = client.request(http::verb::post, "/big", std::string((8u << 20) + 1, 'b'));
  EXPECT_EQ(too_large.result_int(), 413);
  EXPECT_FALSE(too_large.keep_alive());
  TestClient fresh(port());
  EXPECT_EQ(json_of(fresh.get("/stats"))["by_path"]["/big"], 1);
}

TEST_F(TestserverConnections, AnswersExpectContinue) {
  TestClient client(port());
  auto& socket = client.socket();
  net::write(socket, net::buffer(std::string("POST /echo HTTP/1.1\r\nHost: x\r\n"
                                             "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")));
  net::streambuf interim;
  net::read_until(socket, interim, "\r\n\r\n");
  const std::string head(net::buffers_begin(interim.data()), net::buffers_end(interim.data()));
  EXPECT_EQ(head, "HTTP/1.1 100 Continue\r\n\r\n");
  net::write(socket, net::buffer(std::string("hello")));
  net::streambuf reply;
  net::read_until(socket, reply, "hello");  // the echoed body
  const std::string text(net::buffers_begin(reply.data()), net::buffers_end(reply.data()));
  EXPECT_EQ(text.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << text;
}

TEST_F(TestserverConnections, ServesManyConcurrentConnections) {
  constexpr int kConnections = 300;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < kConnections; ++i) clients.push_back(std::make_unique<TestClient>(port()));
  // All connections are open at once; each one holds its response for 100 ms.
  const std::string request = "GET /?delay_ms=100 HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto started = Clock::now();
  for (auto& client : clients) net::write(client->socket(), net::buffer(request));
  const std::string expected = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  for (auto& client : clients) {
    std::string reply(expected.size(), '\0');
    net::read(client->socket(), net::buffer(reply));
    ASSERT_EQ(reply, expected);
  }
  // Held concurrently on timers, not one after another.
  EXPECT_LT(Clock::now() - started, milliseconds(2000));
}

class TestserverStall : public ServerFixture {
 protected:
  // Sleeps until the server's stall clock reads `phase` modulo `every`.
  void wait_for_phase(milliseconds every, milliseconds phase) {
    const auto since_start = Clock::now() - server_->stall_clock().start();
    const auto into = since_start % every;
    std::this_thread::sleep_for(into <= phase ? phase - into : every - into + phase);
  }

  // When, relative to the server's start and modulo `every`, the response to `target` arrived.
  milliseconds completion_phase(TestClient& client, const std::string& target, milliseconds every,
                                milliseconds* elapsed) {
    const auto sent = Clock::now();
    EXPECT_EQ(client.get(target).result_int(), 200);
    const auto done = Clock::now();
    *elapsed = std::chrono::duration_cast<milliseconds>(done - sent);
    return std::chrono::duration_cast<milliseconds>(done - server_->stall_clock().start()) % every;
  }
};

TEST_F(TestserverStall, RequestInsideWindowIsHeldUntilItsEnd) {
  TestClient client(port());
  client.get("/");  // connect and warm up outside the measurement
  wait_for_phase(milliseconds(400), milliseconds(50));
  milliseconds elapsed{};
  const auto phase = completion_phase(client, "/?stall=400:200", milliseconds(400), &elapsed);
  EXPECT_NEAR(phase.count(), 200, 50);
  EXPECT_NEAR(elapsed.count(), 150, 50);
}

TEST_F(TestserverStall, RequestOutsideWindowIsNotDelayed) {
  TestClient client(port());
  client.get("/");
  wait_for_phase(milliseconds(400), milliseconds(250));
  milliseconds elapsed{};
  completion_phase(client, "/?stall=400:200", milliseconds(400), &elapsed);
  EXPECT_LT(elapsed.count(), 50);
}

TEST_F(TestserverStall, DelayStartsAfterTheStall) {
  TestClient client(port());
  client.get("/");
  wait_for_phase(milliseconds(400), milliseconds(50));
  milliseconds elapsed{};
  const auto phase =
      completion_phase(client, "/?stall=400:200&delay_ms=100", milliseconds(400), &elapsed);
  EXPECT_NEAR(phase.count(), 300, 50);
  EXPECT_NEAR(elapsed.count(), 250, 50);
}

}  // namespace
}  // namespace stampede::testserver
