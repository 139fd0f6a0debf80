#include "engine/output/resilience_text.h"

#include <cstdio>

namespace stampede {
namespace {

std::string at(double t) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%7.1fs", t);
  return buf;
}

std::string paint(bool color, const char* code, const std::string& s) {
  return color ? std::string("\x1b[") + code + "m" + s + "\x1b[0m" : s;
}

}  // namespace

std::string render_resilience_text(const ResilienceResult& r, bool color) {
  if (r.chaos_events.empty() && r.validations.empty()) return "";
  std::string out;
  if (!r.chaos_events.empty()) {
    out += "  chaos\n";
    for (const ChaosEvent& e : r.chaos_events) {
      std::string pods;
      for (const std::string& p : e.pods) pods += (pods.empty() ? "" : ",") + p;
      std::string line = "    " + at(e.t) + "  " + e.action_id + " " + e.phase + " on " +
                         (pods.empty() ? e.target : pods) +
                         (e.detail.empty() ? "" : ": " + e.detail);
      out += (e.phase == "failed" ? paint(color, "31", line) : line) + "\n";
    }
    out += "\n";
  }
  if (!r.phases.empty()) {
    out += "  availability by phase (requests / 100 ms buckets without errors)\n";
    for (const PhaseAvailability& p : r.phases) {
      char buf[256];
      std::snprintf(buf, sizeof(buf), "    %-40s %6.1fs-%6.1fs  %.4f / %.4f  (%lld requests)\n",
                    p.name.c_str(), p.start, p.end, p.by_requests, p.by_time,
                    static_cast<long long>(p.requests));
      out += buf;
    }
    out += "\n";
  }
  if (!r.validations.empty()) {
    out += "  validations\n";
    for (const ValidationResult& v : r.validations) {
      out += "    " +
             (v.passed ? paint(color, "32", "✓ " + v.name) : paint(color, "31", "✗ " + v.name)) +
             "\n      " + v.summary + "\n";
      for (const Evidence& e : v.evidence) {
        out += "      · " + e.name + ": " + e.value +
               (e.t >= 0 ? " (at " + at(e.t).substr(1) + ")" : "") + "\n";
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace stampede
