// The fault-knob admin endpoint: who may use it (the token in "Authorization: Bearer" or in
// "X-Admin-Token", the header that survives kube-apiserver's pods/proxy) and where it listens
// (ADMIN_LISTEN_ADDR). Everything on loopback: 127.0.0.2 stands in for "an address other than
// 127.0.0.1", which Linux routes to lo like the rest of 127/8.
#include "shop-reference/common/ops_server.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/http/test_client.h"

namespace shop {
namespace {

namespace http = boost::beast::http;
using stampede::http::Request;
using stampede::http::testing::TestClient;

constexpr const char* kToken = "s3cret-token-0123456789";

Request admin_request(http::verb method, const TestClient::Headers& headers,
                      const std::string& body = {}) {
  return TestClient::make_request(method, "/admin/faults", body, headers);
}

// The status handle_admin answers `request` with (0: it did not take the path).
int status_of(const Request& request, Faults& faults, const std::string& token = kToken) {
  auto reply = handle_admin(request, faults, token);
  return reply ? static_cast<int>(reply->response.result_int()) : 0;
}

TEST(AdminEndpoint, AcceptsTheTokenAsABearerToken) {
  Faults faults;
  EXPECT_EQ(status_of(admin_request(http::verb::get,
                                    {{"Authorization", std::string("Bearer ") + kToken}}),
                      faults),
            200);
}

TEST(AdminEndpoint, AcceptsTheTokenInXAdminToken) {
  Faults faults;
  EXPECT_EQ(status_of(admin_request(http::verb::get, {{"X-Admin-Token", kToken}}), faults), 200);
  // Header names are case-insensitive (proxies may rewrite them either way).
  EXPECT_EQ(status_of(admin_request(http::verb::get, {{"x-admin-token", kToken}}), faults), 200);
  // And it is enough to change the knobs, not just to read them.
  auto reply = handle_admin(
      admin_request(http::verb::put, {{"X-Admin-Token", kToken}}, R"({"latency_ms": 7})"), faults,
      kToken);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->response.result_int(), 200u) << reply->response.body();
  EXPECT_EQ(faults.get().latency_ms, 7);
  EXPECT_EQ(status_of(admin_request(http::verb::delete_, {{"X-Admin-Token", kToken}}), faults),
            200);
  EXPECT_EQ(faults.get(), FaultSpec{});
}

TEST(AdminEndpoint, EitherHeaderWithTheRightTokenPasses) {
  Faults faults;
  std::string bearer = std::string("Bearer ") + kToken;
  EXPECT_EQ(status_of(admin_request(http::verb::get,
                                    {{"Authorization", "Bearer nope"}, {"X-Admin-Token", kToken}}),
                      faults),
            200);
  EXPECT_EQ(status_of(admin_request(http::verb::get,
                                    {{"Authorization", bearer}, {"X-Admin-Token", "nope"}}),
                      faults),
            200);
}

TEST(AdminEndpoint, RefusesAMissingOrWrongToken) {
  Faults faults;
  std::string token = kToken;
  const std::vector<TestClient::Headers> refused = {
      {},
      {{"Authorization", "Bearer nope"}},
      {{"X-Admin-Token", "nope"}},
      {{"Authorization", "Bearer nope"}, {"X-Admin-Token", "nope"}},
      {{"Authorization", token}},                              // no "Bearer " scheme
      {{"Authorization", "Basic " + token}},                   // another scheme
      {{"X-Admin-Token", "Bearer " + token}},                  // X-Admin-Token takes the bare token
      {{"X-Admin-Token", token.substr(0, token.size() - 1)}},  // a prefix
      {{"X-Admin-Token", token + "x"}},                        // longer
      {{"X-Admin-Token", ""}},
  };
  for (const auto& headers : refused) {
    std::string what = headers.empty() ? "no header" : headers[0].first + ": " + headers[0].second;
    auto reply =
        handle_admin(admin_request(http::verb::put, headers, R"({"hang": true})"), faults, kToken);
    ASSERT_TRUE(reply) << what;
    EXPECT_EQ(reply->response.result_int(), 401u) << what;
    EXPECT_EQ(stampede::http::to_std(reply->response[http::field::www_authenticate]), "Bearer");
    EXPECT_NE(reply->response.body().find("X-Admin-Token"), std::string::npos)
        << reply->response.body();
  }
  EXPECT_EQ(faults.get(), FaultSpec{}) << "a refused request changed the knobs";
}

TEST(AdminEndpoint, WithoutATokenNothingPasses) {
  Faults faults;
  EXPECT_EQ(status_of(admin_request(http::verb::get, {{"X-Admin-Token", ""}}), faults, ""), 401);
  EXPECT_EQ(status_of(admin_request(http::verb::get, {{"Authorization", "Bearer "}}), faults, ""),
            401);
}

TEST(AdminEndpoint, LeavesOtherPathsAlone) {
  Faults faults;
  EXPECT_EQ(status_of(TestClient::make_request(http::verb::get, "/metrics", {},
                                               {{"X-Admin-Token", kToken}}),
                      faults),
            0);
}

// An OpsServer with only its admin listener, on `address` and a free port.
std::unique_ptr<OpsServer> start_admin(ServerRuntime& runtime, const std::string& address) {
  ServiceEnv env;
  env.admin_listen_addr = address;
  env.admin_port = 0;
  env.admin_token = kToken;
  auto ops = OpsServer::start(env, runtime, /*metrics_listener=*/false);
  if (!ops.ok()) throw std::runtime_error(ops.error().message());
  return std::move(ops.value());
}

// The status of GET /admin/faults at host:port with the token in X-Admin-Token.
unsigned get_faults(const std::string& host, uint16_t port) {
  TestClient client(port, host);
  return client.request(http::verb::get, "/admin/faults", {}, {{"X-Admin-Token", kToken}})
      .result_int();
}

TEST(AdminListener, BindsLoopbackByDefault) {
  ServerRuntime runtime("admin-test");
  EXPECT_EQ(ServiceEnv{}.admin_listen_addr, "127.0.0.1");
  auto ops = start_admin(runtime, ServiceEnv{}.admin_listen_addr);
  ASSERT_NE(ops->admin_port(), 0);
  EXPECT_EQ(get_faults("127.0.0.1", ops->admin_port()), 200u);
  EXPECT_THROW(TestClient(ops->admin_port(), "127.0.0.2"), std::runtime_error)
      << "the default admin listener answers on an address other than 127.0.0.1";
  ops->shutdown();
}

TEST(AdminListener, BindsTheConfiguredAddress) {
  ServerRuntime runtime("admin-test");
  auto ops = start_admin(runtime, "127.0.0.2");
  EXPECT_EQ(get_faults("127.0.0.2", ops->admin_port()), 200u);
  EXPECT_THROW(TestClient(ops->admin_port(), "127.0.0.1"), std::runtime_error);
  ops->shutdown();
}

TEST(AdminListener, TheWildcardAddressAnswersOnEveryAddress) {
  ServerRuntime runtime("admin-test");
  auto ops = start_admin(runtime, "0.0.0.0");
  EXPECT_EQ(get_faults("127.0.0.1", ops->admin_port()), 200u);
  EXPECT_EQ(get_faults("127.0.0.2", ops->admin_port()), 200u);
  TestClient client(ops->admin_port(), "127.0.0.2");
  EXPECT_EQ(client.request(http::verb::get, "/admin/faults", {}, {{"X-Admin-Token", "nope"}})
                .result_int(),
            401u);
  ops->shutdown();
}

TEST(AdminListener, AnAddressItCannotBindIsAnErrorNamingTheVariables) {
  ServerRuntime runtime("admin-test");
  ServiceEnv env;
  env.admin_listen_addr = "192.0.2.1";  // TEST-NET-1: on no interface of this machine
  env.admin_port = 0;
  env.admin_token = kToken;
  auto ops = OpsServer::start(env, runtime, /*metrics_listener=*/false);
  ASSERT_FALSE(ops.ok());
  EXPECT_NE(ops.error().message().find("ADMIN_LISTEN_ADDR/ADMIN_PORT: "), std::string::npos)
      << ops.error().message();
  EXPECT_NE(ops.error().message().find("192.0.2.1"), std::string::npos) << ops.error().message();
}

}  // namespace
}  // namespace shop
