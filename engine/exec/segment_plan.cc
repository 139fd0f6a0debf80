#include "engine/exec/segment_plan.h"

namespace stampede {
namespace {

// The tuple `work` is dealt with, rescaled by `vus` as k6's shared-iterations (by vus) and
// arrival-rate executors (by max VUs) do; no work when the instance has none of the VUs.
Status rescale_work(ScenarioPlan& s, const ExecutionTuple& segment, int64_t vus) {
  if (segment.scale(vus) == 0) {
    s.share.has_work = false;
    return Status::Ok();
  }
  Result<ExecutionTuple> work = segment.rescaled(vus);
  if (!work.ok()) return work.error().with_context("scenario " + s.name);
  s.share.work = work.value();
  return Status::Ok();
}

}  // namespace

Status apply_execution_segment(RunPlan& plan, const ExecutionTuple& segment) {
  plan.segment = segment;
  for (ScenarioPlan& s : plan.scenarios) {
    s.share = ScenarioShare();
    s.share.vus = segment;
    s.share.work = segment;
    switch (s.executor) {
      case ExecutorKind::kConstantVus:
      case ExecutorKind::kRampingVus:
      case ExecutorKind::kPerVuIterations:
        s.share.has_work = segment.scale(s.peak_vus()) > 0;
        break;
      case ExecutorKind::kSharedIterations: {
        Status st = rescale_work(s, segment, s.vus);
        if (!st.ok()) return st;
        if (s.share.has_work) s.share.has_work = s.share.work.scale(s.iterations) > 0;
        break;
      }
      case ExecutorKind::kConstantArrivalRate:
      case ExecutorKind::kRampingArrivalRate: {
        Status st = rescale_work(s, segment, s.peak_vus());
        if (!st.ok()) return st;
        break;
      }
    }
  }
  return Status::Ok();
}

ScenarioPart scenario_part(const ScenarioPlan& s) {
  ScenarioPart p;
  p.vus_total = s.peak_vus();
  p.vus = s.share.has_work ? s.share.vus.scale(p.vus_total) : 0;
  switch (s.executor) {
    case ExecutorKind::kPerVuIterations:
      p.iterations_total = s.vus * s.iterations;
      p.iterations = p.vus * s.iterations;
      break;
    case ExecutorKind::kSharedIterations:
      p.iterations_total = s.iterations;
      p.iterations = s.share.has_work ? s.share.work.scale(s.iterations) : 0;
      break;
    case ExecutorKind::kConstantArrivalRate:
    case ExecutorKind::kRampingArrivalRate: {
      Result<ArrivalSchedule> schedule =
          s.executor == ExecutorKind::kConstantArrivalRate
              ? ArrivalSchedule::constant(s.rate, s.time_unit, s.duration)
              : ArrivalSchedule::ramping(s.start_rate, s.stages, s.time_unit);
      if (schedule.ok()) {
        p.arrivals_total = schedule.value().total();
        p.arrivals = s.share.has_work ? s.share.work.scale(p.arrivals_total) : 0;
      }
      break;
    }
    default:
      break;
  }
  return p;
}

}  // namespace stampede
