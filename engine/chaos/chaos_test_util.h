// Builders shared by the chaos unit tests: actions and a FakePlatform with a few deployments.
#pragma once

#include <string>

#include "engine/chaos/chaos_plan.h"
#include "engine/platform/testing/fake_platform.h"

namespace stampede::chaos_test {

inline ChaosAction action(ActionKind kind, const std::string& target, double at_s,
                          double duration_s = -1, const std::string& id = "") {
  ChaosAction a;
  a.kind = kind;
  a.target = target;
  a.selector = target.find('=') != std::string::npos;
  a.at = static_cast<Nanos>(at_s * kNanosPerSecond);
  a.duration = duration_s < 0 ? -1 : static_cast<Nanos>(duration_s * kNanosPerSecond);
  a.id = id.empty() ? std::string(action_kind_name(kind)) + "#1" : id;
  a.path = "options.chaos[1]";
  a.max_pods = 5;
  return a;
}

inline DeploymentState deployment(const std::string& name) {
  DeploymentState d;
  d.name = name;
  d.service = name;
  return d;
}

// cart x2, payment x1, frontend x3 (with an HPA 1..4 at 70%).
inline void add_shop(FakePlatform& fake) {
  fake.add_deployment(deployment("cart"), 2);
  fake.add_deployment(deployment("payment"), 1);
  DeploymentState frontend = deployment("frontend");
  frontend.hpa = cpu_hpa("frontend", 1, 4, 70);
  fake.add_deployment(frontend, 3);
}

}  // namespace stampede::chaos_test
