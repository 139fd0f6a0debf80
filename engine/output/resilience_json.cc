// The resilience sections of results.json: chaos events and spans, platform samples and events,
// availability phases and validation verdicts (engine/run/resilience_result.h).
#include "engine/output/results_json.h"

namespace stampede {

using nlohmann::json;

json render_resilience_json(const ResilienceResult& r) {
  json events = json::array();
  for (const ChaosEvent& e : r.chaos_events) {
    events.push_back({{"t", e.t},
                      {"action_id", e.action_id},
                      {"action", e.action},
                      {"phase", e.phase},
                      {"target", e.target},
                      {"pods", e.pods},
                      {"detail", e.detail}});
  }
  json spans = json::array();
  for (const ChaosSpan& s : r.chaos_spans) {
    spans.push_back({{"action_id", s.action_id},
                     {"action", s.action},
                     {"target", s.target},
                     {"start", s.start},
                     {"end", s.end}});
  }
  json samples = json::array();
  for (const PlatformSample& s : r.platform_samples) {
    samples.push_back({{"t", s.t},
                       {"deployment", s.deployment},
                       {"replicas", s.replicas},
                       {"ready", s.ready},
                       {"desired", s.desired},
                       {"restarts", s.restarts},
                       {"cpu_utilization", s.cpu_utilization}});
  }
  json platform_events = json::array();
  for (const PlatformEvent& e : r.platform_events) {
    json event = {{"t", e.t},
                  {"kind", e.kind},
                  {"deployment", e.deployment},
                  {"pod", e.pod},
                  {"detail", e.detail}};
    if (!e.server_time.empty()) event["server_time"] = e.server_time;
    platform_events.push_back(std::move(event));
  }
  json phases = json::array();
  for (const PhaseAvailability& p : r.phases) {
    phases.push_back({{"name", p.name},
                      {"start", p.start},
                      {"end", p.end},
                      {"requests", p.requests},
                      {"failed", p.failed},
                      {"by_requests", p.by_requests},
                      {"by_time", p.by_time}});
  }
  json validations = json::array();
  for (const ValidationResult& v : r.validations) {
    json evidence = json::array();
    for (const Evidence& e : v.evidence) {
      evidence.push_back({{"name", e.name}, {"value", e.value}, {"t", e.t}});
    }
    validations.push_back({{"name", v.name},
                           {"kind", v.kind},
                           {"passed", v.passed},
                           {"summary", v.summary},
                           {"evidence", evidence}});
  }
  return {{"chaos", {{"events", events}, {"spans", spans}}},
          {"platform",
           {{"source", r.platform},
            {"event_times", r.event_times},
            {"samples", samples},
            {"events", platform_events}}},
          {"phases", phases},
          {"validations", validations}};
}

}  // namespace stampede
