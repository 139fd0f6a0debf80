#include "targets/local/api/kube/render_context.h"

#include <time.h>

#include <cstdio>

#include "targets/kubernetes/kube_time.h"

namespace stampede::local::kube {
namespace {

uint64_t fnv1a(const std::string& text, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

RenderContext RenderContext::make(std::string salt, int64_t started_ns) {
  RenderContext ctx;
  ctx.salt = std::move(salt);
  ctx.started_ns = started_ns;
  timespec mono, wall;
  clock_gettime(CLOCK_MONOTONIC, &mono);
  clock_gettime(CLOCK_REALTIME, &wall);
  int64_t mono_ms = static_cast<int64_t>(mono.tv_sec) * 1000 + mono.tv_nsec / 1'000'000;
  int64_t wall_ms = static_cast<int64_t>(wall.tv_sec) * 1000 + wall.tv_nsec / 1'000'000;
  ctx.wall_minus_mono_ms = wall_ms - mono_ms;
  return ctx;
}

std::string RenderContext::uid(const std::string& kind, const std::string& name) const {
  std::string key = salt + "/" + kind + "/" + name;
  uint64_t a = fnv1a(key, 14695981039346656037ull);
  uint64_t b = fnv1a(key, 0x9e3779b97f4a7c15ull);
  char buf[40];
  // A version-4-shaped UUID (the version and variant nibbles fixed), as the API server makes.
  std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

std::string RenderContext::time(int64_t mono_ns) const {
  return stampede::kube::format_time(unix_ms(mono_ns));
}

std::string RenderContext::micro_time(int64_t mono_ns) const {
  return stampede::kube::format_micro_time(mono_ns / 1000 + wall_minus_mono_ms * 1000);
}

nlohmann::json RenderContext::metadata(const std::string& kind, const std::string& name,
                                       int64_t created_mono_ns) const {
  return {{"name", name},
          {"namespace", kNamespace},
          {"uid", uid(kind, name)},
          {"creationTimestamp", time(created_mono_ns)}};
}

std::string replica_set_name(const std::string& deployment, const std::string& hash) {
  return deployment + "-" + hash;
}

std::string hash_of_pod(const std::string& deployment, const std::string& pod) {
  if (pod.size() <= deployment.size() + 1 ||
      pod.compare(0, deployment.size() + 1, deployment + "-"))
    return "";
  std::string rest = pod.substr(deployment.size() + 1);
  size_t dash = rest.rfind('-');
  return dash == std::string::npos ? "" : rest.substr(0, dash);
}

std::string cpu_quantity(int64_t millicores) {
  if (millicores % 1000 == 0) return std::to_string(millicores / 1000);
  return std::to_string(millicores) + "m";
}

std::string memory_quantity(int64_t bytes) {
  static const char* kSuffixes[] = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
  if (bytes == 0) return "0";
  for (int i = 0; i < 6; ++i) {
    int64_t unit = int64_t{1} << (10 * (6 - i));
    if (bytes % unit == 0) return std::to_string(bytes / unit) + kSuffixes[i];
  }
  return std::to_string(bytes);
}

}  // namespace stampede::local::kube
