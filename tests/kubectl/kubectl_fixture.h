// The fixture of the kubectl tests: a small `stampede up` (frontend, whose readiness probe is
// pointed at /_healthz so that it needs no backends, and productcatalog; short probe periods and
// grace periods) and the real kubectl pointed at its kubeconfig. Every test starts its own shop
// in its own state folder on ephemeral ports, so the tests run in parallel with others.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/kubectl/kubectl_runner.h"
#include "tests/runtime/local_shop.h"

namespace kubectl_test {

using nlohmann::json;

// The values of the small shop; `extra` is appended to its overlay (YAML under `services:` or
// top-level keys).
runtime_test::UpOptions small_shop(const std::string& extra = "");

// One shop and one kubectl per test (see above); used from the test thread.
class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // The shop's values; tests override it for other overlays.
  virtual runtime_test::UpOptions options() const { return small_shop(); }

  KubectlResult kubectl(const std::vector<std::string>& args,
                        std::chrono::milliseconds limit = std::chrono::seconds(60)) const {
    return kubectl_->run(args, limit);
  }
  // `kubectl ARGS -o json`, parsed; null (and a test failure) when it did not work.
  json kubectl_json(std::vector<std::string> args) const;
  // Names of the pods with label app=`app` (not terminating ones unless `all`).
  std::vector<std::string> pod_names(const std::string& app) const;

  std::unique_ptr<runtime_test::LocalShop> shop_;
  std::unique_ptr<Kubectl> kubectl_;
};

}  // namespace kubectl_test
