// Exec credential plugins, run for real: a shell-script plugin written into a temp folder counts
// its runs, records what it was given (args, environment, KUBERNETES_EXEC_INFO, stdin) and prints
// the ExecCredential the test chose.
#include "targets/kubernetes/exec_credential.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "common/testing/temp_dir.h"
#include "targets/kubernetes/base64.h"
#include "targets/kubernetes/credentials.h"
#include "targets/kubernetes/kube_time.h"
#include "targets/kubernetes/rest_client.h"
#include "targets/kubernetes/testing/fake_api_server.h"

namespace stampede::kube {
namespace {

using stampede::TempDir;
using testing::FakeApiServer;
using testing::FakeResponse;

// The plugin prints $DIR/output with @N@ replaced by its run number.
constexpr const char* kPlugin = R"SH(#!/bin/sh
n=$(cat "$DIR/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$DIR/count"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$DIR/exec_info.$n"
echo "$*" > "$DIR/args.$n"
env > "$DIR/env.$n"
cat > "$DIR/stdin.$n"
if [ -f "$DIR/stderr" ]; then cat "$DIR/stderr" >&2; fi
if [ -f "$DIR/sleep" ]; then sleep "$(cat "$DIR/sleep")"; fi
sed "s/@N@/$n/g" "$DIR/output"
exit "$(cat "$DIR/exit" 2>/dev/null || echo 0)"
)SH";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string credential(const std::string& status,
                       const std::string& api_version = "client.authentication.k8s.io/v1") {
  return R"({"apiVersion":")" + api_version + R"(","kind":"ExecCredential","status":)" + status +
         "}\n";
}

struct PluginFixture {
  TempDir dir;
  ExecConfig exec;
  RestConfig rest;
  ExecOptions options;

  PluginFixture() {
    dir.write("bin/kube-plugin", kPlugin, 0755);
    dir.write("output", credential(R"({"token":"tok-@N@"})"));
    exec.command = dir.file("bin/kube-plugin");
    exec.env = {{"DIR", dir.path()}};
    rest.server = "https://127.0.0.1:6443";
    rest.source = "kubeconfig /x/config, context eks";
    options.base_env =
        std::vector<std::string>{"PATH=/usr/bin:/bin", "HOME=/nowhere", "INHERITED=yes"};
    options.timeout = std::chrono::seconds(10);
  }
  int runs() const {
    std::string count = read(dir.file("count"));
    return count.empty() ? 0 : std::stoi(count);
  }
};

TEST(ExecPlugin, RunsWithArgsEnvironmentAndExecInfo) {
  PluginFixture f;
  f.exec.args = {"token", "--cluster", "shop"};
  f.exec.env.push_back({"EXTRA", "1"});
  f.exec.env.push_back({"INHERITED", "overridden"});
  f.exec.provide_cluster_info = true;
  f.exec.cluster_config = nlohmann::json{{"audience", "stampede"}};
  f.rest.ca_data = "CA PEM\n";
  f.rest.tls_server_name = "api.shop.test";
  auto cred = run_exec_plugin(f.exec, f.rest, f.options);
  ASSERT_TRUE(cred.ok()) << cred.error().message();
  EXPECT_EQ(cred.value().token, "tok-1");
  EXPECT_FALSE(cred.value().expires_unix_us.has_value());
  EXPECT_EQ(read(f.dir.file("args.1")), "token --cluster shop\n");
  EXPECT_EQ(read(f.dir.file("stdin.1")), "");  // stdin is /dev/null
  std::string env = read(f.dir.file("env.1"));
  EXPECT_NE(env.find("EXTRA=1\n"), std::string::npos) << env;
  EXPECT_NE(env.find("INHERITED=overridden\n"), std::string::npos) << env;
  EXPECT_NE(env.find("HOME=/nowhere\n"), std::string::npos) << env;
  nlohmann::json info = nlohmann::json::parse(read(f.dir.file("exec_info.1")));
  EXPECT_EQ(info, nlohmann::json::parse(R"({
    "apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
    "spec": {"interactive": false, "cluster": {
      "server": "https://127.0.0.1:6443", "tls-server-name": "api.shop.test",
      "certificate-authority-data": ")" +
                                        base64_encode("CA PEM\n") + R"(",
      "config": {"audience": "stampede"}}}})"));
}

TEST(ExecPlugin, WithoutClusterInfoSendsOnlyTheSpec) {
  PluginFixture f;
  ASSERT_TRUE(run_exec_plugin(f.exec, f.rest, f.options).ok());
  EXPECT_EQ(nlohmann::json::parse(read(f.dir.file("exec_info.1"))),
            nlohmann::json::parse(R"({"apiVersion":"client.authentication.k8s.io/v1",
                                      "kind":"ExecCredential","spec":{"interactive":false}})"));
}

TEST(ExecPlugin, FindsABareCommandOnPath) {
  PluginFixture f;
  f.exec.command = "kube-plugin";
  f.exec.api_version = "client.authentication.k8s.io/v1beta1";
  f.dir.write("output", credential(R"({"token":"beta"})", "client.authentication.k8s.io/v1beta1"));
  f.options.base_env =
      std::vector<std::string>{"PATH=/nonexistent:" + f.dir.file("bin") + ":/usr/bin:/bin"};
  auto cred = run_exec_plugin(f.exec, f.rest, f.options);
  ASSERT_TRUE(cred.ok()) << cred.error().message();
  EXPECT_EQ(cred.value().token, "beta");
}

TEST(ExecPlugin, ReturnsCertificatesAndExpiry) {
  PluginFixture f;
  f.dir.write("output", credential(R"({"clientCertificateData":"CERT","clientKeyData":"KEY",
                                       "expirationTimestamp":"2030-01-02T03:04:05Z"})"));
  auto cred = run_exec_plugin(f.exec, f.rest, f.options);
  ASSERT_TRUE(cred.ok()) << cred.error().message();
  EXPECT_EQ(cred.value().token, "");
  EXPECT_EQ(cred.value().client_cert_pem, "CERT");
  EXPECT_EQ(cred.value().client_key_pem, "KEY");
  EXPECT_EQ(cred.value().expires_unix_us, parse_time_us("2030-01-02T03:04:05Z").value());
}

TEST(ExecPlugin, ErrorsSayWhatWentWrong) {
  PluginFixture f;
  std::string who = "exec plugin \"" + f.exec.command + "\" (kubeconfig /x/config, context eks): ";
  auto error_of = [&](const ExecConfig& exec) {
    auto cred = run_exec_plugin(exec, f.rest, f.options);
    return cred.ok() ? std::string("(no error)") : cred.error().message();
  };

  ExecConfig missing = f.exec;
  missing.command = "aws-iam-authenticator";
  missing.install_hint = "Install it:\n  brew install aws-iam-authenticator";
  EXPECT_EQ(error_of(missing),
            "exec plugin \"aws-iam-authenticator\" (kubeconfig /x/config, context eks): executable "
            "aws-iam-authenticator not found on PATH; Install it: |   brew install "
            "aws-iam-authenticator");

  f.dir.write("exit", "1");
  f.dir.write("stderr", "error: SSO session expired\nrun aws sso login\n");
  EXPECT_EQ(error_of(f.exec),
            who + "failed with exit code 1: error: SSO session expired | run aws sso login");
  std::remove(f.dir.file("exit").c_str());
  std::remove(f.dir.file("stderr").c_str());

  f.dir.write("output", "Please log in at https://login.example\n");
  EXPECT_EQ(error_of(f.exec),
            who + "its output is not JSON: \"Please log in at https://login.example\"");
  f.dir.write("output", credential(R"({"token":"t"})", "client.authentication.k8s.io/v1beta1"));
  EXPECT_EQ(error_of(f.exec),
            who +
                "it is configured to use API version client.authentication.k8s.io/v1, but the "
                "plugin returned version client.authentication.k8s.io/v1beta1");
  f.dir.write("output",
              R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})");
  EXPECT_EQ(error_of(f.exec), who + "the plugin didn't return a status field");
  f.dir.write("output", credential(R"({"clientCertificateData":"CERT"})"));
  EXPECT_EQ(error_of(f.exec), who + "the plugin returned only certificate or key, not both");
  f.dir.write("output", credential(R"({})"));
  EXPECT_EQ(error_of(f.exec), who + "the plugin didn't return a token or cert/key pair");
  f.dir.write("output", credential(R"({"token":"t","expirationTimestamp":"soon"})"));
  EXPECT_EQ(error_of(f.exec).rfind(who + "status.expirationTimestamp: ", 0), 0u)
      << error_of(f.exec);

  ExecConfig always = f.exec;
  always.interactive_mode = ExecInteractiveMode::kAlways;
  EXPECT_EQ(error_of(always),
            who +
                "interactiveMode Always needs a terminal, and stampede runs plugins with stdin "
                "from /dev/null; use a plugin mode that does not prompt");
  ExecConfig alpha = f.exec;
  alpha.api_version = "client.authentication.k8s.io/v1alpha1";
  EXPECT_EQ(error_of(alpha), who +
                                 "invalid apiVersion \"client.authentication.k8s.io/v1alpha1\" "
                                 "(client.authentication.k8s.io/v1 or v1beta1)");
}

TEST(ExecPlugin, AHangingPluginIsKilledAtTheTimeout) {
  PluginFixture f;
  f.dir.write("sleep", "20");
  f.options.timeout = std::chrono::milliseconds(300);
  auto started = std::chrono::steady_clock::now();
  auto cred = run_exec_plugin(f.exec, f.rest, f.options);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(cred.ok());
  EXPECT_NE(cred.error().message().find("did not finish within 300 ms and was killed"),
            std::string::npos)
      << cred.error().message();
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(ExecPlugin, PassesStderrOfASuccessfulRunToTheCaller) {
  PluginFixture f;
  f.dir.write("stderr", "Opening browser for login...\n");
  std::string seen;
  f.options.on_stderr = [&](const std::string& text) { seen = text; };
  ASSERT_TRUE(run_exec_plugin(f.exec, f.rest, f.options).ok());
  EXPECT_EQ(seen, "Opening browser for login...\n");
}

// The cache: until shortly before expirationTimestamp, or until a 401 says otherwise.
TEST(ExecAuthenticator, CachesUntilExpiryOnAnInjectedClock) {
  PluginFixture f;
  int64_t now = parse_time_us("2030-01-01T00:00:00Z").value();
  f.options.now_unix_us = [&] { return now; };
  f.options.refresh_before = std::chrono::seconds(10);
  f.dir.write("output",
              credential(R"({"token":"tok-@N@","expirationTimestamp":"2030-01-01T00:01:00Z"})"));
  ExecAuthenticator auth(f.exec, f.rest, f.options);
  auto first = auth.get();
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first.value().credential.token, "tok-1");
  now += 49'000'000;  // 11 s before expiry: still cached
  EXPECT_EQ(auth.get().value().credential.token, "tok-1");
  EXPECT_EQ(auth.runs(), 1);
  now += 2'000'000;  // 9 s before expiry: refreshed early
  auto second = auth.get();
  EXPECT_EQ(second.value().credential.token, "tok-2");
  EXPECT_NE(second.value().generation, first.value().generation);
  EXPECT_EQ(f.runs(), 2);
}

TEST(ExecAuthenticator, WithoutExpiryCachesUntilInvalidated) {
  PluginFixture f;
  ExecAuthenticator auth(f.exec, f.rest, f.options);
  auto first = auth.get();
  ASSERT_TRUE(first.ok()) << first.error().message();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(auth.get().value().credential.token, "tok-1");
  EXPECT_EQ(f.runs(), 1);
  auth.invalidate(first.value().generation);
  EXPECT_EQ(auth.get().value().credential.token, "tok-2");
  auth.invalidate(first.value().generation);  // an old credential's 401: already replaced
  EXPECT_EQ(auth.get().value().credential.token, "tok-2");
  EXPECT_EQ(f.runs(), 2);
}

TEST(ExecAuthenticator, AnExpiredCredentialIsFetchedAgainEachTime) {
  PluginFixture f;  // the real clock
  f.dir.write("output",
              credential(R"({"token":"tok-@N@","expirationTimestamp":"2020-01-01T00:00:00Z"})"));
  ExecAuthenticator auth(f.exec, f.rest, f.options);
  EXPECT_EQ(auth.get().value().credential.token, "tok-1");
  EXPECT_EQ(auth.get().value().credential.token, "tok-2");
  EXPECT_EQ(auth.runs(), 2);
}

// End to end: the REST client sends the plugin's token, and a 401 re-runs the plugin.
TEST(ExecAuthenticator, RestClientRerunsThePluginAfterA401) {
  PluginFixture f;
  auto server = FakeApiServer::start();
  ASSERT_TRUE(server.ok()) << server.error().message();
  FakeApiServer& api = *server.value();
  api.on("GET", "/version", FakeResponse::json(200, {{"gitVersion", "v1.30.0"}}));
  api.require_bearer("tok-2");  // the first token is "rejected"
  RestConfig config;
  config.server = api.url();
  config.source = "test";
  config.exec = f.exec;
  CredentialsOptions options;
  options.exec = f.options;
  auto credentials = std::make_shared<Credentials>(config, options);
  auto client = RestClient::create(credentials);
  ASSERT_TRUE(client.ok()) << client.error().message();
  auto version = client.value()->get("/version");
  ASSERT_TRUE(version.ok()) << version.error().message();
  EXPECT_EQ(version.value()["gitVersion"], "v1.30.0");
  EXPECT_EQ(credentials->exec_runs(), 2);
  auto requests = api.requests("GET", "/version");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(requests[1].header("Authorization"), "Bearer tok-2");
  // Cached from now on.
  ASSERT_TRUE(client.value()->get("/version").ok());
  EXPECT_EQ(credentials->exec_runs(), 2);
}

}  // namespace
}  // namespace stampede::kube
