#include "targets/local/runtime/pod_template.h"

namespace stampede::local {
namespace {

// k8s.io/apimachinery/pkg/util/rand: consonants and digits that cannot spell words.
constexpr char kSafe[] = "bcdfghjklmnpqrstvwxz2456789";
constexpr size_t kSafeLen = sizeof(kSafe) - 1;

void fnv(uint32_t& h, const std::string& s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  h ^= 0xff;  // a separator, so ("ab","c") and ("a","bc") differ
  h *= 16777619u;
}

}  // namespace

std::string expand_vars(const std::string& text, const std::map<std::string, std::string>& env) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '(') {
      size_t close = text.find(')', i + 2);
      if (close != std::string::npos) {
        auto it = env.find(text.substr(i + 2, close - i - 2));
        if (it != env.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

EnvList pod_env(const DeploymentSpec& spec, const PodWiring& w) {
  EnvList env;
  std::map<std::string, std::string> seen;
  auto set = [&](const std::string& k, const std::string& v) {
    std::string value = expand_vars(v, seen);
    seen[k] = value;
    for (auto& kv : env) {
      if (kv.first == k) {
        kv.second = value;
        return;
      }
    }
    env.emplace_back(k, value);
  };
  if (!w.path.empty()) set("PATH", w.path);
  if (w.common_env != nullptr) {
    for (const auto& [k, v] : *w.common_env) set(k, v);
  }
  set("LISTEN_ADDR", "127.0.0.1");
  set("HOSTNAME", w.pod_name);
  for (const ContainerPort& p : spec.ports) {
    auto it = w.ports.find(p.name);
    if (!p.env.empty() && it != w.ports.end()) set(p.env, std::to_string(it->second));
  }
  for (const auto& [k, v] : w.dependency_addrs) set(k, v);
  if (!w.admin_token.empty()) set("ADMIN_TOKEN", w.admin_token);
  if (spec.mount_data) set("SHOP_DATA_DIR", w.data_dir);
  for (const auto& [k, v] : spec.env) set(k, v);
  set("LISTEN_ADDR", "127.0.0.1");  // loopback only, whatever the values say
  return env;
}

std::vector<std::string> pod_argv(const DeploymentSpec& spec, const EnvList& env) {
  std::map<std::string, std::string> vars(env.begin(), env.end());
  std::vector<std::string> argv;
  for (const std::string& c : spec.command) argv.push_back(expand_vars(c, vars));
  for (const std::string& a : spec.args) argv.push_back(expand_vars(a, vars));
  return argv;
}

std::string template_hash(const DeploymentSpec& spec, const EnvList& common_env,
                          const std::string& restarted_at) {
  uint32_t h = 2166136261u;
  fnv(h, spec.image_repository);
  fnv(h, spec.image_tag);
  for (const auto& c : spec.command) fnv(h, c);
  fnv(h, "--");
  for (const auto& a : spec.args) fnv(h, a);
  for (const auto& [k, v] : common_env) fnv(h, k + "=" + v);
  for (const auto& [k, v] : spec.env) fnv(h, k + "=" + v);
  for (const auto& d : spec.dependencies) fnv(h, "dep:" + d);
  for (const auto& p : spec.ports) fnv(h, p.name + ":" + std::to_string(p.container_port) + p.env);
  fnv(h, std::to_string(spec.cpu_request_millis) + "/" + std::to_string(spec.cpu_limit_millis));
  for (const auto* probe : {&spec.liveness, &spec.readiness, &spec.startup}) {
    if (!probe->has_value()) {
      fnv(h, "none");
      continue;
    }
    const ProbeSpec& p = **probe;
    fnv(h, std::string(probe_kind_name(p.kind)) + p.port_name + p.path + p.grpc_service);
    for (const auto& c : p.command) fnv(h, c);
    fnv(h, std::to_string(p.initial_delay_seconds) + "," + std::to_string(p.period_seconds) + "," +
               std::to_string(p.timeout_seconds) + "," + std::to_string(p.success_threshold) + "," +
               std::to_string(p.failure_threshold));
  }
  fnv(h, std::to_string(spec.termination_grace_period_seconds));
  fnv(h, restarted_at);
  std::string digits = std::to_string(h);
  std::string out;
  for (unsigned char c : digits) out += kSafe[c % kSafeLen];
  return out;
}

std::string pod_name(const std::string& deployment, const std::string& hash, std::mt19937_64& rng) {
  std::string suffix;
  for (int i = 0; i < 5; ++i) suffix += kSafe[rng() % kSafeLen];
  return deployment + "-" + hash + "-" + suffix;
}

}  // namespace stampede::local
