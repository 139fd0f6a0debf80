// Chaos against the local runtime addressed as a cluster (--kubeconfig), a cluster without the
// local extensions, and every scenario's dry run against the whole shop.
#include "tests/chaos/chaos_shop_fixture.h"

namespace stampede::engine_test {
namespace {

// Through --kubeconfig the local runtime is addressed as any cluster: the dry run names the
// server, context and namespace, and lists the RBAC rules the plan needs.
TEST_F(ChaosEngineTest, ClusterFlagsDryRunListsTheRbacRules) {
  dir_.write("script.lua", script("5s", R"(
    chaos = { { at = '1s', action = 'pod-kill', target = 'cart' },
              { at = '2s', action = 'scale', target = 'payment', replicas = 2, duration = '1s' } },)"));
  RunResult r =
      run_stampede({"run", "--dry-run", "--kubeconfig", state_ + "/kubeconfig", "--state-dir",
                    (dir_.path() / "journal").string(), (dir_.path() / "script.lua").string()},
                   dir_);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("chaos plan against Kubernetes https://127.0.0.1:"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("(kubeconfig " + state_ +
                       "/kubeconfig, context stampede-local, namespace "
                       "default)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("RBAC rules it needs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  core pods: delete, get, list, watch\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  apps deployments/scale: patch\n"), std::string::npos) << r.out;
  expect_untouched();
  RunResult wrong = run_stampede({"run", "--dry-run", "--kubeconfig", state_ + "/kubeconfig",
                                  "--context", "prod", (dir_.path() / "script.lua").string()},
                                 dir_);
  EXPECT_EQ(wrong.exit_code, kInvalid) << describe(wrong);
  EXPECT_NE(wrong.err.find("context \"prod\" not found (contexts: stampede-local)"),
            std::string::npos)
      << describe(wrong);
}

// A cluster has no API to pause a container or fault a Service's proxy: with the local
// extensions off, `stampede up` answers as a real cluster would, and such a plan is refused at
// preflight (exit 104) with the reason, before any load and any fault.
TEST(ChaosClusterTest, PauseAndProxyFaultsAreRefusedWithoutTheLocalExtensions) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  UpOptions options;
  options.enabled = {"cart"};
  options.sets = {"localRuntime.kubernetesApi.extensions=false"};
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  TempDir dir;
  struct Case {
    const char* action;
    const char* reason;
  };
  for (Case c : {Case{"{ at = '1s', action = 'pod-pause', target = 'cart', duration = '1s' }",
                      "pod-pause#1 cannot run on Kubernetes https://127.0.0.1:"},
                 Case{"{ at = '1s', action = 'proxy-fault', target = 'cart', latency_ms = 50 }",
                      "proxy-fault#1 cannot run on Kubernetes https://127.0.0.1:"}}) {
    std::string code = with_base(
        server, "options = { vus = 1, duration = '3s', chaos = { " + std::string(c.action) +
                    " } }\nfunction default() http.get(BASE .. '/') end\n");
    RunResult r = run_script(dir, code,
                             {"--kubeconfig", shop->state_dir() + "/kubeconfig", "--state-dir",
                              (dir.path() / "journal").string()});
    EXPECT_EQ(r.exit_code, kInvalid) << describe(r);
    EXPECT_NE(r.err.find(c.reason), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find(std::string(c.action).find("pause") != std::string::npos
                             ? "Kubernetes has no API for it"
                             : "service mesh"),
              std::string::npos)
        << describe(r);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line\n" << r.err;
  }
  EXPECT_EQ(server.stats().value("requests", -1), 0);
  for (const auto& p : shop->pods("cart")) EXPECT_EQ(p["state"], "running") << p.dump();
}

// Every script in scenarios/chaos/ loads, and its plan passes preflight against the shop under
// `stampede up` with redis and the frontend's HPA on (the experiments themselves run in
// chaos_pairs_test).
TEST(ChaosScenariosTest, EveryScenarioPassesADryRunAgainstTheShop) {
  TempDir dir;
  UpOptions options;
  options.values_yaml = R"(services:
  redis: {enabled: true}
  frontend:
    replicas: 2
    autoscaling: {enabled: true, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 50, behavior: {}}
)";
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  int scripts = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(STAMPEDE_SOURCE_DIR) + "/scenarios/chaos")) {
    if (entry.path().extension() != ".lua" || entry.path().filename() == "traffic.lua") continue;
    ++scripts;
    RunResult r = run_stampede({"run", "--dry-run", "--state-dir", shop->state_dir(), "-e",
                                "BASE=" + shop->url(), entry.path().string()},
                               dir);
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << describe(r);
    EXPECT_NE(r.out.find("dry run: no load was sent and no fault applied"), std::string::npos)
        << r.out;
  }
  EXPECT_EQ(scripts, 7);  // the six resilience scenarios and the quick-start demo
  for (const auto& d : shop->get("/v1/deployments")) {
    EXPECT_EQ(d["ready"], d["replicas"]) << d["name"];
  }
}

}  // namespace
}  // namespace stampede::engine_test
