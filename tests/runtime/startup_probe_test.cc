// The startup probe gates liveness and readiness: a pod is not Ready (and is not restarted by a
// liveness probe) until its startup probe passes; one that never passes within failureThreshold
// x period is restarted, as Kubernetes does.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/runtime/local_shop.h"

namespace runtime_test {
namespace {

std::string values_with_startup(const std::string& flag, int failure_threshold) {
  return R"(services:
  productcatalog:
    startupProbe:
      exec: {command: [sh, -c, 'test -e )" +
         flag + R"(']}
      periodSeconds: 1
      failureThreshold: )" +
         std::to_string(failure_threshold) + R"(
    readinessProbe: {periodSeconds: 1}
    terminationGracePeriodSeconds: 1
)";
}

TEST(StartupProbe, GatesReadinessUntilItPasses) {
  stampede::engine_test::TempDir flags;
  std::string flag = (flags.path() / "started").string();
  UpOptions options;
  options.enabled = {"productcatalog"};
  options.values_yaml = values_with_startup(flag, 60);
  options.ready_timeout_seconds = 3;
  auto shop = LocalShop::up(options);
  EXPECT_EQ(shop->up_result().exit_code, 1) << shop->up_output();  // not Ready: still starting
  ASSERT_GT(shop->info().pid, 0) << shop->up_output();
  json pod = shop->pods("productcatalog")[0];
  EXPECT_EQ(pod["state"], "starting");
  EXPECT_EQ(pod["started"], false);
  EXPECT_EQ(pod["ready"], false);
  EXPECT_TRUE(shop->deployment("productcatalog")["service"]["endpoints"].empty());

  int64_t flagged_at = mono_now_ns();
  std::ofstream(flag) << "up\n";
  ASSERT_TRUE(eventually([&] { return shop->pods("productcatalog")[0]["ready"] == true; },
                         std::chrono::seconds(20)));
  json ready = shop->find_event("pod-ready", pod["name"]);
  ASSERT_TRUE(ready.is_object());
  // Startup passes at its next period, readiness at its first probe after that.
  EXPECT_GT(ready["mono_ns"].get<int64_t>(), flagged_at);
  EXPECT_LT(ready["mono_ns"].get<int64_t>() - flagged_at, 4'000'000'000);
  json now = shop->pods("productcatalog")[0];
  EXPECT_EQ(now["started"], true);
  EXPECT_EQ(now["restarts"], 0);
}

TEST(StartupProbe, OneThatNeverPassesRestartsTheContainer) {
  UpOptions options;
  options.enabled = {"productcatalog"};
  options.values_yaml = values_with_startup("/nonexistent/flag", 2);
  options.ready_timeout_seconds = 2;
  auto shop = LocalShop::up(options);
  ASSERT_GT(shop->info().pid, 0) << shop->up_output();
  std::string name = shop->pods("productcatalog")[0]["name"];
  ASSERT_TRUE(eventually(
      [&] {
        json p = shop->get("/v1/pods/" + name);
        return p.is_object() && p["restarts"].get<int>() >= 1;
      },
      std::chrono::seconds(20)));
  json p = shop->get("/v1/pods/" + name);
  EXPECT_EQ(p["last_exit"]["reason"], "Startup");
  json failed = shop->find_event("probe-failed", name);
  ASSERT_TRUE(failed.is_object());
  EXPECT_NE(failed["detail"].get<std::string>().find("startup probe failed 2 times"),
            std::string::npos)
      << failed.dump();
  EXPECT_FALSE(shop->find_event("pod-ready", name).is_object());
}

}  // namespace
}  // namespace runtime_test
