#include "engine/output/resilience_json.h"

namespace stampede {

nlohmann::json render_resilience_json(const ResilienceResult& r) {
  using nlohmann::json;
  json out;
  out["passed"] = r.validations_passed();
  json& events = out["chaos_events"] = json::array();
  for (const ChaosEvent& e : r.chaos_events) {
    events.push_back(json{{"t", e.t},
                          {"action_id", e.action_id},
                          {"action", e.action},
                          {"phase", e.phase},
                          {"target", e.target},
                          {"pods", e.pods},
                          {"detail", e.detail}});
  }
  json& spans = out["chaos_spans"] = json::array();
  for (const ChaosSpan& s : r.chaos_spans) {
    spans.push_back(json{{"action_id", s.action_id},
                         {"action", s.action},
                         {"target", s.target},
                         {"start", s.start},
                         {"end", s.end}});
  }
  json& samples = out["platform_samples"] = json::array();
  for (const PlatformSample& s : r.platform_samples) {
    samples.push_back(json{{"t", s.t},
                           {"deployment", s.deployment},
                           {"replicas", s.replicas},
                           {"ready", s.ready},
                           {"desired", s.desired},
                           {"restarts", s.restarts},
                           {"cpu_utilization", s.cpu_utilization}});
  }
  json& pevents = out["platform_events"] = json::array();
  for (const PlatformEvent& e : r.platform_events) {
    pevents.push_back(json{{"t", e.t},
                           {"kind", e.kind},
                           {"deployment", e.deployment},
                           {"pod", e.pod},
                           {"detail", e.detail}});
  }
  json& phases = out["phases"] = json::array();
  for (const PhaseAvailability& p : r.phases) {
    phases.push_back(json{{"name", p.name},
                          {"start", p.start},
                          {"end", p.end},
                          {"requests", p.requests},
                          {"failed", p.failed},
                          {"by_requests", p.by_requests},
                          {"by_time", p.by_time}});
  }
  json& validations = out["validations"] = json::array();
  for (const ValidationResult& v : r.validations) {
    json evidence = json::array();
    for (const Evidence& e : v.evidence) {
      json item{{"name", e.name}, {"value", e.value}};
      if (e.t >= 0) item["t"] = e.t;
      evidence.push_back(item);
    }
    validations.push_back(json{{"name", v.name},
                               {"kind", v.kind},
                               {"passed", v.passed},
                               {"summary", v.summary},
                               {"evidence", evidence}});
  }
  return out;
}

}  // namespace stampede
