// What a pod of a deployment is made of on this machine: the template hash and pod names as
// Kubernetes makes them, the environment (commonEnv, the port variables, dependencies'
// addresses, the admin token, the data folder, the service's env) and the command line with
// Kubernetes' $(VAR) expansion. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "targets/local/values/spec.h"

namespace stampede::local {

using EnvList = std::vector<std::pair<std::string, std::string>>;

// Kubernetes' $(VAR) expansion against `env` (earlier entries): $(VAR) of a defined variable is
// replaced, $$ is a literal $, anything else is left as written.
std::string expand_vars(const std::string& text, const std::map<std::string, std::string>& env);

struct PodWiring {
  std::string path;  // PATH, standing in for the image's (the supervisor's own); "" for none
  const EnvList* common_env = nullptr;
  std::map<std::string, uint16_t> ports;                // container port name -> local port
  std::map<std::string, std::string> dependency_addrs;  // addressEnv -> 127.0.0.1:port
  std::string admin_token;
  std::string data_dir;  // for mountData
  std::string pod_name;
};

// The pod's environment in Kubernetes' order (PATH as an image would set it, envFrom commonEnv,
// then the variables the runtime sets, then the service's env, each expanded against what came
// before), LISTEN_ADDR forced to 127.0.0.1, HOSTNAME the pod name.
EnvList pod_env(const DeploymentSpec& spec, const PodWiring& wiring);
// command + args with $(VAR) expanded against the pod's env.
std::vector<std::string> pod_argv(const DeploymentSpec& spec, const EnvList& env);

// The pod-template-hash: FNV-1a of the template (what changes a pod) and `restarted_at` (its
// rollout-restart annotation), safe-encoded like Kubernetes'.
std::string template_hash(const DeploymentSpec& spec, const EnvList& common_env,
                          const std::string& restarted_at);
// "<deployment>-<hash>-<5 random safe characters>".
std::string pod_name(const std::string& deployment, const std::string& hash, std::mt19937_64& rng);

}  // namespace stampede::local
