// `rollout restart` of the frontend while `stampede run` keeps a constant request rate on it
// (every request on a new connection, so the Service balances each): with readiness probes no
// request fails; without them the new pods get traffic before they listen, and requests fail.
// The frontend is given a start-up second (a shell that sleeps, then execs the shop), as an
// application that warms up before it listens, which is what readiness probes are for.
#include <gtest/gtest.h>

#include <set>

#include "tests/runtime/local_shop.h"

namespace runtime_test {
namespace {

namespace engine = stampede::engine_test;

const char* kScript = R"(
options = {
  scenarios = {
    steady = { executor = "constant-arrival-rate", rate = 50, time_unit = "1s",
               duration = "14s", pre_allocated_vus = 20, max_vus = 200 },
  },
}
function default()
  http.get(env.BASE .. "/_healthz", { name = "healthz", headers = { Connection = "close" } })
end
)";

struct RolloutRun {
  double requests = 0;
  double failed = 0;
  bool finished = false;  // the rollout finished during the run
  std::string details;
};

RolloutRun rollout_under_load(LocalShop& shop) {
  RolloutRun out;
  engine::TempDir& dir = shop.dir();
  std::string script = dir.write("steady.lua", kScript);
  engine::StampedeProcess run(
      {"run", "--quiet", "--out", dir.out_dir(), "-e", "BASE=" + shop.url(), script}, dir.path());
  std::this_thread::sleep_for(std::chrono::seconds(3));
  auto restart = shop.call("POST", "/v1/deployments/frontend/restart");
  uint64_t seq = restart.status == 200 ? restart.body["event_seq"].get<uint64_t>() : 0;
  engine::RunResult r = run.wait(std::chrono::seconds(60));
  json summary = engine::load_summary(dir);
  out.requests = engine::metric_field(summary, "http_reqs", "count");
  out.failed = engine::metric_field(summary, "http_req_failed", "passes");
  out.finished = seq > 0 && shop.find_event("rollout-finished", "", seq).is_object();
  out.details = "restart: HTTP " + std::to_string(restart.status) + "\n" + engine::describe(r);
  return out;
}

UpOptions frontend_options() {
  UpOptions options;
  options.values_yaml = std::string(R"(services:
  frontend:
    image: {repository: local/slow-start}
    command: [sh, -c, 'sleep 1 && exec "$0" "$@"', ")") +
                        SHOP_BINARY + "\"]\n";
  options.sets = {"services.frontend.replicas=2",
                  "services.frontend.readinessProbe.periodSeconds=1",
                  "services.frontend.terminationGracePeriodSeconds=5",
                  "services.frontend.env.SHUTDOWN_DELAY_MS=1000"};
  return options;
}

TEST(Rollout, RestartUnderConstantLoadFailsNothingWithReadinessProbes) {
  auto shop = LocalShop::up(frontend_options());
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  RolloutRun run = rollout_under_load(*shop);
  EXPECT_TRUE(run.finished) << run.details;
  EXPECT_GT(run.requests, 600) << run.details;
  EXPECT_EQ(run.failed, 0) << run.details;
  // Every pod is of the new template now.
  json d = shop->deployment("frontend");
  EXPECT_EQ(d["updated"], 2);
  EXPECT_EQ(d["ready"], 2);
  EXPECT_EQ(d["rollout"]["revision"], 2);
}

TEST(Rollout, WithoutAReadinessProbeTheSameRestartFailsRequests) {
  UpOptions options = frontend_options();
  options.sets.push_back("services.frontend.readinessProbe=null");
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  RolloutRun run = rollout_under_load(*shop);
  EXPECT_TRUE(run.finished) << run.details;
  EXPECT_GT(run.requests, 600) << run.details;
  EXPECT_GT(run.failed, 0) << run.details;
  std::printf("without readiness: %.0f of %.0f requests failed\n", run.failed, run.requests);
}

// minReadySeconds: each old pod goes only once a new one has been Ready that long, and the
// rollout finishes only when the last new pod has (with 0 the old pod goes at once).
TEST(Rollout, MinReadySecondsHoldsEachOldPodUntilANewOneHasBeenReadyThatLong) {
  constexpr double kMinReady = 2;
  UpOptions options;
  options.enabled = {"productcatalog"};
  options.sets = {"services.productcatalog.replicas=2",
                  "services.productcatalog.readinessProbe.periodSeconds=1",
                  "services.productcatalog.minReadySeconds=2",
                  "services.productcatalog.terminationGracePeriodSeconds=2",
                  "services.productcatalog.strategy.maxSurge=1",
                  "services.productcatalog.strategy.maxUnavailable=0"};
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  EXPECT_EQ(shop->deployment("productcatalog")["min_ready_seconds"], 2);
  std::set<std::string> old;
  for (const auto& p : shop->pods("productcatalog")) old.insert(p["name"].get<std::string>());
  ASSERT_EQ(old.size(), 2u);
  auto restart = shop->call("POST", "/v1/deployments/productcatalog/restart");
  ASSERT_EQ(restart.status, 200);
  uint64_t seq = restart.body["event_seq"].get<uint64_t>();
  ASSERT_TRUE(eventually([&] { return shop->find_event("rollout-finished", "", seq).is_object(); },
                         std::chrono::seconds(40)))
      << shop->events(seq).dump();

  std::vector<double> new_ready, old_terminated;
  std::set<std::string> seen_ready;
  double finished = 0;
  json events = shop->events(seq);
  for (const auto& e : events) {
    double t = e["mono_ns"].get<int64_t>() / 1e9;
    std::string pod = e["pod"].get<std::string>();
    if (e["kind"] == "pod-ready" && !old.count(pod) && seen_ready.insert(pod).second) {
      new_ready.push_back(t);
    }
    if (e["kind"] == "pod-terminated" && old.count(pod)) old_terminated.push_back(t);
    if (e["kind"] == "rollout-finished") finished = t;
  }
  ASSERT_EQ(new_ready.size(), 2u) << events.dump();
  ASSERT_EQ(old_terminated.size(), 2u) << events.dump();
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_GE(old_terminated[i] - new_ready[i], kMinReady - 0.05)
        << "old pod " << i << " went " << old_terminated[i] - new_ready[i] << " s after new pod "
        << i << " was Ready\n"
        << events.dump();
  }
  EXPECT_GE(finished - new_ready[1], kMinReady - 0.05) << events.dump();
  json d = shop->deployment("productcatalog");
  EXPECT_EQ(d["available"], 2);
  EXPECT_EQ(d["updated"], 2);
}

}  // namespace
}  // namespace runtime_test
