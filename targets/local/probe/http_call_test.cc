#include "targets/local/probe/http_call.h"

#include <gtest/gtest.h>

#include "common/http/test_client.h"

namespace stampede::local {
namespace {

namespace bhttp = boost::beast::http;

TEST(HttpCall, SendsHeadersAndBodyAndReadsTheResponse) {
  auto server = http::testing::start_server({}, [](const http::Request& req, const http::Peer&) {
    std::string body = std::string(http::to_std(req.method_string())) + " " +
                       std::string(http::to_std(req.target())) + " " +
                       std::string(http::to_std(req["Authorization"])) + " " + req.body();
    return http::Reply{http::make_response(req, bhttp::status::created, "text/plain", body)};
  });
  auto r = http_call("127.0.0.1", server->port(), "PUT", "/x?y=1", {{"Authorization", "Bearer t"}},
                     "{\"a\":1}", std::chrono::seconds(5));
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().status, 201);
  EXPECT_EQ(r.value().body, "PUT /x?y=1 Bearer t {\"a\":1}");
  EXPECT_EQ(r.value().headers.at("content-type"), "text/plain");
}

TEST(HttpCall, RefusedAndTimedOutAreErrors) {
  uint16_t port;
  {
    auto server = http::testing::start_server({}, [](const http::Request& req, const http::Peer&) {
      return http::Reply{http::make_response(req, bhttp::status::ok, "text/plain", "")};
    });
    port = server->port();
  }
  auto refused = http_call("127.0.0.1", port, "GET", "/", {}, "", std::chrono::seconds(2));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("connect 127.0.0.1:" + std::to_string(port)),
            std::string::npos);

  auto hung = http::testing::start_server({}, [](const http::Request& req, const http::Peer&) {
    http::Reply reply{http::make_response(req, bhttp::status::ok, "text/plain", "")};
    reply.hang = true;
    return reply;
  });
  auto start = std::chrono::steady_clock::now();
  auto timed_out =
      http_call("127.0.0.1", hung->port(), "GET", "/", {}, "", std::chrono::milliseconds(300));
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().message(), "timed out waiting for the response");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace stampede::local
