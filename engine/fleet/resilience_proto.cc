#include "engine/fleet/resilience_proto.h"

namespace stampede {

void resilience_to_proto(const ResilienceResult& in, fleet::Resilience* out) {
  out->set_platform(in.platform);
  out->set_event_times(in.event_times);
  for (const ChaosEvent& e : in.chaos_events) {
    fleet::ChaosEvent* p = out->add_chaos_events();
    p->set_t(e.t);
    p->set_action_id(e.action_id);
    p->set_action(e.action);
    p->set_phase(e.phase);
    p->set_target(e.target);
    for (const std::string& pod : e.pods) p->add_pods(pod);
    p->set_detail(e.detail);
  }
  for (const ChaosSpan& s : in.chaos_spans) {
    fleet::ChaosSpan* p = out->add_chaos_spans();
    p->set_action_id(s.action_id);
    p->set_action(s.action);
    p->set_target(s.target);
    p->set_start(s.start);
    p->set_end(s.end);
  }
  for (const PlatformSample& s : in.platform_samples) {
    fleet::PlatformSample* p = out->add_platform_samples();
    p->set_t(s.t);
    p->set_deployment(s.deployment);
    p->set_replicas(s.replicas);
    p->set_ready(s.ready);
    p->set_desired(s.desired);
    p->set_restarts(s.restarts);
    p->set_cpu_utilization(s.cpu_utilization);
  }
  for (const PlatformEvent& e : in.platform_events) {
    fleet::PlatformEvent* p = out->add_platform_events();
    p->set_t(e.t);
    p->set_kind(e.kind);
    p->set_deployment(e.deployment);
    p->set_pod(e.pod);
    p->set_detail(e.detail);
    p->set_server_time(e.server_time);
  }
  for (const PhaseAvailability& a : in.phases) {
    fleet::PhaseAvailability* p = out->add_phases();
    p->set_name(a.name);
    p->set_start(a.start);
    p->set_end(a.end);
    p->set_requests(a.requests);
    p->set_failed(a.failed);
    p->set_by_requests(a.by_requests);
    p->set_by_time(a.by_time);
  }
  for (const ValidationResult& v : in.validations) {
    fleet::Validation* p = out->add_validations();
    p->set_name(v.name);
    p->set_kind(v.kind);
    p->set_passed(v.passed);
    p->set_summary(v.summary);
    for (const Evidence& e : v.evidence) {
      fleet::Evidence* pe = p->add_evidence();
      pe->set_name(e.name);
      pe->set_value(e.value);
      pe->set_t(e.t);
    }
  }
}

ResilienceResult resilience_from_proto(const fleet::Resilience& in) {
  ResilienceResult out;
  out.platform = in.platform();
  out.event_times = in.event_times();
  for (const fleet::ChaosEvent& p : in.chaos_events()) {
    out.chaos_events.push_back(ChaosEvent{p.t(),
                                          p.action_id(),
                                          p.action(),
                                          p.phase(),
                                          p.target(),
                                          {p.pods().begin(), p.pods().end()},
                                          p.detail()});
  }
  for (const fleet::ChaosSpan& p : in.chaos_spans()) {
    out.chaos_spans.push_back(ChaosSpan{p.action_id(), p.action(), p.target(), p.start(), p.end()});
  }
  for (const fleet::PlatformSample& p : in.platform_samples()) {
    out.platform_samples.push_back(PlatformSample{p.t(), p.deployment(), p.replicas(), p.ready(),
                                                  p.desired(), p.restarts(), p.cpu_utilization()});
  }
  for (const fleet::PlatformEvent& p : in.platform_events()) {
    out.platform_events.push_back(
        PlatformEvent{p.t(), p.kind(), p.deployment(), p.pod(), p.detail(), p.server_time()});
  }
  for (const fleet::PhaseAvailability& p : in.phases()) {
    out.phases.push_back(PhaseAvailability{p.name(), p.start(), p.end(), p.requests(), p.failed(),
                                           p.by_requests(), p.by_time()});
  }
  for (const fleet::Validation& p : in.validations()) {
    ValidationResult v{p.name(), p.kind(), p.passed(), p.summary(), {}};
    for (const fleet::Evidence& e : p.evidence()) {
      v.evidence.push_back(Evidence{e.name(), e.value(), e.t()});
    }
    out.validations.push_back(std::move(v));
  }
  return out;
}

}  // namespace stampede
