// The process-wide Prometheus registry every part of a shop service records into, and the
// metric families shared by all services.
#pragma once

#include "common/prometheus/registry.h"

namespace shop {

// The one registry of this process; rendered at /metrics.
stampede::prometheus::Registry& registry();

}  // namespace shop
