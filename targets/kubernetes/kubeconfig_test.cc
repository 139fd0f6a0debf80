// Kubeconfig loading as kubectl does it: selection of files and contexts, the KUBECONFIG merge,
// relative paths, base64 data, exec plugins, and every error message.
#include "targets/kubernetes/kubeconfig.h"

#include <gtest/gtest.h>

#include "common/testing/temp_dir.h"
#include "targets/kubernetes/base64.h"
#include "targets/kubernetes/client_config.h"

namespace stampede::kube {
namespace {

using stampede::TempDir;

constexpr const char* kCaPem = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

// A kind-style kubeconfig: one cluster with CA data, a user with a token, two contexts.
std::string kind_config() {
  return R"(apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: )" +
         base64_encode(kCaPem) + R"(
    server: https://127.0.0.1:40123
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
- context:
    cluster: kind-kind
    namespace: shop
    user: kind-kind
  name: dev
current-context: kind-kind
preferences: {}
users:
- name: kind-kind
  user:
    token: abc.def
)";
}

KubeconfigOptions explicit_file(const std::string& path, const std::string& context = "") {
  KubeconfigOptions o;
  o.explicit_path = path;
  o.context = context;
  o.env = env_from_map({});
  return o;
}

TEST(Kubeconfig, CurrentContextGivesServerCaTokenAndSource) {
  TempDir dir;
  std::string path = dir.write("config", kind_config());
  auto config = load_kubeconfig(explicit_file(path));
  ASSERT_TRUE(config.ok()) << config.error().message();
  const RestConfig& c = config.value();
  EXPECT_EQ(c.server, "https://127.0.0.1:40123");
  EXPECT_EQ(c.ca_data, kCaPem);  // base64-decoded
  EXPECT_EQ(c.ca_file, "");
  EXPECT_EQ(c.bearer_token, "abc.def");
  EXPECT_EQ(c.context, "kind-kind");
  EXPECT_EQ(c.cluster, "kind-kind");
  EXPECT_EQ(c.user, "kind-kind");
  EXPECT_EQ(c.namespace_name, "");
  EXPECT_EQ(c.source, "kubeconfig " + path + ", context kind-kind");
  EXPECT_FALSE(c.exec.has_value());
}

TEST(Kubeconfig, ContextFlagWinsOverCurrentContext) {
  TempDir dir;
  std::string path = dir.write("config", kind_config());
  auto config = load_kubeconfig(explicit_file(path, "dev"));
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config.value().context, "dev");
  EXPECT_EQ(config.value().namespace_name, "shop");
  auto loaded = Kubeconfig::load(explicit_file(path));
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded.value().context_names(), (std::vector<std::string>{"dev", "kind-kind"}));
  EXPECT_EQ(loaded.value().current_context(), "kind-kind");
}

TEST(Kubeconfig, UnknownContextNamesTheFileAndTheContexts) {
  TempDir dir;
  std::string path = dir.write("config", kind_config());
  auto config = load_kubeconfig(explicit_file(path, "prod"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message(),
            "kubeconfig " + path + ": context \"prod\" not found (contexts: dev, kind-kind)");
}

// Two files through KUBECONFIG: the first to define a name wins it whole; current-context from
// the first file that sets it; a missing file in the list is skipped.
TEST(Kubeconfig, MergesKubeconfigListTheWayKubectlDoes) {
  TempDir dir;
  std::string a = dir.write("a/config", R"(
clusters:
- name: shared
  cluster: {server: "https://a.example:6443", insecure-skip-tls-verify: true}
users:
- name: alice
  user: {token: alice-token}
contexts:
- name: ctx-a
  context: {cluster: shared, user: alice, namespace: team-a}
current-context: ctx-a
)");
  dir.write("b/token", "bob-token\n");
  std::string b = dir.write("b/config", R"(
clusters:
- name: shared
  cluster: {server: "https://b.example:6443"}
- name: only-b
  cluster: {server: "https://only-b.example"}
users:
- name: alice
  user: {token: not-alice}
- name: bob
  user: {tokenFile: token}
contexts:
- name: ctx-b
  context: {cluster: only-b, user: bob}
- name: ctx-shared
  context: {cluster: shared, user: bob}
current-context: ctx-b
)");
  KubeconfigOptions o;
  o.env = env_from_map({{"KUBECONFIG", a + ":" + dir.file("missing/config") + "::" + b},
                        {"HOME", dir.file("home")}});
  EXPECT_EQ(kubeconfig_files(o), (std::vector<std::string>{a, dir.file("missing/config"), b}));
  auto merged = Kubeconfig::load(o);
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  EXPECT_EQ(merged.value().current_context(), "ctx-a");
  EXPECT_EQ(merged.value().context_names(),
            (std::vector<std::string>{"ctx-a", "ctx-b", "ctx-shared"}));
  EXPECT_EQ(merged.value().describe(), "kubeconfig " + a + ":" + b);

  auto first = merged.value().rest_config();
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first.value().server, "https://a.example:6443");
  EXPECT_TRUE(first.value().insecure_skip_tls_verify);
  EXPECT_EQ(first.value().bearer_token, "alice-token");  // a's alice, not b's
  EXPECT_EQ(first.value().namespace_name, "team-a");

  auto shared = merged.value().rest_config("ctx-shared");
  ASSERT_TRUE(shared.ok()) << shared.error().message();
  EXPECT_EQ(shared.value().server, "https://a.example:6443");  // cluster "shared" is a's
  EXPECT_TRUE(shared.value().insecure_skip_tls_verify);
  EXPECT_EQ(shared.value().token_file, dir.file("b/token"));  // relative to b's folder
  EXPECT_EQ(shared.value().source, "kubeconfig " + b + ", context ctx-shared");

  auto only_b = merged.value().rest_config("ctx-b");
  ASSERT_TRUE(only_b.ok()) << only_b.error().message();
  EXPECT_EQ(only_b.value().server, "https://only-b.example");
}

TEST(Kubeconfig, DefaultsToHomeKubeConfig) {
  TempDir dir;
  dir.write("home/.kube/config", kind_config());
  KubeconfigOptions o;
  o.env = env_from_map({{"HOME", dir.file("home")}});
  EXPECT_EQ(kubeconfig_files(o), (std::vector<std::string>{dir.file("home/.kube/config")}));
  auto config = load_kubeconfig(o);
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config.value().server, "https://127.0.0.1:40123");
}

TEST(Kubeconfig, ResolvesRelativePathsAgainstTheFilesFolder) {
  TempDir dir;
  dir.write("kube/ca.crt", kCaPem);
  dir.write("kube/certs/client.crt", "cert");
  dir.write("key.pem", "key");
  dir.write("kube/bin/plugin", "#!/bin/sh\n", 0755);
  std::string path = dir.write("kube/config", R"(
clusters:
- name: c
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: ca.crt
    tls-server-name: kubernetes.default.svc
    proxy-url: http://proxy.local:3128
- name: e
  cluster:
    server: https://10.0.0.2
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {audience: stampede, retries: 3}
users:
- name: certs
  user:
    client-certificate: certs/client.crt
    client-key: ../key.pem
- name: plugin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: [token, --cluster, c]
      env:
      - {name: REGION, value: eu-west-1}
      provideClusterInfo: true
      interactiveMode: Never
      installHint: install the plugin
- name: on-path
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}
contexts:
- name: certs
  context: {cluster: c, user: certs}
- name: plugin
  context: {cluster: e, user: plugin}
- name: on-path
  context: {cluster: c, user: on-path}
)");
  auto certs = load_kubeconfig(explicit_file(path, "certs"));
  ASSERT_TRUE(certs.ok()) << certs.error().message();
  EXPECT_EQ(certs.value().ca_file, dir.file("kube/ca.crt"));
  EXPECT_EQ(certs.value().client_cert_file, dir.file("kube/certs/client.crt"));
  EXPECT_EQ(certs.value().client_key_file, dir.file("key.pem"));
  EXPECT_EQ(certs.value().tls_server_name, "kubernetes.default.svc");
  EXPECT_EQ(certs.value().proxy_url, "http://proxy.local:3128");

  auto plugin = load_kubeconfig(explicit_file(path, "plugin"));
  ASSERT_TRUE(plugin.ok()) << plugin.error().message();
  ASSERT_TRUE(plugin.value().exec.has_value());
  const ExecConfig& exec = *plugin.value().exec;
  EXPECT_EQ(exec.command, dir.file("kube/bin/plugin"));
  EXPECT_EQ(exec.args, (std::vector<std::string>{"token", "--cluster", "c"}));
  ASSERT_EQ(exec.env.size(), 1u);
  EXPECT_EQ(exec.env[0], (std::pair<std::string, std::string>{"REGION", "eu-west-1"}));
  EXPECT_EQ(exec.api_version, "client.authentication.k8s.io/v1");
  EXPECT_TRUE(exec.provide_cluster_info);
  EXPECT_EQ(exec.interactive_mode, ExecInteractiveMode::kNever);
  EXPECT_EQ(exec.install_hint, "install the plugin");
  EXPECT_EQ(exec.cluster_config, nlohmann::json::parse(R"({"audience":"stampede","retries":3})"));

  auto on_path = load_kubeconfig(explicit_file(path, "on-path"));
  ASSERT_TRUE(on_path.ok()) << on_path.error().message();
  EXPECT_EQ(on_path.value().exec->command, "aws");  // no slash: looked up on PATH when run
  EXPECT_EQ(on_path.value().exec->interactive_mode, ExecInteractiveMode::kIfAvailable);
}

TEST(Kubeconfig, DecodesClientCertificateAndKeyData) {
  TempDir dir;
  std::string path =
      dir.write("config", R"(
clusters: [{name: c, cluster: {server: "https://[::1]:6443"}}]
users: [{name: u, user: {client-certificate-data: )" +
                              base64_encode("CERT PEM\n") + R"(, client-key-data: )" +
                              base64_encode("KEY PEM\n") + R"(}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  auto config = load_kubeconfig(explicit_file(path));
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config.value().client_cert_data, "CERT PEM\n");
  EXPECT_EQ(config.value().client_key_data, "KEY PEM\n");
  EXPECT_EQ(config.value().client_cert_file, "");
  EXPECT_EQ(config.value().server, "https://[::1]:6443");
}

// Each error is one line naming the file and the key.
TEST(Kubeconfig, ErrorsNameTheFileAndTheKey) {
  TempDir dir;
  auto error_of = [&](const std::string& text, const std::string& context = "") {
    std::string path = dir.write("config", text);
    auto config = load_kubeconfig(explicit_file(path, context));
    return config.ok() ? std::string("(no error)") : config.error().message();
  };
  std::string f = "kubeconfig " + dir.file("config") + ": ";
  const std::string base = "clusters: [{name: c, cluster: {server: \"https://h\"}}]\n";

  EXPECT_EQ(error_of(base + "users: [{name: u, user: {client-certificate-data: 'not base64!', "
                            "client-key-data: a2V5}}]\n"
                            "contexts: [{name: x, context: {cluster: c, user: u}}]\n"),
            f + "users[0].user.client-certificate-data: not base64");
  EXPECT_EQ(error_of("clusters:\n- name: c\n  cluster: {server: [unclosed\n"),
            f + "YAML syntax error at line 4, column 1: end of sequence flow not found");
  EXPECT_EQ(error_of(base + "contexts: [{name: x, context: {cluster: c}}]\n"),
            f + "no current-context is set and no context was chosen (contexts: x)");
  EXPECT_EQ(error_of(base + "contexts: [{name: x, context: {cluster: gone}}]\n", "x"),
            f + "contexts[0].context.cluster: cluster \"gone\" not found (clusters: c)");
  EXPECT_EQ(error_of(base + "contexts: [{name: x, context: {cluster: c, user: nobody}}]\n", "x"),
            f + "contexts[0].context.user: user \"nobody\" not found (users: none)");
  EXPECT_EQ(error_of("clusters: [{name: c, cluster: {insecure-skip-tls-verify: true}}]\n"
                     "contexts: [{name: x, context: {cluster: c}}]\n",
                     "x"),
            f + "clusters[0].cluster.server: not set (cluster \"c\")");
  EXPECT_EQ(error_of("clusters: [{name: c, cluster: {server: \"ftp://h\"}}]\n"
                     "contexts: [{name: x, context: {cluster: c}}]\n",
                     "x"),
            f + "clusters[0].cluster.server: server \"ftp://h\": the scheme must be https or http");
  EXPECT_EQ(error_of(base + "users: [{name: u, user: {token: t, username: a, password: b}}]\n"
                            "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
                     "x"),
            f + "users[0].user: more than one authentication method (token, basicAuth); only one "
                "is allowed");
  EXPECT_EQ(error_of(base + "users: [{name: u, user: {client-certificate-data: Y2VydA==}}]\n"
                            "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
                     "x"),
            f + "users[0].user: client-certificate without client-key(-data)");
  EXPECT_EQ(error_of(base + "users: [{name: u, user: {auth-provider: {name: oidc}}}]\n"
                            "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
                     "x"),
            f + "users[0].user.auth-provider: \"oidc\" is not supported: use an exec credential "
                "plugin instead (kubelogin, gke-gcloud-auth-plugin, aws eks get-token)");
  EXPECT_EQ(
      error_of(base + "users: [{name: u, user: {tokenFile: no-such-token}}]\n"
                      "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
               "x"),
      f + "users[0].user.tokenFile: " + dir.file("no-such-token") + ": No such file or directory");
  EXPECT_EQ(error_of("clusters: [{name: c, cluster: {server: \"https://h\", "
                     "certificate-authority: ca.pem}}]\n"
                     "contexts: [{name: x, context: {cluster: c}}]\n",
                     "x"),
            f + "clusters[0].cluster.certificate-authority: " + dir.file("ca.pem") +
                ": No such file or directory");
  EXPECT_EQ(error_of(base + "users: [{name: u, user: {exec: {command: x, apiVersion: "
                            "client.authentication.k8s.io/v1, interactiveMode: Sometimes}}}]\n"),
            f + "users[0].user.exec.interactiveMode: \"Sometimes\" is not one of Never, "
                "IfAvailable, Always");
  EXPECT_EQ(error_of(base + "users: [{name: u, user: {exec: {command: x}}}]\n"),
            f + "users[0].user.exec.apiVersion: not set");
  EXPECT_EQ(error_of("clusters: [{name: c, cluster: {server: \"https://h\"}}, "
                     "{name: c, cluster: {server: \"https://i\"}}]\n"),
            f + "clusters[1].name: duplicate name \"c\"");
  EXPECT_EQ(error_of("clusters: [{name: c, cluster: {server: \"https://h\", "
                     "insecure-skip-tls-verify: maybe}}]\n"),
            f + "clusters[0].cluster.insecure-skip-tls-verify: expected true or false");
  EXPECT_EQ(error_of("clusters: {c: {server: \"https://h\"}}\n"), f + "clusters: expected a list");
  EXPECT_EQ(error_of("- just\n- a list\n"), f + "not a kubeconfig (expected a map)");
}

TEST(Kubeconfig, MissingFilesAreErrorsNamingThem) {
  TempDir dir;
  auto missing = load_kubeconfig(explicit_file(dir.file("nope")));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "kubeconfig " + dir.file("nope") + ": No such file or directory");

  KubeconfigOptions list;
  list.env = env_from_map({{"KUBECONFIG", dir.file("a") + ":" + dir.file("b")}});
  auto none = load_kubeconfig(list);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message(),
            "no kubeconfig found: none of the files KUBECONFIG lists "
            "exists (" +
                dir.file("a") + ", " + dir.file("b") + ")");

  KubeconfigOptions home;
  home.env = env_from_map({{"HOME", dir.path()}});
  auto no_home_config = load_kubeconfig(home);
  ASSERT_FALSE(no_home_config.ok());
  EXPECT_EQ(no_home_config.error().message(),
            "no kubeconfig found: " + dir.file(".kube/config") +
                " does not exist (pass --kubeconfig or set KUBECONFIG)");

  // An empty file is an empty config (as for kubectl), which has no context to use.
  std::string empty = dir.write("empty", "");
  auto nothing = load_kubeconfig(explicit_file(empty));
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().message(), "kubeconfig " + empty +
                                           ": no current-context is set and no context was "
                                           "chosen (contexts: none)");
}

TEST(ClientConfig, PrefersKubeconfigThenFallsBackToTheServiceAccount) {
  TempDir dir;
  dir.write("sa/token", "t0k3n");
  dir.write("sa/namespace", "shop");
  LoadOptions options;
  options.service_account_dir = dir.file("sa");
  options.env = env_from_map({{"HOME", dir.file("home")},
                              {"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
                              {"KUBERNETES_SERVICE_PORT", "443"}});
  auto in_cluster = load_rest_config(options);
  ASSERT_TRUE(in_cluster.ok()) << in_cluster.error().message();
  EXPECT_EQ(in_cluster.value().server, "https://10.96.0.1:443");
  EXPECT_EQ(in_cluster.value().namespace_name, "shop");

  dir.write("home/.kube/config", kind_config());
  auto kube = load_rest_config(options);
  ASSERT_TRUE(kube.ok()) << kube.error().message();
  EXPECT_EQ(kube.value().server, "https://127.0.0.1:40123");

  LoadOptions nothing;
  nothing.env = env_from_map({{"HOME", dir.file("nowhere")}});
  auto none = load_rest_config(nothing);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message(),
            "no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, create "
            "~/.kube/config, or run in a pod with a service account");
}

}  // namespace
}  // namespace stampede::kube
