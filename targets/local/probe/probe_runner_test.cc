// Each probe kind against a real listener (or a real command).
#include "targets/local/probe/probe_runner.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "common/http/test_client.h"
#include "health.grpc.pb.h"

namespace stampede::local {
namespace {

namespace bhttp = boost::beast::http;

ProbeSpec probe(ProbeKind kind) {
  ProbeSpec s;
  s.kind = kind;
  s.timeout_seconds = 1;
  return s;
}

std::unique_ptr<http::Server> http_server() {
  return http::testing::start_server({}, [](const http::Request& req, const http::Peer&) {
    std::string target(http::to_std(req.target()));
    if (target == "/hang") {
      http::Reply r{http::make_response(req, bhttp::status::ok, "text/plain", "")};
      r.hang = true;
      return r;
    }
    auto status = target == "/ok"         ? bhttp::status::ok
                  : target == "/redirect" ? bhttp::status::found
                  : target == "/header" && req["X-Probe"] == "yes"
                      ? bhttp::status::no_content
                      : bhttp::status::service_unavailable;
    return http::Reply{http::make_response(req, status, "text/plain", "body")};
  });
}

TEST(ProbeRunner, HttpGetSucceedsOn200To399) {
  auto server = http_server();
  ProbeTarget target{"127.0.0.1", server->port(), {}};
  ProbeSpec s = probe(ProbeKind::kHttpGet);
  s.path = "/ok";
  EXPECT_TRUE(run_probe(s, target).success);
  s.path = "/redirect";
  EXPECT_TRUE(run_probe(s, target).success);
  s.path = "/bad";
  ProbeOutcome bad = run_probe(s, target);
  EXPECT_FALSE(bad.success);
  EXPECT_EQ(bad.message, "HTTP probe failed with statuscode: 503");
  s.path = "/header";
  EXPECT_FALSE(run_probe(s, target).success);
  s.http_headers = {{"X-Probe", "yes"}};
  EXPECT_TRUE(run_probe(s, target).success);
}

TEST(ProbeRunner, HttpGetTimesOutOnAHungServer) {
  auto server = http_server();
  ProbeSpec s = probe(ProbeKind::kHttpGet);
  s.path = "/hang";
  auto start = std::chrono::steady_clock::now();
  ProbeOutcome o = run_probe(s, {"127.0.0.1", server->port(), {}});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(o.success);
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST(ProbeRunner, TcpSocketSucceedsWhileSomethingListens) {
  uint16_t port;
  {
    auto server = http_server();
    port = server->port();
    EXPECT_TRUE(run_probe(probe(ProbeKind::kTcpSocket), {"127.0.0.1", port, {}}).success);
  }
  ProbeOutcome o = run_probe(probe(ProbeKind::kTcpSocket), {"127.0.0.1", port, {}});
  EXPECT_FALSE(o.success);
  EXPECT_NE(o.message.find("Connection refused"), std::string::npos) << o.message;
}

// grpc.health.v1 with a settable answer for the server as a whole ("").
class TestHealth : public grpc::health::v1::Health::Service {
 public:
  std::atomic<bool> serving{true};
  grpc::Status Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override {
    if (!request->service().empty()) return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown");
    response->set_status(serving ? grpc::health::v1::HealthCheckResponse::SERVING
                                 : grpc::health::v1::HealthCheckResponse::NOT_SERVING);
    return grpc::Status::OK;
  }
};

TEST(ProbeRunner, GrpcFollowsTheHealthService) {
  TestHealth health;
  grpc::ServerBuilder builder;
  builder.RegisterService(&health);
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ProbeTarget target{"127.0.0.1", static_cast<uint16_t>(port), {}};
  ProbeSpec s = probe(ProbeKind::kGrpc);
  ProbeOutcome ok = run_probe(s, target);
  EXPECT_TRUE(ok.success) << ok.message;
  health.serving = false;
  ProbeOutcome down = run_probe(s, target);
  EXPECT_FALSE(down.success);
  EXPECT_EQ(down.message, "service unhealthy (responded with \"NOT_SERVING\")");
  s.grpc_service = "no.such.Service";
  health.serving = true;
  EXPECT_FALSE(run_probe(s, target).success);  // NOT_FOUND
  server->Shutdown();
  s.grpc_service = "";
  EXPECT_FALSE(run_probe(s, target).success);
}

TEST(ProbeRunner, ExecUsesTheExitCodeAndThePodsEnv) {
  ProbeTarget target{"127.0.0.1", 0, {"PATH=/usr/bin:/bin", "WANT=yes"}};
  ProbeSpec s = probe(ProbeKind::kExec);
  s.command = {"sh", "-c", "test \"$WANT\" = yes"};
  EXPECT_TRUE(run_probe(s, target).success);
  s.command = {"sh", "-c", "echo broken; exit 3"};
  ProbeOutcome failed = run_probe(s, target);
  EXPECT_FALSE(failed.success);
  EXPECT_EQ(failed.message, "command failed: exit code 3: broken");
  s.command = {"no-such-command-xyz"};
  EXPECT_FALSE(run_probe(s, target).success);
  s.command = {"sleep", "30"};
  auto start = std::chrono::steady_clock::now();
  ProbeOutcome slow = run_probe(s, target);
  EXPECT_FALSE(slow.success);
  EXPECT_EQ(slow.message, "command timed out after 1s");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace stampede::local
