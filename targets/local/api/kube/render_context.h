// What every renderer of Kubernetes objects shares: the namespace and node the local runtime
// pretends to be, stable UIDs, and one fixed mapping from the runtime's monotonic clock to wall
// time (so that an object rendered twice carries the same timestamps). A plain value made once
// when the Kubernetes API starts; thread-safe to read.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace stampede::local::kube {

inline constexpr const char* kNamespace = "default";
inline constexpr const char* kNodeName = "stampede-local";
inline constexpr const char* kLocalIp = "127.0.0.1";
inline constexpr const char* kAdminSecret = "admin-token";

// Made once by KubeApi::start; read-only afterwards (any thread).
struct RenderContext {
  std::string salt;                // differs per `stampede up`: so do the UIDs
  int64_t wall_minus_mono_ms = 0;  // unix ms = mono ms + this
  int64_t started_ns = 0;          // the runtime's start (mono): the static objects' creation
  std::string admin_token;         // the shop's admin token (the admin-token Secret)
  std::string log_dir;             // <state>/logs
  bool extensions = true;          // local.stampede.dev/v1 is served

  // A context for now: the clock mapping is taken once, here.
  static RenderContext make(std::string salt, int64_t started_ns);

  // A stable UID (UUID form) for the object `kind`/`name` of this run.
  std::string uid(const std::string& kind, const std::string& name) const;
  int64_t unix_ms(int64_t mono_ns) const { return mono_ns / 1'000'000 + wall_minus_mono_ms; }
  // metav1.Time (whole seconds) and metav1.MicroTime of a monotonic instant.
  std::string time(int64_t mono_ns) const;
  std::string micro_time(int64_t mono_ns) const;
  // metadata for a namespaced object: name, namespace, uid, creationTimestamp.
  nlohmann::json metadata(const std::string& kind, const std::string& name,
                          int64_t created_mono_ns) const;
};

// When a condition last changed: remembers, per key, a state and the time it was first seen.
// Not thread-safe: owned by a renderer on the control thread.
class TransitionClock {
 public:
  // The (mono) time `key` has been in `state` since; `now_ns` when it just changed.
  int64_t since(const std::string& key, const std::string& state, int64_t now_ns) {
    auto [it, inserted] = seen_.try_emplace(key, state, now_ns);
    if (!inserted && it->second.first != state) it->second = {state, now_ns};
    return it->second.second;
  }

 private:
  std::map<std::string, std::pair<std::string, int64_t>> seen_;
};

// "<deployment>-<hash>" — the ReplicaSet of a pod template.
std::string replica_set_name(const std::string& deployment, const std::string& hash);
// The pod-template-hash in a pod name "<deployment>-<hash>-<suffix>" ("" when it has none).
std::string hash_of_pod(const std::string& deployment, const std::string& pod);
// Kubernetes quantities: CPU millicores ("250m", "1"), bytes ("64Mi", "1Gi", "1000").
std::string cpu_quantity(int64_t millicores);
std::string memory_quantity(int64_t bytes);

}  // namespace stampede::local::kube
