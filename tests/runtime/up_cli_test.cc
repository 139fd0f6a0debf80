// `stampede up`, `ps` and `down` as a user runs them: bad values, CrashLoopBackOff in `ps`, and
// nothing left running after `down` (or after the supervisor is SIGKILLed).
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/runtime/local_shop.h"

namespace runtime_test {
namespace {

namespace engine = stampede::engine_test;

engine::RunResult up_with(engine::TempDir& dir, const std::vector<std::string>& sets) {
  std::vector<std::string> args = {"up", "--detach", "--state-dir",
                                   (dir.path() / "state").string()};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  return engine::run_stampede(args, dir, std::chrono::seconds(60));
}

TEST(UpCli, BadValuesFailAtStartWithTheKeyPath) {
  engine::TempDir dir;
  struct Case {
    std::vector<std::string> sets;
    std::string message;
  } cases[] = {
      {{"services.cart.replicas=-1"}, "error: services.cart.replicas: must be >= 0, got -1"},
      {{"services.cart.replicas=many"},
       "error: services.cart.replicas: expected an integer, got 'many'"},
      {{"services.cart.livenessProbe.httpPost.port=grpc"},
       "error: services.cart.livenessProbe: unknown probe kind 'httpPost' (one of httpGet, grpc, "
       "tcpSocket, exec)"},
      {{"services.ad.autoscaling.minReplicas=5", "services.ad.autoscaling.maxReplicas=2"},
       "error: services.ad.autoscaling: minReplicas 5 > maxReplicas 2"},
      {{"services.cart"}, "error: --set services.cart: expected key=value"},
  };
  for (const Case& c : cases) {
    engine::RunResult r = up_with(dir, c.sets);
    EXPECT_EQ(r.exit_code, 104) << engine::describe(r);
    EXPECT_EQ(r.err, c.message + "\n");
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "state" / "runtime.json"));
  }
  engine::RunResult missing =
      engine::run_stampede({"up", "--values", (dir.path() / "nope.yaml").string(), "--state-dir",
                            (dir.path() / "state").string()},
                           dir);
  EXPECT_EQ(missing.exit_code, 104);
  EXPECT_NE(missing.err.find("--values: " + (dir.path() / "nope.yaml").string() + ": cannot read"),
            std::string::npos)
      << missing.err;
}

TEST(UpCli, PsAndDownWithNothingRunning) {
  engine::TempDir dir;
  std::string state = (dir.path() / "state").string();
  engine::RunResult ps = engine::run_stampede({"ps", "--state-dir", state}, dir);
  EXPECT_EQ(ps.exit_code, 1);
  EXPECT_EQ(ps.err, "error: no stampede up running in " + state + " (no runtime.json)\n");
  engine::RunResult down = engine::run_stampede({"down", "--state-dir", state}, dir);
  EXPECT_EQ(down.exit_code, 0) << engine::describe(down);
}

TEST(UpCli, AServiceThatExitsAtOnceGoesToCrashLoopBackOffWithItsLogInPs) {
  UpOptions options;
  options.enabled = {"productcatalog", "currency"};
  options.sets = {"services.productcatalog.args[0]=no-such-service",
                  "localRuntime.crashLoopBackOffBaseSeconds=1"};
  options.ready_timeout_seconds = 6;
  auto shop = LocalShop::up(options);
  EXPECT_EQ(shop->up_result().exit_code, 1);  // never Ready, but left running to be inspected
  EXPECT_NE(shop->up_result().err.find("not Ready after 6s: productcatalog 0/1"), std::string::npos)
      << shop->up_output();
  ASSERT_GT(shop->info().pid, 0) << shop->up_output();

  json pod;
  ASSERT_TRUE(eventually(
      [&] {
        json pods = shop->pods("productcatalog");
        if (pods.size() != 1) return false;
        pod = pods[0];
        return pod["state"] == "crash-loop-backoff" && pod["restarts"].get<int>() >= 2;
      },
      std::chrono::seconds(30)))
      << pod.dump();
  EXPECT_EQ(pod["last_exit"]["code"], 2);
  EXPECT_EQ(pod["ready"], false);
  // The back-off doubles from the configured base: exits, then restarts 0 s, 1 s, 2 s later.
  std::vector<int64_t> exits, restarts;
  for (const auto& e : shop->events()) {
    if (e["pod"] != pod["name"]) continue;
    if (e["kind"] == "pod-exited") exits.push_back(e["mono_ns"].get<int64_t>());
    if (e["kind"] == "pod-restarted") restarts.push_back(e["mono_ns"].get<int64_t>());
  }
  ASSERT_GE(restarts.size(), 2u);
  ASSERT_GE(exits.size(), restarts.size());
  EXPECT_LT(restarts[0] - exits[0], 500'000'000);    // first restart: at once
  EXPECT_GE(restarts[1] - exits[1], 900'000'000);    // then the base, 1 s
  EXPECT_LT(restarts[1] - exits[1], 3'000'000'000);  // (generous upper bounds)

  engine::RunResult ps =
      engine::run_stampede({"ps", "--state-dir", shop->state_dir()}, shop->dir());
  EXPECT_EQ(ps.exit_code, 0) << engine::describe(ps);
  EXPECT_NE(ps.out.find("crash-loop-backoff"), std::string::npos) << ps.out;
  EXPECT_NE(ps.out.find("last log lines of " + pod["name"].get<std::string>() + " (exit code 2):"),
            std::string::npos)
      << ps.out;
  EXPECT_NE(ps.out.find("shop: unknown command 'no-such-service'"), std::string::npos) << ps.out;
  EXPECT_NE(ps.out.find("productcatalog  0/1"), std::string::npos) << ps.out;
}

TEST(UpCli, DownStopsEverythingAndSigkillOfTheSupervisorTakesThePodsWithIt) {
  for (bool sigkill : {false, true}) {
    UpOptions options;
    options.enabled = {"productcatalog", "currency", "shipping"};
    auto shop = LocalShop::up(options);
    ASSERT_TRUE(shop->ready()) << shop->up_output();
    std::vector<pid_t> pids;
    for (const auto& p : shop->get("/v1/pods")) pids.push_back(p["pid"].get<int>());
    ASSERT_EQ(pids.size(), 3u);
    pid_t supervisor = shop->info().pid;
    const std::filesystem::path kubeconfig =
        std::filesystem::path(shop->state_dir()) / "kubeconfig";
    EXPECT_TRUE(std::filesystem::exists(kubeconfig));
    if (sigkill) {
      ::kill(supervisor, SIGKILL);
    } else {
      engine::RunResult down = shop->down();
      EXPECT_EQ(down.exit_code, 0) << engine::describe(down);
      EXPECT_FALSE(
          std::filesystem::exists(std::filesystem::path(shop->state_dir()) / "runtime.json"));
      EXPECT_FALSE(std::filesystem::exists(kubeconfig));
    }
    pids.push_back(supervisor);
    EXPECT_TRUE(eventually(
        [&] {
          for (pid_t pid : pids) {
            if (stampede::local::process_alive(pid)) return false;
          }
          return true;
        },
        std::chrono::seconds(20)))
        << (sigkill ? "after SIGKILL of the supervisor" : "after stampede down");
    if (sigkill) {
      // `down` then finds only a stale runtime.json.
      engine::RunResult down = shop->down();
      EXPECT_EQ(down.exit_code, 0);
      EXPECT_NE(down.err.find("removed its stale runtime.json"), std::string::npos) << down.err;
      EXPECT_FALSE(std::filesystem::exists(kubeconfig));  // with it, the stale kubeconfig
    }
  }
}

}  // namespace
}  // namespace runtime_test
