// Checks rendered output with the real `promtool check metrics` (Debian package "prometheus").
// promtool missing is a failure, not a skip: CI installs it.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/prometheus/registry.h"

namespace stampede::prometheus {
namespace {

struct PromtoolResult {
  int exit_code = -1;
  std::string output;
};

class Promtool : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/promtool_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  // Runs `promtool check metrics` with `text` on its standard input.
  PromtoolResult check(const std::string& text) {
    const std::string input = dir_ + "/metrics.txt";
    const std::string output = dir_ + "/out.txt";
    std::ofstream(input) << text;
    const std::string command = "promtool check metrics < '" + input + "' > '" + output + "' 2>&1";
    const int status = std::system(command.c_str());
    PromtoolResult result;
    if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    std::ifstream in(output);
    std::stringstream buffer;
    buffer << in.rdbuf();
    result.output = buffer.str();
    return result;
  }

  std::string dir_;
};

TEST_F(Promtool, IsInstalled) {
  ASSERT_EQ(std::system("command -v promtool > /dev/null 2>&1"), 0)
      << "promtool not found: apt-get install -y --no-install-recommends prometheus";
}

TEST_F(Promtool, AcceptsEverythingWeRender) {
  Registry registry;
  auto& requests = registry.counter("shop_http_requests_total", "HTTP requests by route.",
                                    {"method", "route", "code"});
  requests.with({"GET", "/product/{id}", "200"}).inc(41);
  requests.with({"POST", "/cart", "302"}).inc();
  requests.with({"GET", "weird \"route\"\\\nx", "500"}).inc(0.5);
  registry.counter("shop_orders_total", "Orders placed.").with().inc(1e20);
  auto& gauges =
      registry.gauge("shop_inflight_requests", "Requests in flight.\nPer service.", {"service"});
  gauges.with({"frontend"}).set(3);
  gauges.with({"caf\xC3\xA9 \xFF"}).set(-2.25);
  gauges.with({"inf"}).set(INFINITY);
  gauges.with({"nan"}).set(NAN);
  auto& latency =
      registry.histogram("shop_request_duration_seconds", "Request latency.", {"route"});
  for (double v : {0.001, 0.02, 0.3, 4.0, 50.0}) latency.with({"/"}).observe(v);
  latency.with({"/cart"}).observe(0.2);
  registry.histogram("shop_unobserved_seconds", "Nothing yet.", {}, {1, 2});
  ASSERT_TRUE(registry.status().ok());

  const std::string text = registry.render();
  const PromtoolResult result = check(text);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\n--- input:\n" << text;
  EXPECT_EQ(result.output, "") << text;
}

TEST_F(Promtool, FlagsACounterWithoutTotalSuffix) {
  // Proves the check can fail: the convention we document but do not enforce.
  Registry registry;
  registry.counter("shop_orders", "Orders placed.").with().inc();
  const PromtoolResult result = check(registry.render());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("_total"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace stampede::prometheus
