#include "engine/platform/platform_types.h"

#include <cstdio>

namespace stampede {
namespace {

void append_number(std::string& out, const char* name, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s%s=%g", out.empty() ? "" : " ", name, v);
  out += buf;
}

void append_flag(std::string& out, const char* name) {
  if (!out.empty()) out += ' ';
  out += name;
}

}  // namespace

std::string FaultKnobs::describe() const {
  std::string out;
  if (latency_ms) append_number(out, "latency_ms", static_cast<double>(*latency_ms));
  if (jitter_ms) append_number(out, "jitter_ms", static_cast<double>(*jitter_ms));
  if (error_rate) append_number(out, "error_rate", *error_rate);
  if (hang) append_flag(out, *hang ? "hang" : "hang=false");
  if (unhealthy) append_flag(out, *unhealthy ? "unhealthy" : "unhealthy=false");
  if (cpu_burn_ms) append_number(out, "cpu_burn_ms", static_cast<double>(*cpu_burn_ms));
  if (!methods.empty()) {
    std::string list;
    for (const std::string& m : methods) list += (list.empty() ? "" : ",") + m;
    out += (out.empty() ? "" : " ") + std::string("methods=") + list;
  }
  return out;
}

std::string NetworkFault::describe() const {
  std::string out;
  if (latency_ms > 0) append_number(out, "latency_ms", latency_ms);
  if (jitter_ms > 0) append_number(out, "jitter_ms", jitter_ms);
  if (bandwidth_kbps > 0) append_number(out, "bandwidth_kbps", bandwidth_kbps);
  if (reset_rate > 0) append_number(out, "reset_rate", reset_rate);
  if (reset_existing) append_flag(out, "reset_existing");
  if (blackhole) append_flag(out, "blackhole");
  return out.empty() ? "none" : out;
}

}  // namespace stampede
