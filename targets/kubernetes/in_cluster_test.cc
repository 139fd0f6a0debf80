// The service account configuration: the environment and the mounted files, in a temp folder.
#include "targets/kubernetes/in_cluster.h"

#include <gtest/gtest.h>

#include "common/testing/temp_dir.h"
#include "targets/kubernetes/base64.h"

namespace stampede::kube {
namespace {

using stampede::TempDir;

// A token shaped like the kubelet's projected ones (header.payload.signature).
std::string jwt(const std::string& subject) {
  auto url = [](std::string b64) {
    for (char& c : b64) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    return b64;
  };
  return url(base64_encode(R"({"alg":"RS256","kid":"k1"})")) + "." +
         url(base64_encode(R"({"aud":["https://kubernetes.default.svc"],"sub":")" + subject +
                           R"("})")) +
         ".c2lnbmF0dXJl";
}

TEST(InCluster, AvailableOnlyWithHostAndPort) {
  EXPECT_FALSE(in_cluster_available(env_from_map({})));
  EXPECT_FALSE(in_cluster_available(env_from_map({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}})));
  EXPECT_FALSE(in_cluster_available(
      env_from_map({{"KUBERNETES_SERVICE_HOST", ""}, {"KUBERNETES_SERVICE_PORT", "443"}})));
  EXPECT_TRUE(in_cluster_available(env_from_map(
      {{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}})));
}

TEST(InCluster, ReadsTheServiceAccountFiles) {
  TempDir dir;
  dir.write("token", jwt("system:serviceaccount:shop:stampede-runner") + "\n");
  dir.write("ca.crt", "-----BEGIN CERTIFICATE-----\n");
  dir.write("namespace", "shop\n");
  InClusterOptions options;
  options.dir = dir.path();
  options.env =
      env_from_map({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  auto config = in_cluster_config(options);
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config.value().server, "https://10.96.0.1:443");
  EXPECT_EQ(config.value().token_file, dir.file("token"));
  EXPECT_EQ(config.value().bearer_token, "");  // read (and re-read) by Credentials
  EXPECT_EQ(config.value().ca_file, dir.file("ca.crt"));
  EXPECT_EQ(config.value().namespace_name, "shop");
  EXPECT_EQ(config.value().source,
            "in-cluster service account system:serviceaccount:shop:stampede-runner");
}

TEST(InCluster, BracketsIpv6HostsAndHonoursPodNamespace) {
  TempDir dir;
  dir.write("token", "opaque-token");
  dir.write("namespace", "from-file");
  InClusterOptions options;
  options.dir = dir.path();
  options.env = env_from_map({{"KUBERNETES_SERVICE_HOST", "fd00:10:96::1"},
                              {"KUBERNETES_SERVICE_PORT", "443"},
                              {"POD_NAMESPACE", "from-env"}});
  auto config = in_cluster_config(options);
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config.value().server, "https://[fd00:10:96::1]:443");
  EXPECT_EQ(config.value().namespace_name, "from-env");
  EXPECT_EQ(config.value().ca_file, "");  // no ca.crt: the system roots, as client-go does
  EXPECT_EQ(config.value().source, "in-cluster service account");  // not a JWT
}

TEST(InCluster, ErrorsSayWhatIsMissing) {
  TempDir dir;
  InClusterOptions options;
  options.dir = dir.path();
  options.env = env_from_map({});
  auto outside = in_cluster_config(options);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().message(),
            "in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must "
            "be defined (not running in a pod?)");
  options.env =
      env_from_map({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  auto no_token = in_cluster_config(options);
  ASSERT_FALSE(no_token.ok());
  EXPECT_EQ(no_token.error().message(), "in-cluster service account token: " + dir.file("token") +
                                            ": No such file or directory");
}

TEST(InCluster, JwtSubject) {
  EXPECT_EQ(jwt_subject(jwt("system:serviceaccount:a:b")), "system:serviceaccount:a:b");
  EXPECT_EQ(jwt_subject("not-a-jwt"), "");
  EXPECT_EQ(jwt_subject("a.!!!.c"), "");
}

}  // namespace
}  // namespace stampede::kube
