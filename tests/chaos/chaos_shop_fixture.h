// The chaos end-to-end tests' fixture: the real stampede binary, its load going to a real
// stampede-testserver, and chaos acting on a real `stampede up` (cart x2 and payment with an HPA)
// through its Kubernetes API, found through <state dir>/kubeconfig exactly as a user's run finds
// it. Helpers read the shop back (pods, fault knobs through the pods' admin endpoints, Service
// faults, replicas). One shop per test; used from the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/chaos/chaos_journal.h"
#include "targets/kubernetes/base64.h"
#include "tests/engine/engine_fixture.h"
#include "tests/runtime/local_shop.h"

namespace stampede::engine_test {

using runtime_test::LocalShop;
using runtime_test::UpOptions;

constexpr int kInvalid = 104;

template <class F>
inline bool eventually(F condition, int seconds = 20) {
  for (int i = 0; i < seconds * 100; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// cart x2 (fast readiness) and payment x1 with an HPA, short grace periods.
constexpr const char* kValues = R"(services:
  cart:
    replicas: 2
    readinessProbe: {grpc: {port: 7070}, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1}
    terminationGracePeriodSeconds: 2
  payment:
    terminationGracePeriodSeconds: 2
    autoscaling: {enabled: true, minReplicas: 1, maxReplicas: 2, targetCPUUtilizationPercentage: 50, behavior: {}}
)";

class ChaosEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    UpOptions options;
    options.enabled = {"cart", "payment"};
    options.values_yaml = kValues;
    shop_ = LocalShop::up(options);
    ASSERT_TRUE(shop_->ready()) << shop_->up_output();
    state_ = shop_->state_dir();
    cart_ = pod_names("cart");
    ASSERT_EQ(cart_.size(), 2u);
    payment_ = pod_names("payment");
    ASSERT_EQ(payment_.size(), 1u);
  }

  // A script sending ~50 requests/s to the test server at `path` for `duration`, with
  // `options_extra` spliced into options.
  std::string script(const std::string& duration, const std::string& options_extra,
                     const std::string& path = "/") {
    return with_base(server_,
                     "options = { scenarios = { load = { executor = "
                     "'constant-arrival-rate', rate = 50, duration = '" +
                         duration + "', pre_allocated_vus = 5 } },\n" + options_extra +
                         " }\nfunction default(vu) http.get(BASE .. '" + path + "') end\n");
  }

  RunResult run(const std::string& code, std::vector<std::string> extra = {},
                std::chrono::seconds timeout = std::chrono::seconds(60)) {
    extra.insert(extra.begin(), {"--state-dir", state_});
    return run_script(dir_, code, extra, timeout);
  }

  std::vector<std::string> pending() {
    auto p = read_pending(chaos_journal_path(state_));
    std::vector<std::string> out;
    if (p.ok()) {
      for (const PendingUndo& u : p.value()) out.push_back(u.step.describe());
    }
    return out;
  }

  // results.json (docs/reports.md): its chaos, platform and validations sections.
  nlohmann::json results() {
    std::string text = read_text(std::filesystem::path(dir_.out_dir()) / "results.json");
    return nlohmann::json::parse(text.empty() ? "null" : text, nullptr, false);
  }

  // The deployment's pods that are not being deleted, sorted.
  std::vector<std::string> pod_names(const std::string& deployment) {
    std::vector<std::string> out;
    for (const auto& p : shop_->pods(deployment)) {
      if (p["phase"] != "Terminating") out.push_back(p["name"].get<std::string>());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  nlohmann::json pod(const std::string& name) { return shop_->get("/v1/pods/" + name); }

  // The shop's admin token, from the Secret the runtime serves (as a runner on a cluster reads
  // it).
  std::string admin_token() {
    auto secret = shop_->call("GET", "/api/v1/namespaces/default/secrets/admin-token");
    if (secret.status != 200) return "";
    auto token = kube::base64_decode(secret.body["data"]["admin-token"].get<std::string>());
    return token.value_or("");
  }
  // Whether any fault knob is set on the pod, asked of its admin endpoint.
  bool faulted(const std::string& name) {
    nlohmann::json p = pod(name);
    if (!p.is_object() || !p["ports"].contains("admin")) return false;
    std::string reply = raw_http(p["ports"]["admin"].get<int>(),
                                 "GET /admin/faults HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                     admin_token() + "\r\nConnection: close\r\n\r\n");
    size_t body = reply.find("\r\n\r\n");
    if (body == std::string::npos) return false;
    nlohmann::json k = nlohmann::json::parse(reply.substr(body + 4), nullptr, false);
    if (!k.is_object()) return false;
    return k.value("latency_ms", 0) > 0 || k.value("error_rate", 0.0) > 0 ||
           k.value("hang", false) || k.value("unhealthy", false);
  }
  bool service_faulted(const std::string& service) {
    for (const auto& s : shop_->get("/v1/services")) {
      if (s["name"] == service) return !s["fault"].is_null();
    }
    return false;
  }
  bool paused(const std::string& name) { return pod(name)["state"] == "paused"; }
  int replicas(const std::string& deployment) {
    return shop_->deployment(deployment)["replicas"].get<int>();
  }
  // Nothing was done to the shop: the same pods, none faulted, paused or restarted.
  void expect_untouched() {
    EXPECT_EQ(pod_names("cart"), cart_);
    EXPECT_EQ(pod_names("payment"), payment_);
    for (const std::string& p : cart_) {
      EXPECT_FALSE(faulted(p)) << p;
      EXPECT_EQ(pod(p)["restarts"], 0) << p;
    }
    EXPECT_FALSE(faulted(payment_[0]));
  }

  TestServer server_;
  TempDir dir_;
  std::unique_ptr<LocalShop> shop_;
  std::string state_;
  std::vector<std::string> cart_;
  std::vector<std::string> payment_;
};

}  // namespace stampede::engine_test
