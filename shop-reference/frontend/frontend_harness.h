// Test-only: the frontend served in-process on 127.0.0.1:0 over FakeShop, and a small browser
// (one connection per request, a cookie jar) to drive it.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/http/test_client.h"
#include "shop-reference/common/server_runtime.h"
#include "shop-reference/frontend/fake_backends.h"
#include "shop-reference/frontend/frontend.h"

namespace shop::testing {

// Owns the fakes, the runtime, the frontend and its server, torn down in reverse order.
class FrontendHarness {
 public:
  // `tweak` may change the configuration built from the fakes before the frontend starts.
  explicit FrontendHarness(const std::function<void(FrontendConfig&)>& tweak = nullptr);
  ~FrontendHarness();

  uint16_t port() const { return server->port(); }

  FakeShop shop;
  ServerRuntime runtime{"frontend"};
  std::unique_ptr<Frontend> frontend;
  std::unique_ptr<stampede::http::Server> server;
};

// Keeps the cookies the frontend sets (an expired one is dropped) and sends them back.
class Browser {
 public:
  using Headers = stampede::http::testing::TestClient::Headers;
  explicit Browser(uint16_t port) : port_(port) {}

  stampede::http::Response request(boost::beast::http::verb method, const std::string& target,
                                   const std::string& body = {}, Headers headers = {});
  stampede::http::Response get(const std::string& target, Headers headers = {}) {
    return request(boost::beast::http::verb::get, target, {}, std::move(headers));
  }
  // A POST with Content-Type application/x-www-form-urlencoded.
  stampede::http::Response post_form(const std::string& target, const std::string& body,
                                     Headers headers = {});
  // A request with Content-Type application/json.
  stampede::http::Response send_json(boost::beast::http::verb method, const std::string& target,
                                     const std::string& body);

  std::map<std::string, std::string> cookies;

 private:
  uint16_t port_;
};

// Every Set-Cookie header of `response`, in order.
std::vector<std::string> set_cookies(const stampede::http::Response& response);
// The value of one series in a /metrics text ("name{labels}"), 0 when absent.
double metric_value(const std::string& metrics, const std::string& series);

}  // namespace shop::testing
