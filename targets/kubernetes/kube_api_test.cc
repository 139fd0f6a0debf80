// Status objects and Kubernetes time formats.
#include <gtest/gtest.h>

#include "targets/kubernetes/api_status.h"
#include "targets/kubernetes/kube_time.h"

namespace stampede::kube {
namespace {

TEST(ApiStatus, BuildsKubernetesShapedFailures) {
  ApiStatus s;
  s.code = 404;
  s.reason = reason_for_code(404);
  s.message = "pods \"x\" not found";
  s.name = "x";
  s.kind = "pods";
  nlohmann::json j = status_json(s);
  EXPECT_EQ(j, nlohmann::json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},
    "status":"Failure","message":"pods \"x\" not found","reason":"NotFound",
    "details":{"name":"x","kind":"pods"},"code":404})"));
  EXPECT_EQ(status_json(200, "")["status"], "Success");
  EXPECT_EQ(status_json(422, "bad")["reason"], "Invalid");
}

TEST(ApiStatus, ParsesWhatTheApiServerSends) {
  // As kube-apiserver answers a forbidden delete (k8s.io/apimachinery's StatusError).
  auto s = parse_status(std::string(R"({"kind":"Status","apiVersion":"v1","metadata":{},
    "status":"Failure","message":"pods \"frontend-1\" is forbidden: User \"system:serviceaccount:default:runner\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"",
    "reason":"Forbidden","details":{"name":"frontend-1","kind":"pods"},"code":403})"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->code, 403);
  EXPECT_EQ(s->reason, "Forbidden");
  EXPECT_EQ(s->kind, "pods");
  EXPECT_EQ(s->name, "frontend-1");
  auto retry = parse_status(std::string(
      R"({"kind":"Status","status":"Failure","reason":"TooManyRequests","code":429,
          "details":{"retryAfterSeconds":2,"causes":[{"reason":"x","message":"m","field":"f"}]}})"));
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->retry_after_seconds, 2);
  ASSERT_EQ(retry->causes.size(), 1u);
  EXPECT_EQ(retry->causes[0].field, "f");
  EXPECT_FALSE(parse_status(std::string("not json")).has_value());
  EXPECT_FALSE(parse_status(std::string(R"({"kind":"Pod"})")).has_value());
}

TEST(KubeTime, FormatsAndParses) {
  EXPECT_EQ(format_time(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_time(1796652187999), "2026-12-07T14:03:07Z");
  EXPECT_EQ(format_micro_time(1796652187123456), "2026-12-07T14:03:07.123456Z");
  EXPECT_EQ(parse_time_us("2026-12-07T14:03:07Z").value(), 1796652187000000);
  EXPECT_EQ(parse_time_us("2026-12-07T14:03:07.123456Z").value(), 1796652187123456);
  EXPECT_EQ(parse_time_us("2026-12-07T15:03:07.5+01:00").value(), 1796652187500000);
  EXPECT_EQ(parse_time_us("1969-12-31T23:59:59Z").value(), -1000000);
  for (const char* bad :
       {"", "2026-12-07", "2026-12-07 14:03:07Z", "2026-13-07T14:03:07Z", "2026-12-07T14:03:07",
        "2026-12-07T14:03:07Zx", "2026-12-07T14:03:07.Z"}) {
    EXPECT_FALSE(parse_time_us(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace stampede::kube
