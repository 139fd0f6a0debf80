// UndoStep: one thing to do to take a fault back (clear a pod's knobs, resume a pod, clear a
// Service's network fault, restore a replica count). Steps are idempotent — the platform's undo
// calls succeed when there is nothing left to undo — so a revert may run twice without harm.
// They are what the chaos journal records, as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "engine/platform/platform.h"

namespace stampede {

struct UndoStep {
  enum class Kind { kClearPodFaults, kResumePod, kClearServiceFault, kScale };
  Kind kind = Kind::kClearPodFaults;
  std::string name;  // pod, Service or deployment
  int replicas = 0;  // kScale: the count to restore

  // "clear the fault knobs of pod payment-1", "scale redis back to 1".
  std::string describe() const;
};

// Does the step on the platform.
Status run_undo(Platform& platform, const UndoStep& step);

nlohmann::json undo_to_json(const UndoStep& step);
// Errors name what is wrong with the object ("undo.kind: unknown 'x'").
Result<UndoStep> undo_from_json(const nlohmann::json& j);

}  // namespace stampede
