#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "targets/local/cli/kubeconfig_file.h"
#include "targets/local/cli/ps_render.h"
#include "targets/local/cli/runtime_file.h"

namespace stampede::local {
namespace {

using nlohmann::json;

TEST(Kubeconfig, OneClusterUserAndContextWithTheCa) {
  std::string text = kubeconfig_text("https://127.0.0.1:41235", "tok", "PEM");
  EXPECT_NE(text.find("    server: https://127.0.0.1:41235\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    certificate-authority-data: UEVN\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    token: tok\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    namespace: default\n"), std::string::npos) << text;
  EXPECT_NE(text.find("current-context: stampede-local\n"), std::string::npos) << text;
  EXPECT_EQ(kubeconfig_text("http://x", "t", "").find("certificate-authority"), std::string::npos);
  std::string dir = ::testing::TempDir() + "/kubeconfig_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(write_kubeconfig(dir, "https://127.0.0.1:1", "t", "PEM").ok());
  struct stat st;
  ASSERT_EQ(::stat(kubeconfig_path(dir).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

TEST(RuntimeFile, WritesMode0600AndReadsBack) {
  std::string dir = ::testing::TempDir() + "/runtime_file_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  RuntimeInfo info;
  info.pid = 1234;
  info.api = "http://127.0.0.1:41234";
  info.token = "secret";
  info.state_dir = dir;
  info.values = "/v.yaml";
  info.started_unix_ms = 1764400000000;
  ASSERT_TRUE(write_runtime_file(info).ok());
  struct stat st;
  ASSERT_EQ(::stat(runtime_file_path(dir).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto back = read_runtime_file(dir);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back.value().pid, 1234);
  EXPECT_EQ(back.value().api_port(), 41234);
  EXPECT_EQ(back.value().token, "secret");
  std::ofstream(runtime_file_path(dir)) << "{\"pid\": 1}";
  auto bad = read_runtime_file(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().rfind(runtime_file_path(dir) + ": malformed", 0), 0u);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(read_runtime_file(dir).error().message(),
            "no stampede up running in " + dir + " (no runtime.json)");
}

TEST(PsRender, TablesAndTheLogOfACrashLoopingPod) {
  json deployments = json::parse(R"([
    {"name": "cart", "replicas": 2, "ready": 1, "updated": 2, "service": {"port": 41000},
     "hpa": {"current_replicas": 2, "desired_replicas": 3, "current_utilization": 120,
             "target_cpu_utilization": 70}}])");
  json pods = json::parse(R"([
    {"name": "cart-abc-xyz12", "deployment": "cart", "state": "running", "ready": true,
     "restarts": 0, "cpu_millicores": 120.4, "pid": 77, "ports": {"grpc": 42000},
     "last_log_lines": [], "last_exit": null},
    {"name": "cart-abc-qwe34", "deployment": "cart", "state": "crash-loop-backoff", "ready": false,
     "restarts": 3, "cpu_millicores": -1, "pid": -1, "ports": {"grpc": 42001},
     "last_log_lines": ["boom", "exiting"], "last_exit": {"code": 2, "signal": 0}}])");
  std::string out = render_ps(json{{"cpu_limits", "cgroup-v2"}}, deployments, pods);
  EXPECT_NE(
      out.find("cart        1/2    2           3         120m  2/3 (120% of 70%)  127.0.0.1:41000"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("cart-abc-qwe34  crash-loop-backoff  no     3         -     -    grpc=42001"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("last log lines of cart-abc-qwe34 (exit code 2):\n  boom\n  exiting\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("CPU limits: cgroup-v2"), std::string::npos);
}

}  // namespace
}  // namespace stampede::local
