// A copy of a Registry's series at one moment, as plain values: for exporters that hand the
// same series to another client library (e.g. the Pushgateway push of engine/output). render()
// and Registry::collect() read the same children; neither depends on the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stampede::prometheus {

// One child (one label-value set) of a family.
struct ChildSnapshot {
  std::vector<std::string> label_values;  // one per FamilySnapshot::label_names, in order
  double value = 0;                       // counter or gauge
  std::vector<uint64_t> cumulative;       // histogram: one per bound, then +Inf (== count)
  double sum = 0;                         // histogram
};

struct FamilySnapshot {
  std::string name;
  std::string help;
  std::string type;  // "counter", "gauge" or "histogram"
  std::vector<std::string> label_names;
  std::vector<double> bounds;           // histogram: the finite upper bounds
  std::vector<ChildSnapshot> children;  // sorted by label values, as rendered
};

}  // namespace stampede::prometheus
