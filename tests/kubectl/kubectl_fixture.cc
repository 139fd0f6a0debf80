#include "tests/kubectl/kubectl_fixture.h"

namespace kubectl_test {

runtime_test::UpOptions small_shop(const std::string& extra) {
  runtime_test::UpOptions options;
  options.enabled = {"frontend", "productcatalog"};
  // The frontend needs the addresses of its required backends to start, and its /readyz asks
  // them; pointed nowhere and probed on /_healthz, it runs alone.
  options.values_yaml = R"(services:
  frontend:
    readinessProbe:
      httpGet: {path: /_healthz, port: http}
      periodSeconds: 1
    terminationGracePeriodSeconds: 3
    env:
      SHUTDOWN_DELAY_MS: "0"
      CURRENCY_SERVICE_ADDR: "127.0.0.1:1"
      CART_SERVICE_ADDR: "127.0.0.1:1"
      SHIPPING_SERVICE_ADDR: "127.0.0.1:1"
      CHECKOUT_SERVICE_ADDR: "127.0.0.1:1"
      ORDER_SERVICE_ADDR: "127.0.0.1:1"
  productcatalog:
    readinessProbe: {grpc: {port: 3550}, periodSeconds: 1}
    terminationGracePeriodSeconds: 3
    env:
      SHUTDOWN_DELAY_MS: "0"
)" + extra;
  options.ready_timeout_seconds = 60;
  return options;
}

void KubectlTest::SetUp() {
  ASSERT_FALSE(Kubectl::binary().empty())
      << "tests/chart/bin/kubectl is missing: run scripts/install-deps.sh";
  shop_ = runtime_test::LocalShop::up(options());
  ASSERT_TRUE(shop_->ready()) << shop_->up_output();
  kubectl_ = std::make_unique<Kubectl>(shop_->state_dir() + "/kubeconfig",
                                       shop_->dir().path() / "kubectl");
}

json KubectlTest::kubectl_json(std::vector<std::string> args) const {
  args.push_back("-o");
  args.push_back("json");
  KubectlResult r = kubectl(args);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  json j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.describe();
  return j.is_discarded() ? json(nullptr) : j;
}

std::vector<std::string> KubectlTest::pod_names(const std::string& app) const {
  std::vector<std::string> names;
  json pods = kubectl_json({"get", "pods", "-l", "app=" + app});
  if (!pods.is_object()) return names;
  for (const auto& p : pods["items"]) {
    if (!p["metadata"].contains("deletionTimestamp")) names.push_back(p["metadata"]["name"]);
  }
  return names;
}

}  // namespace kubectl_test
