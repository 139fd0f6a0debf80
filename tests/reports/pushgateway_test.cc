// --pushgateway: the real prometheus-pushgateway (Debian's) gets the run's final metrics, the
// series /metrics serves, and they equal the run's summary.json; also when thresholds fail and
// after SIGINT. An unreachable Pushgateway is a warning that leaves the verdict and the outputs
// alone; bad flags are flag errors.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "tests/engine/engine_fixture.h"
#include "tests/reports/report_helpers.h"

namespace stampede::reports_test {
namespace {

using engine_test::describe;
using engine_test::RefusingPort;
using engine_test::StampedeProcess;
using engine_test::TempDir;
using engine_test::TestServer;
using std::chrono::seconds;
using std::chrono::steady_clock;

// 40 iterations of one good and one failing request.
const char* kScript = R"(
options = {
  scenarios = { load = { executor = "shared-iterations", vus = 4, iterations = 40, exec = "load" } },
  thresholds = { http_req_failed = { "rate<%MAX_FAILED%" } },
}
function load(vu)
  http.get(BASE .. "/?delay_ms=2", { name = "home" })
  http.get(BASE .. "/nope?status=500", { name = "broken" })
end
)";

std::string script(const TestServer& server, const std::string& max_failed) {
  std::string s = kScript;
  s.replace(s.find("%MAX_FAILED%"), 12, max_failed);
  return engine_test::with_base(server, s);
}

// A prometheus-pushgateway on a free loopback port, ready to take pushes, keeping nothing on disk
// (Debian's build defaults --persistence.file to /var/lib/prometheus/pushgateway.data; empty is
// memory only).
class Pushgateway {
 public:
  explicit Pushgateway(const TempDir& dir)
      : port_(free_port()),
        child_({"prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                "--persistence.file="},
               dir.path() / "pushgateway.log") {
    const auto deadline = steady_clock::now() + seconds(15);
    while (steady_clock::now() < deadline && child_.started()) {
      int status = 0;
      http_get(port_, "/-/ready", &status);
      if (status == 200) {
        ready_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  bool ready() const { return ready_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string metrics() const { return http_get(port_, "/metrics"); }

 private:
  int port_;
  Child child_;
  bool ready_ = false;
};

// Sums the samples of `name` whose labels contain every `want` pair (name="value" strings).
double sum_of(const std::string& text, const std::string& name,
              const std::vector<std::string>& want, int* count = nullptr) {
  std::istringstream in(text);
  std::string line;
  double total = 0;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t brace = line.find('{');
    size_t space = line.rfind(' ');
    std::string sample = line.substr(0, brace == std::string::npos ? space : brace);
    if (sample != name) continue;
    std::string labels = brace == std::string::npos ? "" : line.substr(brace, space - brace);
    bool all = true;
    for (const std::string& w : want) all = all && labels.find(w) != std::string::npos;
    if (!all) continue;
    total += std::stod(line.substr(space + 1));
    ++n;
  }
  if (count != nullptr) *count = n;
  return total;
}

// Checks the pushed series of group (job, instance) against the run's summary.json.
void expect_pushed_equals_summary(const std::string& text, const std::string& job,
                                  const std::string& instance, const nlohmann::json& summary) {
  const std::vector<std::string> group = {"job=\"" + job + "\"", "instance=\"" + instance + "\""};
  ASSERT_TRUE(summary.is_object()) << "no summary.json";
  const nlohmann::json& m = summary["metrics"];
  int series = 0;
  EXPECT_EQ(sum_of(text, "stampede_http_reqs_total", group, &series),
            m["http_reqs"]["count"].get<double>())
      << text;
  EXPECT_EQ(series, 2) << "one series per request name and status";
  EXPECT_EQ(sum_of(text, "stampede_http_req_failed_total", group),
            m["http_req_failed"]["passes"].get<double>());
  EXPECT_EQ(sum_of(text, "stampede_iterations_total", group),
            m["iterations"]["count"].get<double>());
  EXPECT_EQ(sum_of(text, "stampede_data_sent_bytes_total", group),
            m["data_sent"]["count"].get<double>());
  EXPECT_EQ(sum_of(text, "stampede_data_received_bytes_total", group),
            m["data_received"]["count"].get<double>());
  EXPECT_EQ(sum_of(text, "stampede_http_req_duration_seconds_count", group),
            m["http_reqs"]["count"].get<double>());
  // The duration sum is of HDR bucket midpoints (within 0.1 %), written with 6 decimals.
  const double avg_ms = m["http_req_duration"]["avg"].get<double>();
  const double sum_s = sum_of(text, "stampede_http_req_duration_seconds_sum", group);
  EXPECT_NEAR(sum_s, avg_ms / 1000 * m["http_reqs"]["count"].get<double>(), 0.01 * sum_s + 1e-4);
  EXPECT_EQ(sum_of(text, "stampede_vus", group), 0) << "no VU is busy after the run";
  EXPECT_EQ(sum_of(text, "stampede_vus_max", group), m["vus_max"]["value"].get<double>());
  int buckets = 0;
  sum_of(text, "stampede_http_req_duration_seconds_bucket", group, &buckets);
  EXPECT_EQ(buckets, 2 * 16) << "15 bounds and +Inf for each request name";
  // The Pushgateway's own record of the push: it succeeded.
  EXPECT_GT(sum_of(text, "push_time_seconds", group), 0);
  EXPECT_EQ(sum_of(text, "push_failure_time_seconds", group), 0);
}

TEST(pushgateway, TheFinalMetricsArriveAndEqualTheSummary) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  Pushgateway gateway(dir);
  ASSERT_TRUE(gateway.ready()) << engine_test::read_text(dir.path() / "pushgateway.log");
  auto run = engine_test::run_script(
      dir, script(server, "0.6"),
      {"--pushgateway", gateway.url(), "--pushgateway-job", "ci-check", "--pushgateway-label",
       "instance=runner-7", "--pushgateway-label", "branch=main"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(run.err.find("warning"), std::string::npos) << run.err;
  const std::string text = gateway.metrics();
  expect_pushed_equals_summary(text, "ci-check", "runner-7", engine_test::load_summary(dir));
  EXPECT_NE(
      text.find("stampede_http_reqs_total{branch=\"main\",instance=\"runner-7\",job=\"ci-check\","
                "method=\"GET\",name=\"broken\",scenario=\"load\",status=\"500\"} 40"),
      std::string::npos)
      << text;

  // A second run into the same group replaces it (HTTP PUT): no series of the first run stays.
  const std::string other = engine_test::with_base(
      server, "function default() http.get(BASE .. \"/\", { name = \"other\" }) end\n");
  auto again = engine_test::run_script(
      dir, other,
      {"--iterations", "3", "--pushgateway", gateway.url(), "--pushgateway-job", "ci-check",
       "--pushgateway-label", "instance=runner-7", "--pushgateway-label", "branch=main"});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  const std::string replaced = gateway.metrics();
  const std::vector<std::string> group = {"job=\"ci-check\"", "instance=\"runner-7\""};
  EXPECT_EQ(sum_of(replaced, "stampede_http_reqs_total", group), 3) << replaced;
  EXPECT_EQ(replaced.find("name=\"broken\""), std::string::npos) << replaced;
}

TEST(pushgateway, FailedThresholdsAndSigintStillPush) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  Pushgateway gateway(dir);
  ASSERT_TRUE(gateway.ready()) << engine_test::read_text(dir.path() / "pushgateway.log");
  // Half the requests fail: rate<0.1 fails, exit 99.
  auto failed = engine_test::run_script(dir, script(server, "0.1"),
                                        {"--pushgateway", gateway.url(), "--pushgateway-job",
                                         "ci-fail", "--pushgateway-label", "instance=a"});
  ASSERT_EQ(failed.exit_code, 99) << describe(failed);
  expect_pushed_equals_summary(gateway.metrics(), "ci-fail", "a", engine_test::load_summary(dir));

  // SIGINT in the middle of a long run: exit 105, and what was done is pushed.
  TempDir dir2;
  const std::string long_script = dir2.write("script.lua", engine_test::with_base(server, R"(
options = { scenarios = { load = { executor = "constant-vus", vus = 2, duration = "30s", exec = "load" } } }
function load(vu)
  http.get(BASE .. "/?delay_ms=2", { name = "home" })
  http.get(BASE .. "/nope?status=500", { name = "broken" })
end
)"));
  StampedeProcess p(
      {"run", "--quiet", "--out", dir2.out_dir(), "--pushgateway", gateway.url(),
       "--pushgateway-job", "ci-int", "--pushgateway-label", "instance=b", long_script},
      dir2.path());
  ASSERT_TRUE(p.started());
  ASSERT_TRUE(server.reset_stats());
  const auto deadline = steady_clock::now() + seconds(10);
  while (steady_clock::now() < deadline) {
    auto stats = server.stats();
    if (stats.is_object() && stats.value("requests", 0) >= 20) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  p.signal(SIGINT);
  auto interrupted = p.wait(seconds(30));
  ASSERT_EQ(interrupted.exit_code, 105) << describe(interrupted);
  expect_pushed_equals_summary(gateway.metrics(), "ci-int", "b", engine_test::load_summary(dir2));
}

TEST(pushgateway, AnUnreachableGatewayIsAWarningNotAFailure) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  RefusingPort refused;
  ASSERT_GT(refused.port(), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(refused.port());
  auto run = engine_test::run_script(dir, script(server, "0.6"),
                                     {"--pushgateway", url, "--pushgateway-label", "instance=x"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.err.find("warning: push to " + url + "/metrics/job/stampede/instance/x: "),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("the run's exit code and outputs are unaffected"), std::string::npos)
      << run.err;
  auto summary = engine_test::load_summary(dir);
  ASSERT_TRUE(summary.is_object());
  EXPECT_EQ(summary["metrics"]["http_reqs"]["count"], 80);
  for (const char* file : {"results.json", "report.html", "junit.xml", "summary.md"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir.out_dir()) / file)) << file;
  }
}

// A loopback port that accepts connections into its backlog and never answers them.
class SilentPort {
 public:
  SilentPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
        listen(fd_, 16) == 0 && getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~SilentPort() {
    if (fd_ >= 0) close(fd_);
  }
  SilentPort(const SilentPort&) = delete;
  SilentPort& operator=(const SilentPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(pushgateway, AGatewayThatNeverAnswersCostsTenSecondsAndAWarning) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  SilentPort silent;
  ASSERT_GT(silent.port(), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(silent.port());
  const auto start = steady_clock::now();
  auto run = engine_test::run_script(dir, script(server, "0.1"),
                                     {"--pushgateway", url, "--pushgateway-label", "instance=x"},
                                     seconds(40));
  const auto took = steady_clock::now() - start;
  EXPECT_EQ(run.exit_code, 99) << "the verdict (failed thresholds) stays the exit code: "
                               << describe(run);
  EXPECT_NE(run.err.find("warning: push to " + url +
                         "/metrics/job/stampede/instance/x: no answer within 10 s"),
            std::string::npos)
      << run.err;
  EXPECT_GE(took, seconds(10));
  EXPECT_LT(took, seconds(25));
  EXPECT_TRUE(engine_test::load_summary(dir).is_object())
      << "summary.json is written before the push";
}

TEST(pushgateway, BadFlagsAreFlagErrors) {
  TempDir dir;
  const std::string s = dir.write("script.lua", "function default() end\n");
  auto no_url = engine_test::run_stampede({"run", "--pushgateway-job", "x", s}, dir);
  EXPECT_EQ(no_url.exit_code, 104) << describe(no_url);
  EXPECT_NE(no_url.err.find("--pushgateway-job requires --pushgateway"), std::string::npos)
      << no_url.err;
  auto bad = engine_test::run_stampede({"run", "--pushgateway", "pushgw:9091", s}, dir);
  EXPECT_EQ(bad.exit_code, 104) << describe(bad);
  EXPECT_NE(bad.err.find("error: --pushgateway pushgw:9091: no scheme"), std::string::npos)
      << bad.err;
  auto label = engine_test::run_stampede(
      {"run", "--pushgateway", "http://127.0.0.1:9", "--pushgateway-label", "a/b=c", s}, dir);
  EXPECT_EQ(label.exit_code, 104) << describe(label);
  EXPECT_NE(label.err.find("--pushgateway-label a/b=c: a/b is not a label name"), std::string::npos)
      << label.err;
}

}  // namespace
}  // namespace stampede::reports_test
