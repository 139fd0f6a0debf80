// What requests mean (verb, resource, namespace), paths and queries, base64, server URLs, and
// the messages ApiError builds from Status answers.
#include "targets/kubernetes/request_info.h"

#include <gtest/gtest.h>

#include "targets/kubernetes/api_error.h"
#include "targets/kubernetes/base64.h"
#include "targets/kubernetes/rest_config.h"
#include "targets/kubernetes/testing/fixtures.h"

namespace stampede::kube {
namespace {

struct Case {
  const char* method;
  const char* target;
  const char* verb;
  const char* group;
  const char* ns;
  const char* resource;
  const char* name;
  const char* sub;
  const char* described;
};

TEST(DescribeRequest, ReadsVerbsAndResourcesAsTheApiServerDoes) {
  const Case cases[] = {
      {"GET", "/api/v1/namespaces/shop/pods", "list", "", "shop", "pods", "", "",
       "list pods in namespace shop"},
      {"GET", "/api/v1/namespaces/shop/pods?watch=1&resourceVersion=5", "watch", "", "shop", "pods",
       "", "", "watch pods in namespace shop"},
      {"GET", "/api/v1/pods?watch=true", "watch", "", "", "pods", "", "", "watch pods"},
      {"GET", "/api/v1/watch/namespaces/shop/pods", "watch", "", "shop", "pods", "", "",
       "watch pods in namespace shop"},
      {"GET", "/api/v1/namespaces/shop/pods/cart-1", "get", "", "shop", "pods", "cart-1", "",
       "get pods \"cart-1\" in namespace shop"},
      {"DELETE", "/api/v1/namespaces/default/pods/frontend-1", "delete", "", "default", "pods",
       "frontend-1", "", "delete pods \"frontend-1\" in namespace default"},
      {"DELETE", "/api/v1/namespaces/shop/pods?labelSelector=app%3Dcart", "deletecollection", "",
       "shop", "pods", "", "", "deletecollection pods in namespace shop"},
      {"POST", "/api/v1/namespaces/shop/pods", "create", "", "shop", "pods", "", "",
       "create pods in namespace shop"},
      {"PUT", "/api/v1/namespaces/shop/configmaps/x", "update", "", "shop", "configmaps", "x", "",
       "update configmaps \"x\" in namespace shop"},
      {"PATCH", "/apis/apps/v1/namespaces/shop/deployments/cart/scale", "patch", "apps", "shop",
       "deployments", "cart", "scale", "patch deployments.apps/scale \"cart\" in namespace shop"},
      {"GET", "/api/v1/namespaces/shop/pods/cart-1/log?follow=true", "get", "", "shop", "pods",
       "cart-1", "log", "get pods/log \"cart-1\" in namespace shop"},
      {"GET", "/api/v1/namespaces/shop/pods/cart-1:9090/proxy/debug/faults", "get", "", "shop",
       "pods", "cart-1:9090", "proxy", "get pods/proxy \"cart-1:9090\" in namespace shop"},
      {"GET", "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers", "list",
       "autoscaling", "shop", "horizontalpodautoscalers", "", "",
       "list horizontalpodautoscalers.autoscaling in namespace shop"},
      {"GET", "/api/v1/namespaces", "list", "", "", "namespaces", "", "", "list namespaces"},
      {"GET", "/api/v1/namespaces/shop", "get", "", "shop", "namespaces", "shop", "",
       "get namespaces \"shop\""},
      {"PUT", "/api/v1/namespaces/shop/finalize", "update", "", "shop", "namespaces", "shop",
       "finalize", "update namespaces/finalize \"shop\""},
      {"GET", "/api/v1/nodes/kind-worker", "get", "", "", "nodes", "kind-worker", "",
       "get nodes \"kind-worker\""},
  };
  for (const Case& c : cases) {
    RequestInfo info = describe_request(c.method, c.target);
    SCOPED_TRACE(c.target);
    EXPECT_TRUE(info.is_resource_request);
    EXPECT_EQ(info.verb, c.verb);
    EXPECT_EQ(info.ref.group, c.group);
    EXPECT_EQ(info.ref.version, info.ref.group.empty() ? "v1" : info.ref.version);
    EXPECT_EQ(info.ref.namespace_name, c.ns);
    EXPECT_EQ(info.ref.resource, c.resource);
    EXPECT_EQ(info.ref.name, c.name);
    EXPECT_EQ(info.ref.subresource, c.sub);
    EXPECT_EQ(info.describe(), c.described);
  }
  for (const char* path : {"/version", "/healthz", "/api", "/apis", "/apis/apps/v1", "/api/v1"}) {
    RequestInfo info = describe_request("GET", path);
    EXPECT_FALSE(info.is_resource_request) << path;
    EXPECT_EQ(info.verb, "get") << path;
    EXPECT_EQ(info.describe(), std::string("GET ") + path);
  }
}

TEST(ResourcePath, BuildsCoreAndGroupPaths) {
  EXPECT_EQ(resource_path({"", "v1", "shop", "pods", "", ""}), "/api/v1/namespaces/shop/pods");
  EXPECT_EQ(resource_path({"apps", "v1", "shop", "deployments", "cart", "scale"}),
            "/apis/apps/v1/namespaces/shop/deployments/cart/scale");
  EXPECT_EQ(resource_path({"", "v1", "", "nodes", "", ""}), "/api/v1/nodes");
  RequestInfo back =
      describe_request("GET", resource_path({"apps", "v1", "x", "deployments", "d", ""}));
  EXPECT_EQ(back.ref.name, "d");
  EXPECT_EQ(back.ref.group, "apps");
}

TEST(Query, PercentEncodesSelectors) {
  Query q;
  q.add("labelSelector", "app=cart,tier in (a, b)")
      .add("limit", "500")
      .add("continue", "eyJ2Ijo/+");
  EXPECT_EQ(
      q.encode(),
      "labelSelector=app%3Dcart%2Ctier%20in%20%28a%2C%20b%29&limit=500&continue=eyJ2Ijo%2F%2B");
  EXPECT_EQ(Query{}.encode(), "");
  EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
}

TEST(Base64, DecodesLikeGo) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_decode("Zm9vYmFy").value(), "foobar");
  EXPECT_EQ(base64_decode("Zm9v\nYmE=\r\n").value(), "fooba");  // line breaks are skipped
  EXPECT_EQ(base64_decode("Zm8").value(), "fo");                // padding may be left out
  EXPECT_FALSE(base64_decode("Zm9v YmFy").has_value());
  EXPECT_FALSE(base64_decode("not base64!").has_value());
  EXPECT_FALSE(base64_decode("Z").has_value());
  EXPECT_FALSE(base64_decode("Zg==Zg").has_value());
  EXPECT_EQ(base64url_decode("-_8").value(), "\xfb\xff");
  EXPECT_FALSE(base64url_decode("+/8").has_value());
}

TEST(ServerUrl, ParsesWhatKubeconfigsHold) {
  auto a = parse_server_url("https://10.0.0.1:6443");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value().host, "10.0.0.1");
  EXPECT_EQ(a.value().port, 6443);
  EXPECT_EQ(a.value().base(), "https://10.0.0.1:6443");
  auto b = parse_server_url("https://[fd00::1]/k8s/clusters/c-1/");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().host, "fd00::1");
  EXPECT_EQ(b.value().port, 443);
  EXPECT_EQ(b.value().prefix, "/k8s/clusters/c-1");
  EXPECT_EQ(b.value().base(), "https://[fd00::1]:443/k8s/clusters/c-1");
  EXPECT_EQ(parse_server_url("http://localhost").value().port, 80);
  EXPECT_EQ(parse_server_url("ftp://x").error().message(),
            "server \"ftp://x\": the scheme must be https or http");
  EXPECT_EQ(parse_server_url("https://h:99999").error().message(),
            "server \"https://h:99999\": bad port '99999'");
  EXPECT_FALSE(parse_server_url("10.0.0.1:6443").ok());
  EXPECT_FALSE(parse_server_url("https://").ok());
}

TEST(ApiErrorMessage, NamesTheObjectTheVerbAndTheApiServersWords) {
  ErrorContext context{"kubeconfig /x/config, context kind-kind", "https://127.0.0.1:6443"};
  RequestInfo del =
      describe_request("DELETE", "/api/v1/namespaces/shop/pods/cartservice-6d9f7c5b8d-x7k2p");
  ApiError not_found =
      error_from_response(del, 404, testing::fixture_text("status_404.json"), context);
  EXPECT_EQ(not_found.message(),
            "delete pods \"cartservice-6d9f7c5b8d-x7k2p\" in namespace shop: pods "
            "\"cartservice-6d9f7c5b8d-x7k2p\" not found (NotFound, 404)");
  EXPECT_TRUE(not_found.is_not_found());
  ASSERT_TRUE(not_found.status().has_value());
  EXPECT_EQ(not_found.status()->name, "cartservice-6d9f7c5b8d-x7k2p");
  EXPECT_EQ(not_found.reason(), "NotFound");

  ApiError forbidden =
      error_from_response(del, 403, testing::fixture_text("status_403.json"), context);
  EXPECT_EQ(forbidden.message(),
            "delete pods \"cartservice-6d9f7c5b8d-x7k2p\" in namespace shop: forbidden (403): the "
            "credentials (kubeconfig /x/config, context kind-kind) may not \"delete\" \"pods\" in "
            "namespace \"shop\" — grant it in the runner's Role (stampede rbac SCRIPT prints the "
            "rules) (the API server said: pods \"cartservice-6d9f7c5b8d-x7k2p\" is forbidden: User "
            "\"system:serviceaccount:shop:stampede-runner\" cannot delete resource \"pods\" in API "
            "group \"\" in the namespace \"shop\")");

  RequestInfo scale =
      describe_request("PATCH", "/apis/apps/v1/namespaces/shop/deployments/cartservice/scale");
  EXPECT_EQ(rbac_explanation(scale, "in-cluster service account"),
            "the credentials (in-cluster service account) may not \"patch\" \"deployments/scale\" "
            "in API group \"apps\" in namespace \"shop\"");
  EXPECT_EQ(rbac_explanation(describe_request("GET", "/api/v1/nodes"), ""),
            "the credentials may not \"list\" \"nodes\" at the cluster scope");

  RequestInfo put =
      describe_request("PUT", "/apis/apps/v1/namespaces/shop/deployments/cartservice");
  ApiError invalid =
      error_from_response(put, 422, testing::fixture_text("status_422.json"), context);
  EXPECT_EQ(invalid.message(),
            "update deployments.apps \"cartservice\" in namespace shop: Deployment.apps "
            "\"cartservice\" is invalid: spec.replicas: Invalid value: -1: must be greater than or "
            "equal to 0 (Invalid, 422)");
  ASSERT_EQ(invalid.status()->causes.size(), 1u);
  EXPECT_EQ(invalid.status()->causes[0].field, "spec.replicas");

  ApiError unauthorized =
      error_from_response(del, 401, testing::fixture_text("status_401.json"), context);
  EXPECT_EQ(unauthorized.message(),
            "delete pods \"cartservice-6d9f7c5b8d-x7k2p\" in namespace shop: unauthorized (401): "
            "the API server rejected the credentials (kubeconfig /x/config, context kind-kind); "
            "they may have expired or belong to another cluster");

  ApiError busy = error_from_response(describe_request("GET", "/api/v1/namespaces/shop/pods"), 429,
                                      testing::fixture_text("status_429.json"), context);
  EXPECT_EQ(busy.message(),
            "list pods in namespace shop: Too many requests, please try again later. "
            "(TooManyRequests, 429), retry after 1s");

  ApiError html = error_from_response(describe_request("GET", "/version"), 502,
                                      "<html>\n<body>Bad   Gateway</body>\n</html>\n", context);
  // Not a Status (a proxy's page): its text, on one line, with client-go's reason for the code.
  EXPECT_EQ(html.message(), "GET /version: <html> <body>Bad Gateway</body> </html> (Unknown, 502)");
  EXPECT_FALSE(html.status().has_value());
}

}  // namespace
}  // namespace stampede::kube
