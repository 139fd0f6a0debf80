// Requests of the local Kubernetes API before they reach the store: routing, content
// negotiation, list and watch options, filters and pod proxy names.
#include <gtest/gtest.h>

#include "common/http/test_client.h"
#include "targets/local/api/kube/kube_filter.h"
#include "targets/local/api/kube/kube_proxy.h"
#include "targets/local/api/kube/kube_request.h"
#include "targets/local/api/kube/kube_router.h"

namespace stampede::local::kube {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

Route route_of(bhttp::verb method, const std::string& target, bool extensions = true) {
  auto r = parse_kube_request(http::testing::TestClient::make_request(method, target));
  EXPECT_TRUE(r.ok()) << target;
  auto options = parse_list_options(r.value().query);
  return route(r.value(), options.ok() && options.value().watch, extensions);
}

TEST(Router, PathsGoWhereTheApiServerSendsThem) {
  using K = Route::Kind;
  EXPECT_EQ(route_of(bhttp::verb::get, "/version").kind, K::kVersion);
  EXPECT_EQ(route_of(bhttp::verb::get, "/livez/ping").kind, K::kHealth);
  EXPECT_EQ(route_of(bhttp::verb::get, "/api").kind, K::kApiVersions);
  EXPECT_EQ(route_of(bhttp::verb::get, "/apis").kind, K::kGroupList);
  EXPECT_EQ(route_of(bhttp::verb::get, "/apis/apps").kind, K::kGroup);
  EXPECT_EQ(route_of(bhttp::verb::get, "/api/v1").kind, K::kResourceList);
  EXPECT_EQ(route_of(bhttp::verb::get, "/apis/autoscaling/v2").kind, K::kResourceList);
  EXPECT_EQ(route_of(bhttp::verb::get, "/apis/autoscaling/v1").kind, K::kNotFound);
  EXPECT_EQ(route_of(bhttp::verb::get, "/apis/batch/v1").kind, K::kNotFound);
  EXPECT_EQ(route_of(bhttp::verb::get, "/api/v2").kind, K::kNotFound);
  EXPECT_EQ(route_of(bhttp::verb::get, "/openapi/v2").kind, K::kNotFound);

  Route list = route_of(bhttp::verb::get, "/api/v1/namespaces/default/pods");
  ASSERT_EQ(list.kind, K::kResource);
  EXPECT_EQ(list.resource->name, "pods");
  EXPECT_EQ(list.namespace_, "default");
  EXPECT_EQ(list.verb, "list");
  EXPECT_EQ(route_of(bhttp::verb::get, "/api/v1/namespaces/default/pods?watch=true").verb, "watch");
  Route all = route_of(bhttp::verb::get, "/api/v1/pods");
  EXPECT_EQ(all.kind, K::kResource);
  EXPECT_FALSE(all.namespaced_path);
  // A named namespaced object needs its namespace in the path.
  EXPECT_EQ(route_of(bhttp::verb::get, "/api/v1/pods/x").kind, K::kNotFound);
  Route ns = route_of(bhttp::verb::get, "/api/v1/namespaces/default");
  EXPECT_EQ(ns.resource->name, "namespaces");
  EXPECT_EQ(ns.name, "default");
  EXPECT_EQ(ns.verb, "get");
  Route scale =
      route_of(bhttp::verb::patch, "/apis/apps/v1/namespaces/default/deployments/f/scale");
  EXPECT_EQ(scale.resource->name, "deployments/scale");
  EXPECT_EQ(scale.subresource, "scale");
  EXPECT_EQ(scale.verb, "patch");
  EXPECT_EQ(route_of(bhttp::verb::delete_, "/api/v1/namespaces/default/pods/p").verb, "delete");
  EXPECT_EQ(route_of(bhttp::verb::delete_, "/api/v1/namespaces/default/pods").verb,
            "deletecollection");
  EXPECT_EQ(route_of(bhttp::verb::post, "/api/v1/namespaces/default/pods").verb, "create");
  EXPECT_EQ(route_of(bhttp::verb::get, "/api/v1/namespaces/default/pods/p/nope").kind,
            K::kNotFound);
  EXPECT_EQ(route_of(bhttp::verb::get, "/api/v1/namespaces/default/pods/p/log/more").kind,
            K::kNotFound);
}

TEST(Router, PodProxyKeepsThePathAsSent) {
  Route r =
      route_of(bhttp::verb::get, "/api/v1/namespaces/default/pods/p:metrics/proxy/a%2Fb/c?x=1");
  ASSERT_EQ(r.kind, Route::Kind::kResource);
  EXPECT_EQ(r.subresource, "proxy");
  EXPECT_EQ(r.name, "p:metrics");
  EXPECT_EQ(r.proxy_path, "/a%2Fb/c");
  EXPECT_EQ(route_of(bhttp::verb::post, "/api/v1/namespaces/default/pods/p/proxy").proxy_path, "/");
  ProxyName n = split_proxy_name("https:p:8443");
  EXPECT_EQ(n.scheme, "https");
  EXPECT_EQ(n.name, "p");
  EXPECT_EQ(n.port, "8443");
  EXPECT_EQ(split_proxy_name("p").port, "");
  EXPECT_FALSE(split_proxy_name("ftp:p:1").valid);
  EXPECT_FALSE(split_proxy_name(":1").valid);
}

TEST(Router, TheExtensionGroupOnlyWhenServed) {
  const std::string pause = "/apis/local.stampede.dev/v1/namespaces/default/pods/p/pause";
  EXPECT_EQ(route_of(bhttp::verb::post, pause, true).kind, Route::Kind::kResource);
  EXPECT_EQ(route_of(bhttp::verb::post, pause, true).verb, "create");
  EXPECT_EQ(route_of(bhttp::verb::post, pause, false).kind, Route::Kind::kNotFound);
  EXPECT_EQ(route_of(bhttp::verb::get, "/apis/local.stampede.dev", false).kind,
            Route::Kind::kNotFound);
}

TEST(Negotiation, TablesJsonAndNothingElse) {
  EXPECT_FALSE(negotiate("").table);
  EXPECT_TRUE(negotiate("").acceptable);
  Negotiated t = negotiate(
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
      "g=meta.k8s.io,application/json");
  EXPECT_TRUE(t.table);
  EXPECT_EQ(t.table_version, "meta.k8s.io/v1");
  EXPECT_EQ(content_type_of(t), "application/json;as=Table;v=v1;g=meta.k8s.io");
  EXPECT_EQ(negotiate("application/json; as=Table; v=v1beta1; g=meta.k8s.io").table_version,
            "meta.k8s.io/v1beta1");
  // kubectl's aggregated discovery asks first for a kind we do not make: plain JSON it is.
  Negotiated d = negotiate(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
  EXPECT_FALSE(d.table);
  EXPECT_TRUE(d.acceptable);
  EXPECT_TRUE(negotiate("application/json, */*").acceptable);
  EXPECT_FALSE(negotiate("application/vnd.kubernetes.protobuf").acceptable);
  EXPECT_FALSE(negotiate("application/json;as=APIGroupDiscoveryList").acceptable);
}

TEST(ListOptions, ParsedAsTheApiServerDoes) {
  auto q = http::parse_query(
      "labelSelector=app%3Dx&fieldSelector=status.phase%3DRunning&watch=1&resourceVersion=42&"
      "timeoutSeconds=5&allowWatchBookmarks=true&includeObject=Object&limit=500&continue=abc");
  auto o = parse_list_options(q.value());
  ASSERT_TRUE(o.ok()) << o.error().message();
  EXPECT_EQ(o.value().label_selector, "app=x");
  EXPECT_EQ(o.value().field_selector, "status.phase=Running");
  EXPECT_TRUE(o.value().watch);
  EXPECT_EQ(o.value().resource_version, 42u);
  EXPECT_EQ(o.value().timeout, std::chrono::seconds(5));
  EXPECT_TRUE(o.value().bookmarks);
  EXPECT_EQ(o.value().include, IncludeObject::kObject);
  auto zero = parse_list_options(http::parse_query("resourceVersion=0&timeoutSeconds=0").value());
  EXPECT_FALSE(zero.value().resource_version.has_value());  // "0": from now, with ADDED events
  EXPECT_EQ(zero.value().timeout, std::chrono::seconds(1800));
  for (const char* bad :
       {"watch=maybe", "resourceVersion=x", "resourceVersion=-1", "timeoutSeconds=soon",
        "includeObject=All", "resourceVersion=99999999999999999999999"}) {
    EXPECT_FALSE(parse_list_options(http::parse_query(bad).value()).ok()) << bad;
  }
}

TEST(Filter, NamespacesLabelsAndFields) {
  const ResourceInfo& pods = *find_resource("", "v1", "pods", true);
  json pod = {{"metadata",
               {{"name", "frontend-1"},
                {"namespace", "default"},
                {"labels", {{"app", "frontend"}, {"tier", "web"}}}}},
              {"spec", {{"nodeName", "stampede-local"}}},
              {"status", {{"phase", "Running"}}}};
  auto f = make_filter(pods, "default", "app in (frontend,cart),!canary",
                       "status.phase=Running,metadata.name!=x");
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_TRUE(f.value().matches(pod));
  EXPECT_FALSE(make_filter(pods, "other", "", "").value().matches(pod));
  EXPECT_TRUE(make_filter(pods, "", "", "spec.nodeName=stampede-local").value().matches(pod));
  EXPECT_FALSE(make_filter(pods, "", "tier=db", "").value().matches(pod));
  EXPECT_FALSE(make_filter(pods, "", "", "status.phase=Pending").value().matches(pod));
  EXPECT_EQ(make_filter(pods, "", "", "spec.nope=1").error().message(),
            "field label not supported: spec.nope");
  EXPECT_FALSE(make_filter(pods, "", "a in (b", "").ok());
  EXPECT_FALSE(make_filter(pods, "", "", "nothing").ok());
  const ResourceInfo& events = *find_resource("", "v1", "events", true);
  json event = {{"metadata", {{"name", "e"}, {"namespace", "default"}}},
                {"involvedObject", {{"kind", "Pod"}, {"name", "frontend-1"}}},
                {"source", {{"component", "kubelet"}}},
                {"reason", "Started"}};
  EXPECT_TRUE(
      make_filter(events, "", "", "involvedObject.name=frontend-1,source=kubelet,reason=Started")
          .value()
          .matches(event));
  EXPECT_FALSE(make_filter(pods, "", "", "involvedObject.name=x").ok());
  EXPECT_EQ(field_value(pod, "spec.hostNetwork"), "false");
}

TEST(Request, MalformedTargetsAreErrors) {
  auto bad = parse_kube_request(
      http::testing::TestClient::make_request(bhttp::verb::get, "/api/v1/pods/%zz"));
  EXPECT_FALSE(bad.ok());
  auto decoded = parse_kube_request(http::testing::TestClient::make_request(
      bhttp::verb::get, "/api/v1/namespaces/default/pods/a%3Ab?x=1"));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().segments.back(), "a:b");
  EXPECT_EQ(decoded.value().raw_query, "x=1");
}

}  // namespace
}  // namespace stampede::local::kube
