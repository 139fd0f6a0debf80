// HTTP/1.1 keep-alive through the proxy, against the project's HTTP server (common/http): many
// requests on one client connection stay on one upstream connection to one replica; bodies of
// any size pass intact; the latency fault slows each request by both directions' delays.
#include <gtest/gtest.h>

#include <boost/beast/http/status.hpp>
#include <set>
#include <string>

#include "common/http/server.h"
#include "targets/local/proxy/service_proxy.h"
#include "targets/local/proxy/testing/proxy_fixture.h"

namespace stampede::local::testing {
namespace {

namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

struct Answer {
  int status = 0;
  bool keep_alive = true;
  std::string body;
};

// Reads one response with a Content-Length body from the socket (which the server always sets).
Answer read_answer(TestSocket& socket, std::string& pending) {
  size_t head_end;
  while ((head_end = pending.find("\r\n\r\n")) == std::string::npos) {
    pending += socket.read_exact(1);
  }
  const std::string head = pending.substr(0, head_end + 4);
  pending.erase(0, head_end + 4);
  Answer answer;
  answer.status = std::stoi(head.substr(9, 3));
  answer.keep_alive = head.find("Connection: close") == std::string::npos;
  const size_t at = head.find("Content-Length: ");
  if (at == std::string::npos) throw std::runtime_error("no Content-Length in " + head);
  const size_t length = std::stoul(head.substr(at + 16));
  if (pending.size() < length) pending += socket.read_exact(length - pending.size());
  answer.body = pending.substr(0, length);
  pending.erase(0, length);
  return answer;
}

std::string request(const std::string& method, const std::string& target,
                    const std::string& body = "") {
  return method + " " + target +
         " HTTP/1.1\r\nHost: cart\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         body;
}

// A replica: answers "<name> <client port> <target>" to GET and the body back to POST.
std::unique_ptr<http::Server> replica(const std::string& name) {
  http::ServerOptions options;
  options.max_body = 4 << 20;
  auto started = http::Server::start(options, [name](const http::Request& req,
                                                     const http::Peer& peer) {
    std::string body = req.method() == bhttp::verb::post
                           ? req.body()
                           : name + " " + std::to_string(peer.port) + " " +
                                 std::string(http::to_std(req.target()));
    return http::Reply{http::make_response(req, bhttp::status::ok, "text/plain", std::move(body))};
  });
  if (!started.ok()) throw std::runtime_error(started.error().message());
  return std::move(started).value();
}

TEST(ServiceProxyHttp, KeepAliveRequestsShareOneUpstreamConnection) {
  auto a = replica("a");
  auto b = replica("b");
  auto proxy = start_proxy("frontend");
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_at(a->port(), "a"), endpoint_at(b->port(), "b")});

  TestSocket first(proxy->port());
  std::string pending;
  std::set<std::string> seen;  // "<replica> <upstream client port>"
  for (int i = 0; i < 20; ++i) {
    const std::string target = "/product/" + std::to_string(i);
    first.send_all(request("GET", target));
    const Answer answer = read_answer(first, pending);
    EXPECT_EQ(answer.status, 200);
    EXPECT_TRUE(answer.keep_alive);
    ASSERT_EQ(answer.body.substr(answer.body.rfind(' ') + 1), target);
    seen.insert(answer.body.substr(0, answer.body.rfind(' ')));
  }
  EXPECT_EQ(seen.size(), 1u) << "keep-alive requests were spread over upstream connections";
  // Pipelined requests come back in order.
  first.send_all(request("GET", "/p1") + request("GET", "/p2"));
  EXPECT_EQ(read_answer(first, pending).body.substr(seen.begin()->size() + 1), "/p1");
  EXPECT_EQ(read_answer(first, pending).body.substr(seen.begin()->size() + 1), "/p2");

  // The next client connection goes to the other replica.
  TestSocket second(proxy->port());
  std::string pending2;
  second.send_all(request("GET", "/"));
  const std::string other = read_answer(second, pending2).body;
  EXPECT_NE(other.substr(0, 1), seen.begin()->substr(0, 1));
  EXPECT_EQ(a->connections(), 1u);
  EXPECT_EQ(b->connections(), 1u);
  EXPECT_EQ(proxy->stats().connections_accepted, 2u);
}

TEST(ServiceProxyHttp, LargeBodiesPassIntactBothWays) {
  auto a = replica("a");
  auto proxy = start_proxy("frontend");
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_at(a->port(), "a")});
  TestSocket client(proxy->port());
  std::string pending;
  for (size_t size : {size_t{0}, size_t{1}, size_t{100000}, size_t{3} << 20}) {
    const std::string body = payload(size, static_cast<uint32_t>(size));
    std::string send_error;
    std::thread sender([&] {
      try {
        client.send_all(request("POST", "/echo", body));
      } catch (const std::exception& e) {
        send_error = e.what();
      }
    });
    const Answer answer = read_answer(client, pending);
    sender.join();
    EXPECT_EQ(send_error, "");
    EXPECT_EQ(answer.status, 200);
    EXPECT_TRUE(answer.body == body) << "body of " << size << " bytes differs";
  }
}

TEST(ServiceProxyHttp, LatencyFaultSlowsEachRequest) {
  auto a = replica("a");
  auto proxy = start_proxy("frontend");
  ASSERT_TRUE(proxy);
  proxy->set_endpoints({endpoint_at(a->port(), "a")});
  ProxyFault fault;
  fault.latency_ms = 50;
  ASSERT_TRUE(proxy->set_fault(fault).ok());
  TestSocket client(proxy->port());
  std::string pending;
  for (int i = 0; i < 3; ++i) {
    const Clock::time_point start = Clock::now();
    client.send_all(request("GET", "/slow"));
    EXPECT_EQ(read_answer(client, pending).status, 200);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    EXPECT_GE(ms, 100.0);
    EXPECT_LT(ms, 1100.0);
  }
}

}  // namespace
}  // namespace stampede::local::testing
