// NativeTransport against RawTestServer: replies a well-behaved server does not send.
#include <gtest/gtest.h>

#include <string>

#include "engine/http/native_transport.h"
#include "engine/http/raw_test_server.h"
#include "engine/http/transport_test_driver.h"

namespace stampede {
namespace {

using Reply = RawTestServer::Reply;

std::string url_of(const RawTestServer& server, const std::string& target = "/") {
  return "http://127.0.0.1:" + std::to_string(server.port()) + target;
}

// A server answering every request with the same reply.
RawTestServer::Responder always(Reply reply) {
  return [reply](const std::string&, int, int) { return reply; };
}

TEST(NativeTransportRawTest, SendsExactlyTheExpectedRequest) {
  RawTestServer server(always({"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}));
  TransportTestDriver driver;
  ASSERT_EQ(driver.get(url_of(server, "/p?q=1")).status, 200);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0],
            "GET /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                "\r\nUser-Agent: stampede/0.1\r\nAccept: */*\r\n\r\n");
}

TEST(NativeTransportRawTest, ChunkedBodyWithTrailersArrivingInPieces) {
  std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
      "5;ext=1\r\nhello\r\n1;x\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: yes\r\n\r\n";
  RawTestServer server(always({chunked, 3}));
  TransportTestDriver driver;
  for (int i = 0; i < 2; ++i) {
    HttpResponse& r = driver.get(url_of(server));
    ASSERT_EQ(r.status, 200) << r.error_message;
    EXPECT_EQ(r.body, "hello world");
    EXPECT_EQ(r.headers_raw, "Transfer-Encoding: chunked\r\nX-A: 1\r\nX-Trailer: yes\r\n");
    EXPECT_EQ(r.bytes_received, static_cast<int64_t>(chunked.size()));
  }
  EXPECT_EQ(server.connections(), 1);
}

TEST(NativeTransportRawTest, CloseDelimitedBodyEndsTheConnection) {
  RawTestServer server(always({"HTTP/1.1 200 OK\r\n\r\nall of it", 4, true}));
  TransportTestDriver driver;
  for (int i = 0; i < 2; ++i) {
    HttpResponse& r = driver.get(url_of(server));
    EXPECT_EQ(r.status, 200) << r.error_message;
    EXPECT_EQ(r.body, "all of it");
  }
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(driver.transport().stats().retries, 0u);
}

TEST(NativeTransportRawTest, ConnectionCloseAndHttp10DecideReuse) {
  RawTestServer closing(
      always({"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 0, true}));
  RawTestServer old_keep_alive(
      always({"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"}));
  TransportTestDriver driver;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(driver.get(url_of(closing)).status, 200);
    HttpResponse& r = driver.get(url_of(old_keep_alive));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.proto, "HTTP/1.0");
  }
  EXPECT_EQ(closing.connections(), 3);
  EXPECT_EQ(old_keep_alive.connections(), 1);
}

TEST(NativeTransportRawTest, InterimContinueIsSkipped) {
  RawTestServer server(always(
      {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", 5}));
  TransportTestDriver driver;
  HttpExchange* e = driver.make("POST", url_of(server));
  e->request.body = "data";
  HttpResponse& r = driver.fetch(e);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.headers_raw, "Content-Length: 2\r\n");
  EXPECT_EQ(r.body, "ok");
}

TEST(NativeTransportRawTest, MalformedTruncatedAndOversizedResponses) {
  struct Case {
    Reply reply;
    HttpErrorKind error;
    const char* message;
  } cases[] = {
      {{"HTTP/1.1 2x0 OK\r\n\r\n"}, HttpErrorKind::kOther, "malformed status line"},
      {{"HTTP/1.1 200 OK\r\nbroken\r\n\r\n"}, HttpErrorKind::kOther, "malformed header"},
      {{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, true},
       HttpErrorKind::kOther,
       "before the response body was complete"},
      {{"HTTP/1.1 200 OK\r\nX: " + std::string(70000, 'a') + "\r\n\r\n"},
       HttpErrorKind::kTooLarge,
       "headers exceed"},
      {{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, false, true},
       HttpErrorKind::kConnectionReset,
       "recv"},
  };
  for (const Case& c : cases) {
    RawTestServer server(always(c.reply));
    TransportTestDriver driver;
    HttpResponse& r = driver.get(url_of(server));
    EXPECT_EQ(r.error, c.error) << c.message << ": " << r.error_message;
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.error_message.find(c.message), std::string::npos) << r.error_message;
    EXPECT_EQ(driver.transport().stats().retries, 0u);
    EXPECT_EQ(driver.transport().connections(), 0u);
  }
}

TEST(NativeTransportRawTest, IdleConnectionClosedByThePeerIsDropped) {
  // Keep-alive by the headers, but the server closes right after each response.
  RawTestServer server(always({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0, true}));
  TransportTestDriver driver;
  EXPECT_EQ(driver.get(url_of(server)).status, 200);
  ASSERT_TRUE(driver.run_until([&] { return driver.transport().connections() == 0; }));
  EXPECT_EQ(driver.get(url_of(server)).status, 200);
  EXPECT_EQ(driver.transport().stats().retries, 0u);
  EXPECT_EQ(driver.transport().stats().reused, 0u);
}

TEST(NativeTransportRawTest, KeepAliveRaceIsRetriedOnAFreshConnection) {
  // The first connection answers once, then closes when the second request arrives.
  RawTestServer server([](const std::string&, int connection, int index) {
    if (connection == 1 && index == 2) return Reply{"", 0, true};
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
  });
  TransportTestDriver driver;
  EXPECT_EQ(driver.get(url_of(server)).status, 200);
  HttpResponse& r = driver.get(url_of(server));
  EXPECT_EQ(r.status, 200) << r.error_message;
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(driver.transport().stats().retries, 1u);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(NativeTransportRawTest, BytesAfterTheResponseStopReuse) {
  RawTestServer server(always({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokGARBAGE"}));
  TransportTestDriver driver;
  EXPECT_EQ(driver.get(url_of(server)).body, "ok");
  EXPECT_EQ(driver.get(url_of(server)).body, "ok");
  EXPECT_EQ(server.connections(), 2);
}

TEST(NativeTransportRawTest, TimeoutWhileTheServerIsSilent) {
  RawTestServer server(always({"", 0, false, false, true}));
  TransportTestDriver driver;
  HttpExchange* e = driver.make("GET", url_of(server));
  e->request.timeout = 100 * kNanosPerMilli;
  HttpResponse& r = driver.fetch(e);
  EXPECT_EQ(r.error, HttpErrorKind::kTimeout);
  EXPECT_GE(r.timings.finished_at - r.timings.started_at, 100 * kNanosPerMilli);
  EXPECT_EQ(driver.transport().connections(), 0u);
}

}  // namespace
}  // namespace stampede
