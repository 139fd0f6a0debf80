#include "common/prometheus/registry.h"

#include <gtest/gtest.h>

#include <cmath>

namespace stampede::prometheus {
namespace {

TEST(Registry, RendersCountersGaugesAndHistogramsExactly) {
  Registry registry;
  auto& requests = registry.counter("http_requests_total", "HTTP requests.", {"method", "code"});
  requests.with({"POST", "500"}).inc();
  requests.with({"GET", "200"}).inc(3);
  requests.with({"GET", "404"}).inc(0.5);
  registry.gauge("up", "Whether the service is up.").with().set(1);
  auto& latency = registry.histogram("latency_seconds", "Latency.", {"route"}, {0.5, 1});
  latency.with({"/cart"}).observe(0.25);
  latency.with({"/cart"}).observe(0.5);  // bounds are inclusive
  latency.with({"/cart"}).observe(3);
  latency.with({"/"}).observe(1);
  registry.gauge("unused_by_label", "Never set.", {"x"});  // no children: not rendered

  EXPECT_EQ(registry.render(),
            "# HELP http_requests_total HTTP requests.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{method=\"GET\",code=\"200\"} 3\n"
            "http_requests_total{method=\"GET\",code=\"404\"} 0.5\n"
            "http_requests_total{method=\"POST\",code=\"500\"} 1\n"
            "# HELP up Whether the service is up.\n"
            "# TYPE up gauge\n"
            "up 1\n"
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"/\",le=\"0.5\"} 0\n"
            "latency_seconds_bucket{route=\"/\",le=\"1\"} 1\n"
            "latency_seconds_bucket{route=\"/\",le=\"+Inf\"} 1\n"
            "latency_seconds_sum{route=\"/\"} 1\n"
            "latency_seconds_count{route=\"/\"} 1\n"
            "latency_seconds_bucket{route=\"/cart\",le=\"0.5\"} 2\n"
            "latency_seconds_bucket{route=\"/cart\",le=\"1\"} 2\n"
            "latency_seconds_bucket{route=\"/cart\",le=\"+Inf\"} 3\n"
            "latency_seconds_sum{route=\"/cart\"} 3.75\n"
            "latency_seconds_count{route=\"/cart\"} 3\n");
  EXPECT_TRUE(registry.status().ok());
}

TEST(Registry, CollectCopiesWhatRenderWrites) {
  Registry registry;
  auto& requests = registry.counter("http_requests_total", "HTTP requests.", {"method", "code"});
  requests.with({"POST", "500"}).inc();
  requests.with({"GET", "200"}).inc(3);
  registry.gauge("up", "Whether the service is up.").with().set(1);
  auto& latency = registry.histogram("latency_seconds", "Latency.", {"route"}, {0.5, 1});
  latency.with({"/cart"}).observe(0.25);
  latency.with({"/cart"}).observe(3);
  registry.gauge("unused_by_label", "Never set.", {"x"});

  const std::vector<FamilySnapshot> families = registry.collect();
  ASSERT_EQ(families.size(), 4u);
  const FamilySnapshot& reqs = families[0];
  EXPECT_EQ(reqs.name, "http_requests_total");
  EXPECT_EQ(reqs.help, "HTTP requests.");
  EXPECT_EQ(reqs.type, "counter");
  EXPECT_EQ(reqs.label_names, (std::vector<std::string>{"method", "code"}));
  ASSERT_EQ(reqs.children.size(), 2u);  // sorted by label values, as rendered
  EXPECT_EQ(reqs.children[0].label_values, (std::vector<std::string>{"GET", "200"}));
  EXPECT_EQ(reqs.children[0].value, 3);
  EXPECT_EQ(reqs.children[1].value, 1);
  EXPECT_EQ(families[1].type, "gauge");
  ASSERT_EQ(families[1].children.size(), 1u);
  EXPECT_TRUE(families[1].children[0].label_values.empty());
  EXPECT_EQ(families[1].children[0].value, 1);
  const FamilySnapshot& lat = families[2];
  EXPECT_EQ(lat.type, "histogram");
  EXPECT_EQ(lat.bounds, (std::vector<double>{0.5, 1}));
  ASSERT_EQ(lat.children.size(), 1u);
  EXPECT_EQ(lat.children[0].cumulative, (std::vector<uint64_t>{1, 1, 2}));
  EXPECT_EQ(lat.children[0].sum, 3.25);
  EXPECT_TRUE(families[3].children.empty());
}

TEST(Registry, UnlabelledMetricsRenderZeroFromTheStartAndGaugesMove) {
  Registry registry;
  auto& gauge = registry.gauge("queue_depth", "");
  registry.counter("orders_total", "Orders placed.");
  gauge.with().inc(5);
  gauge.with().dec(2);
  EXPECT_EQ(gauge.with().value(), 3);
  gauge.with().set(-1.5);
  EXPECT_EQ(registry.render(),
            "# TYPE queue_depth gauge\n"
            "queue_depth -1.5\n"
            "# HELP orders_total Orders placed.\n"
            "# TYPE orders_total counter\n"
            "orders_total 0\n");
}

TEST(Registry, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.counter("errors_total", "Errors by \"kind\".\nSecond line \\ end.", {"kind"})
      .with({"a\\b \"q\"\nnl"})
      .inc();
  EXPECT_EQ(registry.render(),
            "# HELP errors_total Errors by \"kind\".\\nSecond line \\\\ end.\n"
            "# TYPE errors_total counter\n"
            "errors_total{kind=\"a\\\\b \\\"q\\\"\\nnl\"} 1\n");
}

TEST(Registry, SpecialValuesRender) {
  Registry registry;
  auto& g = registry.gauge("g", "G.", {"k"});
  g.with({"inf"}).set(INFINITY);
  g.with({"nan"}).set(NAN);
  g.with({"neg"}).set(-INFINITY);
  EXPECT_EQ(
      registry.render(),
      "# HELP g G.\n# TYPE g gauge\ng{k=\"inf\"} +Inf\ng{k=\"nan\"} NaN\ng{k=\"neg\"} -Inf\n");
}

TEST(Registry, SameRegistrationReturnsTheSameFamilyAndChildrenAreStable) {
  Registry registry;
  auto& first = registry.counter("hits_total", "Hits.", {"path"});
  auto& again = registry.counter("hits_total", "Other help is ignored.", {"path"});
  EXPECT_EQ(&first, &again);
  Counter& child = first.with({"/"});
  for (int i = 0; i < 100; ++i) first.with({"/p" + std::to_string(i)});
  EXPECT_EQ(&child, &first.with({"/"}));
  auto& h1 = registry.histogram("h", "H.", {}, {1, 2});
  EXPECT_EQ(&h1, &registry.histogram("h", "H.", {}, {1, 2, INFINITY}));
  EXPECT_TRUE(registry.status().ok());
}

TEST(Registry, ConflictsAndInvalidNamesAreErrorsNotCrashes) {
  Registry registry;
  registry.counter("jobs_total", "Jobs.", {"queue"}).with({"a"}).inc();
  registry.histogram("rpc_seconds", "RPCs.", {});

  auto& wrong_type = registry.gauge("jobs_total", "Jobs.", {"queue"});
  wrong_type.with({"a"}).set(7);  // works, goes nowhere
  registry.counter("jobs_total", "Jobs.", {"queue", "extra"});
  registry.histogram("rpc_seconds", "RPCs.", {}, {1, 2});
  registry.counter("rpc_seconds_count", "Clashes with the histogram.");
  registry.counter("bad-name", "x");
  registry.counter("ok_total", "x", {"__reserved"});
  registry.counter("dup_total", "x", {"a", "a"});
  registry.histogram("le_seconds", "x", {"le"});
  registry.histogram("unsorted_seconds", "x", {}, {2, 1});
  registry.histogram("nan_seconds", "x", {}, {NAN});

  const std::vector<std::string> expected = {
      "metric 'jobs_total': already registered as counter with labels [queue]",
      "metric 'jobs_total': already registered as counter with labels [queue]",
      "metric 'rpc_seconds': already registered as histogram with labels [] and other buckets",
      "metric 'rpc_seconds_count': sample name 'rpc_seconds_count' clashes with histogram "
      "'rpc_seconds'",
      "metric 'bad-name': invalid metric name",
      "metric 'ok_total': invalid label name '__reserved'",
      "metric 'dup_total': duplicate label name 'a'",
      "metric 'le_seconds': label name 'le' is reserved",
      "metric 'unsorted_seconds': histogram buckets must be finite and strictly increasing",
      "metric 'nan_seconds': histogram buckets must be finite and strictly increasing",
  };
  EXPECT_EQ(registry.errors(), expected);
  ASSERT_FALSE(registry.status().ok());
  EXPECT_EQ(registry.status().error().message(), expected.front());
  const std::string text = registry.render();
  EXPECT_NE(text.find("jobs_total{queue=\"a\"} 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("gauge"), std::string::npos) << text;
  EXPECT_EQ(text.find("bad-name"), std::string::npos) << text;
}

TEST(Registry, WrongLabelArityGoesToASinkAndIsReported) {
  Registry registry;
  auto& family = registry.counter("calls_total", "Calls.", {"method"});
  family.with({"a", "b"}).inc();
  family.with().inc();
  family.with({"GET"}).inc();
  EXPECT_EQ(family.arity_errors(), 2u);
  EXPECT_EQ(registry.render(),
            "# HELP calls_total Calls.\n# TYPE calls_total counter\n"
            "calls_total{method=\"GET\"} 1\n");
  ASSERT_FALSE(registry.status().ok());
  EXPECT_EQ(registry.status().error().message(),
            "metric 'calls_total': with() called 2 time(s) with a number of label values other "
            "than 1");
}

TEST(Registry, DefaultBucketsArePrometheusDefaults) {
  EXPECT_EQ(default_buckets(),
            (std::vector<double>{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}));
  Registry registry;
  registry.histogram("d_seconds", "D.", {}).with().observe(7);
  const std::string text = registry.render();
  EXPECT_NE(text.find("d_seconds_bucket{le=\"0.005\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_bucket{le=\"5\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_bucket{le=\"10\"} 1\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace stampede::prometheus
