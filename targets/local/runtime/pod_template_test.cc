#include "targets/local/runtime/pod_template.h"

#include <gtest/gtest.h>

#include <regex>

namespace stampede::local {
namespace {

DeploymentSpec spec() {
  DeploymentSpec d;
  d.name = "redis";
  d.command = {"redis-server"};
  d.args = {"--port", "$(REDIS_PORT)", "$$(literal)", "$(UNKNOWN)"};
  d.ports = {{"redis", 6379, "REDIS_PORT"}};
  d.mount_data = true;
  d.env = {{"GREETING", "port $(REDIS_PORT)"}, {"LISTEN_ADDR", "0.0.0.0"}};
  d.dependencies = {"x"};
  return d;
}

std::string get(const EnvList& env, const std::string& key) {
  for (const auto& [k, v] : env) {
    if (k == key) return v;
  }
  return "<unset>";
}

TEST(PodTemplate, EnvironmentInKubernetesOrder) {
  EnvList common = {{"LISTEN_ADDR", "0.0.0.0"}, {"SHOP_DEADLINE_MS", "3000"}};
  PodWiring w;
  w.path = "/usr/bin:/bin";
  w.common_env = &common;
  w.ports = {{"redis", 41000}};
  w.dependency_addrs = {{"X_ADDR", "127.0.0.1:42000"}};
  w.admin_token = "tok";
  w.data_dir = "/state/data";
  w.pod_name = "redis-abc-defgh";
  EnvList env = pod_env(spec(), w);
  EXPECT_EQ(env[0].first, "PATH");
  EXPECT_EQ(get(env, "LISTEN_ADDR"), "127.0.0.1");
  EXPECT_EQ(get(env, "SHOP_DEADLINE_MS"), "3000");
  EXPECT_EQ(get(env, "REDIS_PORT"), "41000");
  EXPECT_EQ(get(env, "X_ADDR"), "127.0.0.1:42000");
  EXPECT_EQ(get(env, "ADMIN_TOKEN"), "tok");
  EXPECT_EQ(get(env, "SHOP_DATA_DIR"), "/state/data");
  EXPECT_EQ(get(env, "HOSTNAME"), "redis-abc-defgh");
  EXPECT_EQ(get(env, "GREETING"), "port 41000");
  EXPECT_EQ(pod_argv(spec(), env), (std::vector<std::string>{"redis-server", "--port", "41000",
                                                             "$(literal)", "$(UNKNOWN)"}));
}

TEST(PodTemplate, HashChangesWithTheTemplateAndTheRestartAnnotation) {
  EnvList common;
  std::string h1 = template_hash(spec(), common, "");
  EXPECT_EQ(h1, template_hash(spec(), common, ""));
  EXPECT_NE(h1, template_hash(spec(), common, "1764400000000"));
  DeploymentSpec changed = spec();
  changed.args.push_back("--more");
  EXPECT_NE(h1, template_hash(changed, common, ""));
  EXPECT_TRUE(std::regex_match(h1, std::regex("[bcdfghjklmnpqrstvwxz2456789]+")));
  std::mt19937_64 rng(1);
  std::string name = pod_name("cart", h1, rng);
  EXPECT_TRUE(
      std::regex_match(name, std::regex("cart-" + h1 + "-[bcdfghjklmnpqrstvwxz2456789]{5}")));
  EXPECT_NE(name, pod_name("cart", h1, rng));
}

}  // namespace
}  // namespace stampede::local
