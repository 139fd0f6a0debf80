#include "engine/output/pushgateway.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

PushgatewayTarget target(const std::string& url, std::vector<std::string> labels = {},
                         const std::string& job = "stampede") {
  auto t = pushgateway_target({url, job, std::move(labels)}, "runner-0");
  EXPECT_TRUE(t.ok()) << url << ": " << t.error().message();
  return t.ok() ? t.value() : PushgatewayTarget{};
}

std::string error(const std::string& url, std::vector<std::string> labels = {},
                  const std::string& job = "stampede", const std::string& instance = "runner-0") {
  auto t = pushgateway_target({url, job, std::move(labels)}, instance);
  return t.ok() ? "" : t.error().message();
}

TEST(PushgatewayTarget, ParsesTheUrlAndBuildsTheGroupingKey) {
  PushgatewayTarget t = target("http://127.0.0.1:9091");
  EXPECT_EQ(t.base, "http://127.0.0.1");
  EXPECT_EQ(t.port, "9091");
  EXPECT_EQ(t.url(), "http://127.0.0.1:9091/metrics/job/stampede/instance/runner-0");
  EXPECT_EQ(target("https://push.example/").port, "443");
  EXPECT_EQ(target("http://push.example").port, "80");
  PushgatewayTarget v6 = target("http://[::1]:9091");
  EXPECT_EQ(v6.base, "http://[::1]");
  EXPECT_EQ(v6.port, "9091");
  EXPECT_EQ(target("http://[::1]").port, "80");
  PushgatewayTarget labelled =
      target("http://pg:9091", {"release=v1.2.3", "instance=ci-7", "branch=main"}, "checkout");
  EXPECT_EQ(labelled.url(),
            "http://pg:9091/metrics/job/checkout/branch/main/instance/ci-7/release/v1.2.3");
}

TEST(PushgatewayTarget, RefusesWhatCannotBeAGroupingKeyNamingTheFlag) {
  const std::string hint = " (expected http://HOST[:PORT], e.g. http://127.0.0.1:9091)";
  EXPECT_EQ(error("127.0.0.1:9091"), "--pushgateway 127.0.0.1:9091: no scheme" + hint);
  EXPECT_EQ(error("ftp://h:1"), "--pushgateway ftp://h:1: the scheme must be http or https" + hint);
  EXPECT_EQ(error("http://h:9091/prefix"),
            "--pushgateway http://h:9091/prefix: a path prefix is not supported" + hint);
  EXPECT_EQ(error("http://h:0"), "--pushgateway http://h:0: bad port" + hint);
  EXPECT_EQ(error("http://h:x"), "--pushgateway http://h:x: bad port" + hint);
  EXPECT_EQ(error("http://"), "--pushgateway http://: no host" + hint);
  EXPECT_EQ(
      error("http://h", {}, "a/b"),
      "--pushgateway-job a/b: must be letters, digits, _ . : or - (it is a URL path segment)");
  EXPECT_EQ(error("http://h", {}, ""),
            "--pushgateway-job : must be letters, digits, _ . : or - (it is a URL path segment)");
  EXPECT_EQ(error("http://h", {"x"}), "--pushgateway-label x: expected KEY=VALUE");
  EXPECT_EQ(error("http://h", {"job=x"}), "--pushgateway-label job=x: job is --pushgateway-job");
  EXPECT_EQ(error("http://h", {"__x=1"}), "--pushgateway-label __x=1: __x is not a label name");
  EXPECT_EQ(error("http://h", {"a=b c"}),
            "--pushgateway-label a=b c: the value must be letters, digits, _ . : or - (it is a URL "
            "path segment)");
  EXPECT_EQ(error("http://h", {"a=1", "a=2"}), "--pushgateway-label a=2: a is given twice");
  EXPECT_EQ(error("http://h", {}, "stampede", "my host"),
            "--pushgateway: the default instance \"my host\" is not a valid grouping value; set "
            "--pushgateway-label instance=NAME");
  EXPECT_EQ(error("http://h", {"instance=ok"}, "stampede", "my host"), "");
}

TEST(PushgatewayTarget, DefaultInstanceIsTheRunnerIndexElseTheHostName) {
  setenv("JOB_COMPLETION_INDEX", "3", 1);
  EXPECT_EQ(default_push_instance(), "3");
  unsetenv("JOB_COMPLETION_INDEX");
  EXPECT_NE(default_push_instance(), "");
  EXPECT_NE(default_push_instance(), "3");
}

}  // namespace
}  // namespace stampede
