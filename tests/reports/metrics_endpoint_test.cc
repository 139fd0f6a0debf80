// --metrics-addr: the live endpoint passes `promtool check metrics` mid-run, and a real
// Prometheus scraping it during the run answers a query with the run's exact request count.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "tests/engine/engine_fixture.h"
#include "tests/reports/report_helpers.h"

namespace stampede::reports_test {
namespace {

namespace fs = std::filesystem;
using engine_test::describe;
using engine_test::StampedeProcess;
using engine_test::TempDir;
using engine_test::TestServer;
using std::chrono::seconds;
using std::chrono::steady_clock;

// 120 requests in the first moments, then a quiet VU for several seconds so the final counts can
// be scraped while the endpoint is still up.
const char* kScript = R"(
options = { scenarios = {
  load = { executor = "shared-iterations", vus = 4, iterations = 60, exec = "load" },
  idle = { executor = "constant-vus", vus = 1, duration = "%IDLE%", exec = "idle" },
} }
function load(vu)
  http.get(BASE .. "/?delay_ms=5", { name = "home" })
  http.get(BASE .. "/nope?status=500", { name = "broken" })
end
function idle(vu) sleep(0.5) end
)";

std::string script_with_idle(const TestServer& server, const std::string& idle) {
  std::string s = kScript;
  s.replace(s.find("%IDLE%"), 6, idle);
  return engine_test::with_base(server, s);
}

// The port stampede reported for its endpoint (stderr line), 0 if none within 10 s.
int metrics_port(const TempDir& dir) {
  std::string line = wait_for_line(dir.path() / "stampede.stderr", "/metrics", seconds(10));
  std::smatch m;
  if (!std::regex_search(line, m, std::regex(R"(127\.0\.0\.1:(\d+)/metrics)"))) return 0;
  return std::stoi(m[1]);
}

// Polls /metrics until the load scenario's 120 requests are all counted.
std::string metrics_after_load(int port) {
  const auto deadline = steady_clock::now() + seconds(15);
  std::string text;
  while (steady_clock::now() < deadline) {
    text = http_get(port, "/metrics");
    if (text.find("stampede_http_reqs_total{scenario=\"load\",name=\"broken\",method=\"GET\","
                  "status=\"500\"} 60") != std::string::npos &&
        text.find("name=\"home\",method=\"GET\",status=\"200\"} 60") != std::string::npos) {
      return text;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return text;
}

TEST(metrics_endpoint, PromtoolAcceptsTheLiveMetrics) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write("script.lua", script_with_idle(server, "4s"));
  StampedeProcess p({"run", "--quiet", "--metrics-addr", "127.0.0.1:0", script}, dir.path());
  ASSERT_TRUE(p.started());
  const int port = metrics_port(dir);
  ASSERT_GT(port, 0) << describe(p.wait(seconds(30)));
  const std::string text = metrics_after_load(port);
  EXPECT_NE(text.find("stampede_http_req_failed_total{scenario=\"load\",name=\"broken\",method="
                      "\"GET\",status=\"500\"} 60"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("stampede_http_req_duration_seconds_count{scenario=\"load\",name=\"home\"} 60"),
      std::string::npos)
      << text;
  for (const char* name : {"stampede_iterations_total", "stampede_vus ", "stampede_vus_max ",
                           "stampede_dropped_iterations_total", "stampede_chaos_actions_active 0",
                           "stampede_generator_cpu_percent", "stampede_generator_loop_lag_seconds",
                           "stampede_generator_schedule_lag_seconds_bucket"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name << " in\n" << text;
  }
  const std::string file = dir.write("metrics.txt", text);
  Command promtool = run_command({"sh", "-c", "promtool check metrics < '" + file + "'"});
  EXPECT_EQ(promtool.exit_code, 0) << promtool.out;
  EXPECT_EQ(promtool.out, "") << "promtool lint findings";
  int status = 0;
  http_get(port, "/other", &status);
  EXPECT_EQ(status, 404);
  auto run = p.wait(seconds(30));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
}

TEST(metrics_endpoint, PrometheusScrapesTheRunAndCountsEveryRequest) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write("script.lua", script_with_idle(server, "12s"));
  StampedeProcess p({"run", "--quiet", "--metrics-addr", "127.0.0.1:0", script}, dir.path());
  ASSERT_TRUE(p.started());
  const int port = metrics_port(dir);
  ASSERT_GT(port, 0) << describe(p.wait(seconds(30)));

  const int web = free_port();
  ASSERT_GT(web, 0);
  const std::string config =
      dir.write("prometheus.yml",
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: stampede\n    static_configs:\n"
                "      - targets: ['127.0.0.1:" +
                    std::to_string(port) + "']\n");
  Child prometheus({"prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + (dir.path() / "tsdb").string(),
                    "--web.listen-address=127.0.0.1:" + std::to_string(web)},
                   dir.path() / "prometheus.log");
  ASSERT_TRUE(prometheus.started());

  const std::string query = "/api/v1/query?query=sum(stampede_http_reqs_total)";
  const auto deadline = steady_clock::now() + seconds(25);
  std::string answer;
  double count = -1;
  while (steady_clock::now() < deadline && count != 120) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    answer = http_get(web, query);
    auto json = nlohmann::json::parse(answer, nullptr, false);
    if (json.is_object() && json.value("status", "") == "success" &&
        !json["data"]["result"].empty()) {
      count = std::stod(json["data"]["result"][0]["value"][1].get<std::string>());
    }
  }
  EXPECT_EQ(count, 120) << "last answer: " << answer << "\nprometheus log:\n"
                        << engine_test::read_text(dir.path() / "prometheus.log").substr(0, 3000);
  answer = http_get(web, "/api/v1/query?query=sum(stampede_http_req_failed_total)");
  EXPECT_NE(answer.find("\"60\""), std::string::npos) << answer;
  auto run = p.wait(seconds(30));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
}

TEST(metrics_endpoint, BadAddressIsAFlagError) {
  TempDir dir;
  const std::string script = dir.write("script.lua", "function default() end\n");
  auto run = engine_test::run_stampede({"run", "--metrics-addr", "nowhere", script}, dir);
  EXPECT_EQ(run.exit_code, 104) << describe(run);
  EXPECT_NE(run.err.find("--metrics-addr nowhere: expected HOST:PORT"), std::string::npos)
      << run.err;
  auto busy = engine_test::run_stampede({"run", "--metrics-addr", "192.0.2.1:1", script}, dir);
  EXPECT_EQ(busy.exit_code, 104) << describe(busy);
  EXPECT_NE(busy.err.find("--metrics-addr: bind 192.0.2.1:1"), std::string::npos) << busy.err;
}

}  // namespace
}  // namespace stampede::reports_test
