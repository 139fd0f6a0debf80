// The fixture of the in-process Kubernetes API tests: a real Runtime whose pods are `sleep`
// processes (no shop, no kubectl), the KubeApi over it, the real HTTP server in front, and a
// watch client that reads the chunked events as they come. One per test; used from the test
// thread.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/http/test_client.h"
#include "targets/local/api/api_server.h"
#include "targets/local/api/kube/kube_api.h"

namespace stampede::local::kube::testing {

using nlohmann::json;
namespace bhttp = boost::beast::http;
using http::testing::TestClient;

inline constexpr const char* kToken = "test-token";

// A deployment of `replicas` pods that print a line and sleep.
inline DeploymentSpec sleeper(const std::string& name, int replicas) {
  DeploymentSpec d;
  d.name = name;
  d.image_repository = "local/sleeper";
  d.command = {"sh", "-c", "echo hello from $(HOSTNAME); exec sleep 600"};
  d.replicas = replicas;
  d.ports = {{"http", 8080, "PORT"}};
  d.service = ServiceSpec{80, "http"};
  d.address_env = "SLEEPER_ADDR";
  d.termination_grace_period_seconds = 1;
  d.cpu_request_millis = 100;
  return d;
}

// One runtime, API and server per test; torn down (pods stopped, folder removed) after it.
class KubeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kube_api_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    RuntimeOptions options;
    options.values.deployments = {sleeper("sleeper", 2)};
    options.values.local.cpu_limits = CpuLimitsSetting::kOff;
    options.values.local.crash_loop_backoff_base_seconds = 1;
    options.state_dir = dir_.string();
    options.admin_token = "admin";
    auto rt = Runtime::start(std::move(options));
    ASSERT_TRUE(rt.ok()) << rt.error().message();
    runtime_ = std::move(rt).value();
    KubeApiOptions kube_options;
    kube_options.token = kToken;
    kube_options.history = history();
    auto api = KubeApi::start(*runtime_, kube_options);
    ASSERT_TRUE(api.ok()) << api.error().message();
    api_ = std::move(api).value();
    auto server = ApiServer::start(
        *runtime_, kToken, nullptr, 0,
        [this](const http::Request& r, const http::Peer&) { return api_->handle(r); });
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
    ASSERT_TRUE(
        http::testing::wait_until([&] { return running_pods() == 2; }, std::chrono::seconds(10)));
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (api_) api_->stop();
    if (runtime_) {
      runtime_->shutdown();
      runtime_->stop();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  virtual size_t history() const { return 10000; }

  // One request straight to the handler.
  http::Response call(bhttp::verb method, const std::string& target, const std::string& body = "",
                      TestClient::Headers headers = {}, bool auth = true) {
    if (auth) headers.push_back({"Authorization", std::string("Bearer ") + kToken});
    http::Reply reply = api_->handle(TestClient::make_request(method, target, body, headers));
    return reply.response;
  }
  json get_json(const std::string& target, int expect = 200) {
    http::Response r = call(bhttp::verb::get, target);
    EXPECT_EQ(r.result_int(), static_cast<unsigned>(expect)) << target << " " << r.body();
    return json::parse(r.body(), nullptr, false);
  }
  int running_pods() {
    json pods = json::parse(call(bhttp::verb::get, "/api/v1/namespaces/default/pods").body(),
                            nullptr, false);
    int n = 0;
    if (!pods.is_object()) return 0;
    for (const json& p : pods["items"]) {
      if (p["status"]["containerStatuses"][0]["state"].contains("running")) ++n;
    }
    return n;
  }
  std::vector<std::string> pod_names() {
    std::vector<std::string> names;
    json pods = get_json("/api/v1/namespaces/default/pods");
    for (const json& p : pods["items"]) {
      if (!p["metadata"].contains("deletionTimestamp")) names.push_back(p["metadata"]["name"]);
    }
    return names;
  }

  // A watch over the real server: its events as they arrive.
  class Watch {
   public:
    Watch(uint16_t port, const std::string& target, TestClient::Headers headers = {})
        : client_(port) {
      headers.push_back({"Authorization", std::string("Bearer ") + kToken});
      client_.send(TestClient::make_request(bhttp::verb::get, target, "", headers));
    }
    // Reads until `n` events have come (or the stream ended); the events so far.
    std::vector<json> until(size_t n) {
      while (events_.size() < n && !ended_) {
        std::string more = client_.read_some_raw();
        if (more.empty()) {
          ended_ = true;
          break;
        }
        raw_ += more;
        parse();
      }
      return events_;
    }
    bool ended() const { return ended_; }

   private:
    void parse() {
      size_t head = raw_.find("\r\n\r\n");
      if (head == std::string::npos) return;
      std::string body = raw_.substr(head + 4);
      // Chunked: size line, data, CRLF.
      std::string data;
      size_t pos = 0;
      while (pos < body.size()) {
        size_t eol = body.find("\r\n", pos);
        if (eol == std::string::npos) break;
        size_t size = std::strtoul(body.substr(pos, eol - pos).c_str(), nullptr, 16);
        if (size == 0) {
          ended_ = true;
          break;
        }
        if (body.size() < eol + 2 + size + 2) break;
        data += body.substr(eol + 2, size);
        pos = eol + 2 + size + 2;
      }
      events_.clear();
      size_t start = 0;
      for (size_t nl = data.find('\n'); nl != std::string::npos; nl = data.find('\n', start)) {
        events_.push_back(json::parse(data.substr(start, nl - start), nullptr, false));
        start = nl + 1;
      }
    }
    TestClient client_;
    std::string raw_;
    std::vector<json> events_;
    bool ended_ = false;
  };

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<KubeApi> api_;
  std::unique_ptr<ApiServer> server_;
};

}  // namespace stampede::local::kube::testing
