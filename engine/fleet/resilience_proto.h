// ResilienceResult (engine/run/resilience_result.h) to and from its fleet.proto form, so an
// interval log's footer carries a run's chaos and validation record. Pure; any thread.
#pragma once

#include "engine/run/resilience_result.h"
#include "fleet.pb.h"

namespace stampede {

void resilience_to_proto(const ResilienceResult& in, fleet::Resilience* out);
ResilienceResult resilience_from_proto(const fleet::Resilience& in);

}  // namespace stampede
