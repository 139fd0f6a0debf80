// NativeTransport against the real test server (tests/server, Boost.Beast).
#include "engine/http/native_transport.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <nlohmann/json.hpp>
#include <string>

#include "engine/http/http1_request.h"
#include "engine/http/transport_test_driver.h"
#include "engine/http/unique_fd.h"
#include "tests/server/server_fixture.h"

namespace stampede {
namespace {

class NativeTransportTest : public testserver::ServerFixture {
 protected:
  std::string url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(port()) + target;
  }
  int64_t server_requests(const std::string& path) {
    TransportTestDriver stats_driver;
    HttpResponse& r = stats_driver.get(url("/stats"));
    auto doc = nlohmann::json::parse(r.body);
    return doc["by_path"].value(path, int64_t{0});
  }
  TransportTestDriver driver_;
};

TEST_F(NativeTransportTest, GetReturnsStatusHeadersBodyAndTimings) {
  HttpExchange* e = driver_.make("GET", url("/json"));
  HttpResponse& r = driver_.fetch(e);
  ASSERT_EQ(r.error, HttpErrorKind::kNone) << r.error_message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.proto, "HTTP/1.1");
  EXPECT_NE(r.headers_raw.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(r.body)["name"], "stampede");
  const HttpTimings& t = r.timings;
  EXPECT_GT(t.started_at, 0);
  EXPECT_GE(t.finished_at, t.started_at);
  EXPECT_GT(t.connecting, 0);  // a new connection
  EXPECT_EQ(t.blocked, 0);
  EXPECT_EQ(t.tls_handshaking, 0);
  EXPECT_GT(t.waiting, 0);
  EXPECT_EQ(t.duration, t.sending + t.waiting + t.receiving);
  EXPECT_LE(t.duration, t.finished_at - t.started_at);
  std::string head;
  write_http1_request_head(e->request, "/json", "127.0.0.1:" + std::to_string(port()),
                           "stampede/0.1", &head);
  EXPECT_EQ(r.bytes_sent, static_cast<int64_t>(head.size()));
  EXPECT_GT(r.bytes_received, static_cast<int64_t>(r.body.size() + r.headers_raw.size()));
  EXPECT_EQ(driver_.transport().in_flight(), 0u);
}

TEST_F(NativeTransportTest, ReusesOneKeptAliveConnection) {
  for (int i = 0; i < 50; ++i) {
    HttpResponse& r = driver_.get(url("/seq"));
    ASSERT_EQ(r.status, 200) << i << ": " << r.error_message;
    if (i > 0) {
      EXPECT_EQ(r.timings.connecting, 0);
    }
  }
  EXPECT_EQ(driver_.transport().stats().connections_opened, 1u);
  EXPECT_EQ(driver_.transport().stats().reused, 49u);
  EXPECT_EQ(driver_.transport().connections(), 1u);
  EXPECT_EQ(driver_.transport().idle_connections(), 1u);
  EXPECT_EQ(server_requests("/seq"), 50);
}

TEST_F(NativeTransportTest, RunsManyExchangesConcurrently) {
  for (int round = 0; round < 2; ++round) {
    std::vector<HttpExchange*> batch;
    for (int i = 0; i < 200; ++i) batch.push_back(driver_.make("GET", url("/?delay_ms=20")));
    size_t before = driver_.done().size();
    for (HttpExchange* e : batch) driver_.transport().start(e);
    EXPECT_EQ(driver_.transport().in_flight(), 200u);
    ASSERT_TRUE(driver_.run_until([&] { return driver_.done().size() == before + 200; }));
    for (HttpExchange* e : batch) EXPECT_EQ(e->response.status, 200) << e->response.error_message;
    EXPECT_EQ(driver_.transport().in_flight(), 0u);
  }
  // The second round found the first round's connections idle.
  EXPECT_EQ(driver_.transport().stats().connections_opened, 200u);
  EXPECT_EQ(driver_.transport().stats().reused, 200u);
}

TEST_F(NativeTransportTest, CallbacksMayStartTheNextRequest) {
  int remaining = 20;
  driver_.set_on_done([&](HttpExchange* e) {
    EXPECT_EQ(e->response.status, 200);
    if (--remaining > 0) driver_.transport().start(e);  // the same exchange, reused
  });
  driver_.transport().start(driver_.make("GET", url("/chain")));
  ASSERT_TRUE(driver_.run_until([&] { return remaining == 0; }));
  EXPECT_EQ(driver_.transport().stats().connections_opened, 1u);
}

TEST_F(NativeTransportTest, SendsCookieHeadersAndBody) {
  HttpExchange* e = driver_.make("POST", url("/echo?a=1"));
  e->request.cookie = "session=abc; theme=dark";
  e->request.headers = {"X-Trace: t-1", "Content-Type: text/plain"};
  e->request.body = "hello body";
  HttpResponse& r = driver_.fetch(e);
  ASSERT_EQ(r.status, 200) << r.error_message;
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["method"], "POST");
  EXPECT_EQ(doc["path"], "/echo");
  EXPECT_EQ(doc["query"], "a=1");
  EXPECT_EQ(doc["body"], "hello body");
  EXPECT_EQ(doc["headers"]["cookie"], "session=abc; theme=dark");
  EXPECT_EQ(doc["headers"]["x-trace"], "t-1");
  EXPECT_EQ(doc["headers"]["content-type"], "text/plain");
  EXPECT_EQ(doc["headers"]["content-length"], "10");
  EXPECT_EQ(doc["headers"]["user-agent"], "stampede/0.1");
  EXPECT_EQ(doc["headers"]["host"], "127.0.0.1:" + std::to_string(port()));
  EXPECT_FALSE(doc["headers"].contains("connection"));
}

TEST_F(NativeTransportTest, LargeRequestBodiesAreWrittenCompletely) {
  HttpExchange* e = driver_.make("PUT", url("/echo"));
  e->request.body.assign(3 * 1024 * 1024, 'b');
  HttpResponse& r = driver_.fetch(e);
  ASSERT_EQ(r.status, 200) << r.error_message;
  EXPECT_EQ(nlohmann::json::parse(r.body)["body"].get<std::string>().size(), 3u * 1024 * 1024);
  EXPECT_GT(r.bytes_sent, 3 * 1024 * 1024);
  EXPECT_GT(r.timings.sending, 0);
}

TEST_F(NativeTransportTest, BigResponseBodies) {
  HttpResponse& r = driver_.get(url("/?bytes=5000000"));
  ASSERT_EQ(r.status, 200) << r.error_message;
  EXPECT_EQ(r.body, std::string(5000000, 'x'));
  EXPECT_GT(r.bytes_received, 5000000);
  HttpExchange* e = driver_.make("GET", url("/?bytes=5000000"));
  e->request.discard_body = true;
  HttpResponse& discarded = driver_.fetch(e);
  EXPECT_EQ(discarded.status, 200);
  EXPECT_EQ(discarded.body, "");
  EXPECT_GT(discarded.bytes_received, 5000000);
  EXPECT_EQ(driver_.transport().stats().connections_opened, 1u);
}

TEST_F(NativeTransportTest, BodyOverTheLimitIsTooLarge) {
  NativeTransportOptions options;
  options.max_body_bytes = 1000;
  TransportTestDriver driver(options);
  HttpResponse& r = driver.get(url("/?bytes=5000"));
  EXPECT_EQ(r.error, HttpErrorKind::kTooLarge);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(driver.get(url("/?bytes=1000")).status, 200);
}

TEST_F(NativeTransportTest, HeadAndBodilessStatusesKeepTheConnection) {
  HttpResponse& head = driver_.fetch(driver_.make("HEAD", url("/?bytes=100")));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_NE(head.headers_raw.find("Content-Length: 100"), std::string::npos);
  EXPECT_EQ(driver_.get(url("/?status=204")).status, 204);
  EXPECT_EQ(driver_.get(url("/?status=304")).status, 304);
  HttpResponse& after = driver_.get(url("/"));
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, "ok");
  EXPECT_EQ(driver_.transport().stats().connections_opened, 1u);
}

TEST_F(NativeTransportTest, RedirectsAreReturnedNotFollowed) {
  HttpResponse& r = driver_.get(url("/redirect?to=/json"));
  EXPECT_EQ(r.status, 302);
  EXPECT_NE(r.headers_raw.find("Location: /json\r\n"), std::string::npos);
}

TEST_F(NativeTransportTest, ConnectionRefused) {
  UniqueFd probe(socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(probe.get(), reinterpret_cast<sockaddr*>(&addr), len);
  getsockname(probe.get(), reinterpret_cast<sockaddr*>(&addr), &len);
  probe.reset();  // nothing listens there now
  HttpExchange* e = driver_.make("GET", "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  driver_.transport().start(e);
  EXPECT_TRUE(driver_.done().empty());  // never called back from inside start()
  ASSERT_TRUE(driver_.run_until([&] { return !driver_.done().empty(); }));
  EXPECT_EQ(e->response.error, HttpErrorKind::kConnectionRefused);
  EXPECT_EQ(e->response.status, 0);
  EXPECT_NE(e->response.error_message.find("refused"), std::string::npos);
  EXPECT_EQ(driver_.transport().connections(), 0u);
}

TEST_F(NativeTransportTest, EmptyReplyOnAFreshConnectionIsNotRetried) {
  HttpResponse& r = driver_.get(url("/close"));
  EXPECT_EQ(r.error, HttpErrorKind::kEmptyReply);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(driver_.transport().stats().retries, 0u);
  EXPECT_EQ(server_requests("/close"), 1);
}

TEST_F(NativeTransportTest, FailureOnAReusedConnectionIsRetriedOnce) {
  EXPECT_EQ(driver_.get(url("/")).status, 200);
  HttpResponse& r = driver_.get(url("/close"));  // looks like a keep-alive race
  EXPECT_EQ(r.error, HttpErrorKind::kEmptyReply);
  EXPECT_EQ(driver_.transport().stats().retries, 1u);
  EXPECT_EQ(driver_.transport().stats().connections_opened, 2u);
  EXPECT_EQ(server_requests("/close"), 2);
}

TEST_F(NativeTransportTest, ConnectionReset) {
  HttpResponse& r = driver_.get(url("/reset"));
  EXPECT_EQ(r.error, HttpErrorKind::kConnectionReset);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error_message.empty());
}

TEST_F(NativeTransportTest, TimeoutCoversTheWholeRequest) {
  HttpExchange* e = driver_.make("GET", url("/?delay_ms=3000"));
  e->request.timeout = 200 * kNanosPerMilli;
  HttpResponse& r = driver_.fetch(e);
  EXPECT_EQ(r.error, HttpErrorKind::kTimeout);
  EXPECT_EQ(r.status, 0);
  Nanos elapsed = r.timings.finished_at - r.timings.started_at;
  EXPECT_GE(elapsed, 200 * kNanosPerMilli);
  EXPECT_LT(elapsed, 1500 * kNanosPerMilli);
  EXPECT_GE(r.timings.waiting, 150 * kNanosPerMilli);
  EXPECT_EQ(driver_.transport().connections(), 0u);  // its state is unknown: closed
  EXPECT_EQ(driver_.get(url("/")).status, 200);      // other requests are unaffected
}

TEST_F(NativeTransportTest, CancelStopsWithoutACallback) {
  HttpExchange* slow = driver_.make("GET", url("/?delay_ms=300"));
  HttpExchange* bad = driver_.make("GET", "https://127.0.0.1/");  // fails, deferred
  driver_.transport().start(slow);
  driver_.transport().start(bad);
  EXPECT_EQ(driver_.transport().in_flight(), 2u);
  driver_.run_for(50 * kNanosPerMilli);
  EXPECT_EQ(driver_.done().size(), 1u);  // the bad one
  driver_.transport().start(bad);
  driver_.transport().cancel(bad);
  driver_.transport().cancel(slow);
  driver_.transport().cancel(slow);  // a second cancel is a no-op
  EXPECT_EQ(driver_.transport().in_flight(), 0u);
  EXPECT_EQ(driver_.transport().connections(), 0u);
  driver_.run_for(500 * kNanosPerMilli);
  EXPECT_EQ(driver_.done().size(), 1u);
  EXPECT_EQ(driver_.get(url("/")).status, 200);
}

TEST_F(NativeTransportTest, UnsupportedUrlsFailWithInvalidUrl) {
  for (const char* u : {"https://127.0.0.1/", "http://example.com/", "not a url"}) {
    HttpResponse& r = driver_.get(u);
    EXPECT_EQ(r.error, HttpErrorKind::kInvalidUrl) << u;
    EXPECT_FALSE(r.error_message.empty());
  }
  auto supported = [](const char* u) { return NativeTransport::supports(parse_url(u).value()); };
  EXPECT_TRUE(supported("http://127.0.0.1:8080/"));
  EXPECT_TRUE(supported("http://[::1]/"));
  EXPECT_TRUE(supported("http://localhost/"));
  EXPECT_FALSE(supported("https://127.0.0.1/"));
  EXPECT_FALSE(supported("http://shop.example/"));
}

TEST_F(NativeTransportTest, LocalhostAndIpv6) {
  HttpResponse& r = driver_.get("http://localhost:" + std::to_string(port()) + "/");
  EXPECT_EQ(r.status, 200) << r.error_message;
  boost::system::error_code ec;
  testserver::ServerOptions options;
  options.bind = "::1";
  auto v6 = testserver::Server::open(options, ec);
  if (!v6) GTEST_SKIP() << "no IPv6 loopback: " << ec.message();
  v6->start();
  HttpResponse& r6 = driver_.get("http://[::1]:" + std::to_string(v6->endpoint().port()) + "/json");
  EXPECT_EQ(r6.status, 200) << r6.error_message;
}

}  // namespace
}  // namespace stampede
