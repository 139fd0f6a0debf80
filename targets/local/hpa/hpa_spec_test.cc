#include <gtest/gtest.h>

#include "targets/local/hpa/hpa_types.h"

namespace stampede::local {
namespace {

TEST(HpaSpec, DefaultsAreKubernetes) {
  Result<HpaSpec> spec = default_hpa_spec(1, 4, 70);
  ASSERT_TRUE(spec.ok()) << spec.error().message();
  const HpaSpec& s = spec.value();
  EXPECT_TRUE(s.has_behavior);
  EXPECT_EQ(s.scale_up.stabilization_window_seconds, 0);
  EXPECT_EQ(s.scale_up.select, SelectPolicy::kMax);
  ASSERT_EQ(s.scale_up.policies.size(), 2u);
  EXPECT_EQ(s.scale_up.policies[0].type, ScalingPolicy::Type::kPods);
  EXPECT_EQ(s.scale_up.policies[0].value, 4);
  EXPECT_EQ(s.scale_up.policies[0].period_seconds, 15);
  EXPECT_EQ(s.scale_up.policies[1].type, ScalingPolicy::Type::kPercent);
  EXPECT_EQ(s.scale_up.policies[1].value, 100);
  EXPECT_EQ(s.scale_down.stabilization_window_seconds, 300);
  ASSERT_EQ(s.scale_down.policies.size(), 1u);
  EXPECT_EQ(s.scale_down.policies[0].type, ScalingPolicy::Type::kPercent);
  EXPECT_EQ(s.scale_down.policies[0].value, 100);
  EXPECT_DOUBLE_EQ(s.tolerance, 0.1);
  EXPECT_DOUBLE_EQ(s.cpu_initialization_period_seconds, 300);
  EXPECT_DOUBLE_EQ(s.initial_readiness_delay_seconds, 30);
}

TEST(HpaSpec, DefaultSpecRejectsBadBounds) {
  EXPECT_EQ(default_hpa_spec(0, 4, 70).error().message(),
            "minReplicas: must be at least 1 (got 0)");
  EXPECT_EQ(default_hpa_spec(3, 2, 70).error().message(),
            "maxReplicas: must be at least minReplicas (3) (got 2)");
  EXPECT_EQ(default_hpa_spec(1, 2, 0).error().message(),
            "targetCPUUtilizationPercentage: must be greater than 0 (got 0)");
}

TEST(HpaSpec, ValidationNamesTheBehaviorField) {
  HpaSpec s = default_hpa_spec(1, 4, 70).value();
  s.scale_up.policies[1].period_seconds = 0;
  EXPECT_EQ(validate_hpa_spec(s).error().message(),
            "behavior.scaleUp.policies[1].periodSeconds: must be between 1 and 1800 (got 0)");
  s = default_hpa_spec(1, 4, 70).value();
  s.scale_down.policies[0].value = -5;
  EXPECT_EQ(validate_hpa_spec(s).error().message(),
            "behavior.scaleDown.policies[0].value: must be greater than 0 (got -5)");
  s = default_hpa_spec(1, 4, 70).value();
  s.scale_down.stabilization_window_seconds = 3601;
  EXPECT_EQ(validate_hpa_spec(s).error().message(),
            "behavior.scaleDown.stabilizationWindowSeconds: must be between 0 and 3600 (got 3601)");
  s = default_hpa_spec(1, 4, 70).value();
  s.scale_up.policies.clear();
  EXPECT_EQ(validate_hpa_spec(s).error().message(),
            "behavior.scaleUp.policies: must specify at least one policy");
  // Without behavior the rules are not used, so they are not checked.
  s.has_behavior = false;
  EXPECT_TRUE(validate_hpa_spec(s).ok());
  s.tolerance = -0.1;
  EXPECT_EQ(validate_hpa_spec(s).error().message(),
            "tolerance: must be at least 0 and below 1 (got -0.1)");
}

}  // namespace
}  // namespace stampede::local
