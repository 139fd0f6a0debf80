#include "engine/chaos/undo_step.h"

namespace stampede {
namespace {

const char* kind_name(UndoStep::Kind kind) {
  switch (kind) {
    case UndoStep::Kind::kClearPodFaults:
      return "clear-pod-faults";
    case UndoStep::Kind::kResumePod:
      return "resume-pod";
    case UndoStep::Kind::kClearServiceFault:
      return "clear-service-fault";
    case UndoStep::Kind::kScale:
      return "scale";
  }
  return "?";
}

}  // namespace

std::string UndoStep::describe() const {
  switch (kind) {
    case Kind::kClearPodFaults:
      return "clear the fault knobs of pod " + name;
    case Kind::kResumePod:
      return "resume pod " + name;
    case Kind::kClearServiceFault:
      return "clear the network fault of Service " + name;
    case Kind::kScale:
      return "scale " + name + " back to " + std::to_string(replicas);
  }
  return "?";
}

Status run_undo(Platform& platform, const UndoStep& step) {
  switch (step.kind) {
    case UndoStep::Kind::kClearPodFaults:
      return platform.clear_pod_faults(step.name);
    case UndoStep::Kind::kResumePod:
      return platform.resume_pod(step.name);
    case UndoStep::Kind::kClearServiceFault:
      return platform.clear_service_fault(step.name);
    case UndoStep::Kind::kScale:
      return platform.scale(step.name, step.replicas);
  }
  return Error("unknown undo step");
}

nlohmann::json undo_to_json(const UndoStep& step) {
  nlohmann::json j{{"kind", kind_name(step.kind)}, {"name", step.name}};
  if (step.kind == UndoStep::Kind::kScale) j["replicas"] = step.replicas;
  return j;
}

Result<UndoStep> undo_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Error("undo: expected an object");
  auto kind = j.find("kind");
  auto name = j.find("name");
  if (kind == j.end() || !kind->is_string()) return Error("undo.kind: missing");
  if (name == j.end() || !name->is_string() || name->get<std::string>().empty()) {
    return Error("undo.name: missing");
  }
  UndoStep step;
  step.name = name->get<std::string>();
  std::string k = kind->get<std::string>();
  bool found = false;
  for (auto candidate : {UndoStep::Kind::kClearPodFaults, UndoStep::Kind::kResumePod,
                         UndoStep::Kind::kClearServiceFault, UndoStep::Kind::kScale}) {
    if (k == kind_name(candidate)) {
      step.kind = candidate;
      found = true;
    }
  }
  if (!found) return Error("undo.kind: unknown '" + k + "'");
  if (step.kind == UndoStep::Kind::kScale) {
    auto replicas = j.find("replicas");
    if (replicas == j.end() || !replicas->is_number_integer() || replicas->get<int>() < 0) {
      return Error("undo.replicas: expected a whole number >= 0");
    }
    step.replicas = replicas->get<int>();
  }
  return step;
}

}  // namespace stampede
