#include "engine/output/metrics_endpoint.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(ListenAddress, Parses) {
  EXPECT_EQ(parse_listen_address("127.0.0.1:9464").value().port, 9464);
  EXPECT_EQ(parse_listen_address("[::1]:0").value().host, "::1");
  EXPECT_EQ(parse_listen_address("localhost:80").value().host, "127.0.0.1");
  EXPECT_EQ(parse_listen_address(":9464").value().host, "127.0.0.1");
  for (const char* bad : {"9464", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:x"}) {
    auto r = parse_listen_address(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message(),
              std::string("--metrics-addr ") + bad + ": expected HOST:PORT, e.g. 127.0.0.1:9464");
  }
}

TEST(MetricsEndpoint, RendersSnapshotsAndChaosState) {
  RunMetrics m;
  auto started = MetricsEndpoint::start({"127.0.0.1", 0}, m);
  ASSERT_TRUE(started.ok()) << started.error().message();
  EXPECT_GT(started.value()->port(), 0);
  m.declare_scenarios({"shop"});

  auto tags = std::make_shared<const TagSet>(std::vector<Tag>{
      {"method", "GET"}, {"name", "home"}, {"scenario", "shop"}, {"status", "200"}});
  HdrHistogram h(1, kTimeTrendHighest, 3);
  (void)h.record(2'000, 3);    // 2 ms
  (void)h.record(700'000, 1);  // 700 ms
  IntervalSnapshot snap;
  SeriesDelta reqs{kHttpReqs, tags, 4, 4, 0, 0, {}};
  SeriesDelta dur{kHttpReqDuration, tags, 4, 706, 2, 700, {}};
  h.export_nonzero(dur.buckets);
  snap.series = {reqs, dur};
  h.reset();
  (void)h.record(50, 10);  // 50 µs schedule lag
  h.export_nonzero(snap.schedule_lag);
  m.on_snapshot(snap);

  ResilienceResult r;
  r.chaos_events = {{1, "kill#1", "pod-kill", "applied", "cart", {}, ""},
                    {2, "fault#2", "fault", "applied", "pay", {}, ""},
                    {3, "fault#2", "fault", "reverted", "pay", {}, ""}};
  ProgressInfo info;
  info.vus = 7;
  info.vus_max = 9;
  TimePoint last;
  last.cpu_percent = 42;
  m.on_second(info, &last, r);

  std::string text = m.render();
  auto has = [&](const std::string& line) { return text.find(line) != std::string::npos; };
  EXPECT_TRUE(
      has("stampede_http_reqs_total{scenario=\"shop\",name=\"home\",method=\"GET\",status=\"200\"} "
          "4\n"))
      << text;
  EXPECT_TRUE(
      has("stampede_http_req_duration_seconds_bucket{scenario=\"shop\",name=\"home\",le=\"0.0025\"}"
          " 3\n"))
      << text;
  EXPECT_TRUE(has(
      "stampede_http_req_duration_seconds_bucket{scenario=\"shop\",name=\"home\",le=\"0.5\"} 3\n"));
  EXPECT_TRUE(has(
      "stampede_http_req_duration_seconds_bucket{scenario=\"shop\",name=\"home\",le=\"1\"} 4\n"));
  EXPECT_TRUE(has("stampede_dropped_iterations_total{scenario=\"shop\"} 0\n"));
  EXPECT_TRUE(has("stampede_vus 7\n"));
  EXPECT_TRUE(has("stampede_vus_max 9\n"));
  EXPECT_TRUE(has("stampede_chaos_actions_active 1\n"));
  EXPECT_TRUE(has("stampede_generator_cpu_percent 42\n"));
  EXPECT_TRUE(has("stampede_generator_schedule_lag_seconds_bucket{le=\"1e-04\"} 10\n")) << text;

  // The end of the run: the gauges take the result's final values, the counters stay.
  RunResult result;
  result.vus_max = 12;
  result.duration = 3 * kNanosPerSecond;
  result.resilience = r;
  m.finish(result);
  text = m.render();
  EXPECT_TRUE(has("stampede_vus 0\n")) << text;
  EXPECT_TRUE(has("stampede_vus_max 12\n"));
  EXPECT_TRUE(has("stampede_run_elapsed_seconds 3\n"));
  EXPECT_TRUE(has("stampede_chaos_actions_active 1\n"));
  EXPECT_TRUE(
      has("stampede_http_reqs_total{scenario=\"shop\",name=\"home\",method=\"GET\",status=\"200\"} "
          "4\n"));
}

}  // namespace
}  // namespace stampede
