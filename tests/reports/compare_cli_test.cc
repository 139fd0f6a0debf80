// `stampede compare` on real runs: equal runs pass, a slower test server is a regression (exit
// 99, a table naming it), and bad input exits 104 with a one-line reason. "Equal runs" are one
// run's results compared with themselves and with a copy from another time and place: two
// separate runs on a shared 2-core machine differ in their tails by far more than 10 %, and
// that noise is not what this checks.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/engine/engine_fixture.h"
#include "tests/reports/report_helpers.h"

namespace stampede::reports_test {
namespace {

namespace fs = std::filesystem;
using engine_test::describe;
using engine_test::TempDir;
using engine_test::TestServer;

// An open model, so throughput is the schedule's, and the server's delay from -e DELAY.
const char* kScript = R"(
options = { scenarios = { shop = { executor = "constant-arrival-rate", rate = 40, duration = "2s",
                                   pre_allocated_vus = 20 } } }
function default(vu)
  http.get(BASE .. "/home?delay_ms=" .. env.DELAY, { name = "home" })
  http.get(BASE .. "/cart?delay_ms=" .. env.DELAY, { name = "cart" })
end
)";

// Runs the script against `server` with the given delay; the path of its results.json.
std::string run_with_delay(const TestServer& server, const TempDir& dir, const std::string& name,
                           int delay_ms) {
  const std::string script = dir.write("compare.lua", engine_test::with_base(server, kScript));
  const std::string out = (dir.path() / name).string();
  auto run = engine_test::run_stampede(
      {"run", "--quiet", "--out", out, "-e", "DELAY=" + std::to_string(delay_ms), script}, dir);
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  return out + "/results.json";
}

TEST(compare_cli, EqualRunsPassASlowerServerIsARegression) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string base = run_with_delay(server, dir, "base", 40);
  const std::string slower = run_with_delay(server, dir, "slower", 400);
  nlohmann::json copy = nlohmann::json::parse(engine_test::read_text(base));
  copy["run"]["script"] = "/elsewhere/compare.lua";  // same file name, other folder
  copy["run"]["start_unix_ms"] = copy["run"]["start_unix_ms"].get<int64_t>() + 86'400'000;
  const std::string again = dir.write("again/results.json", copy.dump());

  Command same = run_command({STAMPEDE_BINARY, "compare", base, base, "--max-regression", "10%"});
  EXPECT_EQ(same.exit_code, 0) << same.out;
  EXPECT_NE(same.out.find("compare: no regression beyond 10%"), std::string::npos) << same.out;

  Command equal = run_command({STAMPEDE_BINARY, "compare", base, again, "--max-regression", "10%"});
  EXPECT_EQ(equal.exit_code, 0) << equal.out;

  Command regressed =
      run_command({STAMPEDE_BINARY, "compare", base, slower, "--max-regression", "10%"});
  EXPECT_EQ(regressed.exit_code, 99) << regressed.out;
  EXPECT_NE(regressed.out.find("REGRESSION"), std::string::npos) << regressed.out;
  // The medians moved by ten times: whatever the machine's noise did to the tails.
  EXPECT_NE(regressed.out.find("home p50 +"), std::string::npos) << regressed.out;
  EXPECT_NE(regressed.out.find("cart p50 +"), std::string::npos) << regressed.out;
  EXPECT_NE(regressed.out.find("name  metric"), std::string::npos) << "a table: " << regressed.out;

  // The other way round the new run is faster: no regression (a generous limit, as the fast
  // run's tail could still catch a scheduling stall).
  Command faster =
      run_command({STAMPEDE_BINARY, "compare", slower, base, "--max-regression", "50%"});
  EXPECT_EQ(faster.exit_code, 0) << faster.out;
}

TEST(compare_cli, BadInputExits104WithAReason) {
  TempDir dir;
  Command sample = run_command({STAMPEDE_SAMPLE_RESULTS});
  ASSERT_EQ(sample.exit_code, 0);
  nlohmann::json doc = nlohmann::json::parse(sample.out);
  const std::string good = dir.write("good.json", doc.dump());

  auto expect_104 = [&](const std::vector<std::string>& args, const std::string& message) {
    std::vector<std::string> argv = {STAMPEDE_BINARY, "compare"};
    argv.insert(argv.end(), args.begin(), args.end());
    Command c = run_command(argv);
    EXPECT_EQ(c.exit_code, 104) << c.out;
    EXPECT_NE(c.out.find(message), std::string::npos) << "want \"" << message << "\" in: " << c.out;
  };
  expect_104({good, (dir.path() / "missing.json").string()},
             "missing.json: cannot read: No such file or directory");
  expect_104({dir.write("corrupt.json", "not json"), good}, "corrupt.json: not valid JSON");
  nlohmann::json old = doc;
  old["version"] = 0;
  expect_104({good, dir.write("old.json", old.dump())},
             "old.json: schema version 0 is not supported (this stampede reads version 1)");
  nlohmann::json other = doc;
  other["run"]["script"] = "checkout.lua";
  expect_104({good, dir.write("other.json", other.dump())},
             "the runs come from different scenarios: base ran sample.lua (scenarios: default), "
             "new ran checkout.lua (scenarios: default)");
  expect_104({good, good, "--max-regression", "lots"},
             "--max-regression lots: expected a percentage such as 10%");
  expect_104({good, dir.write("summary.json", R"({"metrics": {}})")}, "not a results document");
}

}  // namespace
}  // namespace stampede::reports_test
