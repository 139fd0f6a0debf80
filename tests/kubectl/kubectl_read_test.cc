// The real kubectl reading the local runtime's Kubernetes API: discovery, versions, every
// resource as JSON (its Kubernetes shape) and as the server-side printed table, top, the
// admin-token Secret, pods/proxy, and bad requests answered with kubectl's own error texts.
#include <fstream>

#include "tests/kubectl/kubectl_fixture.h"

namespace kubectl_test {
namespace {

using runtime_test::eventually;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The header line of a table kubectl printed, split on runs of spaces.
std::string header_of(const std::string& out) {
  return out.substr(0, out.find('\n'));
}

TEST_F(KubectlTest, VersionAndDiscovery) {
  json version = kubectl_json({"version"});
  EXPECT_EQ(version["serverVersion"]["gitVersion"], "v1.31.0-stampede");
  EXPECT_EQ(version["serverVersion"]["minor"], "31");
  KubectlResult resources = kubectl({"api-resources"});
  ASSERT_EQ(resources.exit_code, 0) << resources.describe();
  for (const char* line : {"pods",        "po",
                           "deployments", "deploy",
                           "apps/v1",     "replicasets",
                           "rs",          "horizontalpodautoscalers",
                           "hpa",         "autoscaling/v2",
                           "events",      "ev",
                           "endpoints",   "ep",
                           "services",    "svc",
                           "namespaces",  "ns",
                           "secrets",     "metrics.k8s.io/v1beta1",
                           "PodMetrics"}) {
    EXPECT_TRUE(contains(resources.out, line)) << line << "\n" << resources.out;
  }
  KubectlResult versions = kubectl({"api-versions"});
  ASSERT_EQ(versions.exit_code, 0) << versions.describe();
  for (const char* gv :
       {"v1", "apps/v1", "autoscaling/v2", "metrics.k8s.io/v1beta1", "local.stampede.dev/v1"}) {
    EXPECT_TRUE(contains(versions.out, gv)) << gv << "\n" << versions.out;
  }
}

TEST_F(KubectlTest, PodsHaveKubernetesShapes) {
  json pods = kubectl_json({"get", "pods"});
  ASSERT_EQ(pods["items"].size(), 2u) << pods.dump(2);
  // kubectl prints its own List; the API's own carries the store's resourceVersion.
  KubectlResult raw = kubectl({"get", "--raw", "/api/v1/namespaces/default/pods"});
  json list = json::parse(raw.out, nullptr, false);
  ASSERT_TRUE(list.is_object()) << raw.describe();
  EXPECT_EQ(list["kind"], "PodList");
  EXPECT_FALSE(list["metadata"]["resourceVersion"].get<std::string>().empty());
  EXPECT_FALSE(list["items"][0].contains("kind"));  // items carry no kind, as the API's don't
  for (const json& p : pods["items"]) {
    const json& meta = p["metadata"];
    std::string app = meta["labels"]["app"];
    std::string hash = meta["labels"]["pod-template-hash"];
    EXPECT_EQ(meta["namespace"], "default");
    EXPECT_EQ(meta["labels"]["app.kubernetes.io/component"], app);
    EXPECT_EQ(meta["generateName"], app + "-" + hash + "-");
    ASSERT_EQ(meta["ownerReferences"].size(), 1u);
    EXPECT_EQ(meta["ownerReferences"][0]["kind"], "ReplicaSet");
    EXPECT_EQ(meta["ownerReferences"][0]["name"], app + "-" + hash);
    EXPECT_EQ(meta["ownerReferences"][0]["controller"], true);
    EXPECT_EQ(meta["uid"].get<std::string>().size(), 36u);
    const json& spec = p["spec"];
    EXPECT_EQ(spec["restartPolicy"], "Always");
    EXPECT_EQ(spec["nodeName"], "stampede-local");
    EXPECT_EQ(spec["terminationGracePeriodSeconds"], 3);
    const json& c = spec["containers"][0];
    EXPECT_EQ(c["name"], app);
    EXPECT_GT(c["ports"][0]["hostPort"].get<int>(), 0);
    EXPECT_EQ(c["ports"][0]["protocol"], "TCP");
    EXPECT_TRUE(c["readinessProbe"]["periodSeconds"] == 1) << c.dump(2);
    EXPECT_TRUE(c["resources"]["requests"].contains("cpu"));
    const json& status = p["status"];
    EXPECT_EQ(status["phase"], "Running");
    EXPECT_EQ(status["podIP"], "127.0.0.1");
    std::map<std::string, std::string> conditions;
    for (const json& cond : status["conditions"]) conditions[cond["type"]] = cond["status"];
    EXPECT_EQ(conditions["Ready"], "True") << status.dump(2);
    EXPECT_EQ(conditions["ContainersReady"], "True");
    EXPECT_EQ(conditions["PodScheduled"], "True");
    EXPECT_EQ(conditions["Initialized"], "True");
    const json& cs = status["containerStatuses"][0];
    EXPECT_EQ(cs["ready"], true);
    EXPECT_EQ(cs["restartCount"], 0);
    EXPECT_TRUE(cs["state"].contains("running")) << cs.dump(2);
    EXPECT_EQ(cs["containerID"].get<std::string>().rfind("local://", 0), 0u);
    EXPECT_EQ(status["qosClass"], "Burstable");
  }
  // The same pod, one at a time and by field selector, as `kubectl delete --wait` asks for it.
  std::string name = pods["items"][0]["metadata"]["name"];
  EXPECT_EQ(kubectl_json({"get", "pod", name})["metadata"]["name"], name);
  json one = kubectl_json({"get", "pods", "--field-selector", "metadata.name=" + name});
  EXPECT_EQ(one["items"].size(), 1u);
  json running = kubectl_json({"get", "pods", "--field-selector", "status.phase=Running"});
  EXPECT_EQ(running["items"].size(), 2u);
  json set_based = kubectl_json({"get", "pods", "-l", "app in (frontend, cart),tier notin (db)"});
  EXPECT_EQ(set_based["items"].size(), 1u);
}

TEST_F(KubectlTest, TablesAreKubernetesOwn) {
  KubectlResult wide = kubectl({"get", "pods", "-o", "wide"});
  ASSERT_EQ(wide.exit_code, 0) << wide.describe();
  EXPECT_TRUE(contains(header_of(wide.out), "NAME")) << wide.out;
  for (const char* column :
       {"READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"}) {
    EXPECT_TRUE(contains(header_of(wide.out), column)) << column << "\n" << wide.out;
  }
  EXPECT_TRUE(contains(wide.out, "1/1     Running")) << wide.out;
  EXPECT_TRUE(contains(wide.out, "stampede-local")) << wide.out;

  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> header;
    std::string row;
  };
  const Case cases[] = {
      {{"get", "deploy"}, {"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"}, "frontend "},
      {{"get", "deploy", "-o", "wide"}, {"CONTAINERS", "IMAGES", "SELECTOR"}, "app=frontend"},
      {{"get", "rs"}, {"NAME", "DESIRED", "CURRENT", "READY", "AGE"}, "productcatalog-"},
      {{"get", "svc"},
       {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"},
       "ClusterIP   127.0.0.1"},
      {{"get", "endpoints"}, {"NAME", "ENDPOINTS", "AGE"}, "127.0.0.1:"},
      {{"get", "endpointslices"},
       {"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"},
       "IPv4          "},
      {{"describe", "svc", "frontend"}, {"Name:"}, "Endpoints:                127.0.0.1:"},
      {{"describe", "deploy", "frontend"}, {"Name:"}, "NewReplicaSet:   frontend-"},
      {{"describe", "pod", "-l", "app=frontend"}, {"Name:"}, "Started container frontend"},
      {{"get", "events"},
       {"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"},
       "Started container frontend"},
      {{"get", "ns"}, {"NAME", "STATUS", "AGE"}, "default   Active"},
      {{"get", "secrets"}, {"NAME", "TYPE", "DATA", "AGE"}, "admin-token   Opaque   1"},
      {{"get", "pods", "-A"}, {"NAMESPACE", "NAME"}, "default"},
  };
  for (const Case& c : cases) {
    KubectlResult r = kubectl(c.args);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    for (const std::string& column : c.header) {
      EXPECT_TRUE(contains(header_of(r.out), column)) << column << "\n" << r.out;
    }
    EXPECT_TRUE(contains(r.out, c.row)) << c.row << "\n" << r.out;
  }
  // The events of a pod, in Kubernetes' words.
  json events = kubectl_json({"get", "events", "--field-selector", "reason=SuccessfulCreate"});
  ASSERT_GE(events["items"].size(), 2u) << events.dump(2);
  const json& e = events["items"][0];
  EXPECT_EQ(e["involvedObject"]["kind"], "ReplicaSet");
  EXPECT_EQ(e["source"]["component"], "replicaset-controller");
  EXPECT_EQ(e["type"], "Normal");
  EXPECT_EQ(e["count"], 1);
  EXPECT_TRUE(e["eventTime"].is_string());
  EXPECT_EQ(e["message"].get<std::string>().rfind("Created pod: ", 0), 0u);
}

TEST_F(KubectlTest, DeploymentsServicesAndEndpoints) {
  json d = kubectl_json({"get", "deploy", "frontend"});
  EXPECT_EQ(d["spec"]["replicas"], 1);
  EXPECT_EQ(d["spec"]["selector"]["matchLabels"]["app"], "frontend");
  EXPECT_EQ(d["spec"]["strategy"]["type"], "RollingUpdate");
  EXPECT_EQ(d["spec"]["strategy"]["rollingUpdate"]["maxSurge"], 1);
  EXPECT_EQ(d["metadata"]["generation"], d["status"]["observedGeneration"]);
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(d["status"]["readyReplicas"], 1);
  EXPECT_EQ(d["status"]["availableReplicas"], 1);
  std::map<std::string, std::string> reasons;
  for (const json& c : d["status"]["conditions"]) reasons[c["type"]] = c["reason"];
  EXPECT_EQ(reasons["Available"], "MinimumReplicasAvailable");
  EXPECT_EQ(reasons["Progressing"], "NewReplicaSetAvailable");
  KubectlResult raw =
      kubectl({"get", "--raw", "/apis/apps/v1/namespaces/default/deployments/frontend/scale"});
  json scale = json::parse(raw.out, nullptr, false);
  ASSERT_TRUE(scale.is_object()) << raw.describe();
  EXPECT_EQ(scale["kind"], "Scale");
  EXPECT_EQ(scale["apiVersion"], "autoscaling/v1");
  EXPECT_EQ(scale["spec"]["replicas"], 1);
  EXPECT_EQ(scale["status"]["selector"], "app=frontend");
  json svc = kubectl_json({"get", "svc", "frontend"});
  EXPECT_EQ(svc["spec"]["clusterIP"], "127.0.0.1");
  EXPECT_EQ(svc["spec"]["ports"][0]["port"], shop_->service_port("frontend"));
  EXPECT_EQ(svc["spec"]["ports"][0]["targetPort"], "http");
  EXPECT_EQ(svc["spec"]["selector"]["app"], "frontend");
  json ep = kubectl_json({"get", "endpoints", "frontend"});
  ASSERT_EQ(ep["subsets"].size(), 1u) << ep.dump(2);
  const json& address = ep["subsets"][0]["addresses"][0];
  EXPECT_EQ(address["targetRef"]["kind"], "Pod");
  EXPECT_EQ(address["targetRef"]["name"], pod_names("frontend").at(0));
  EXPECT_EQ(
      ep["subsets"][0]["ports"][0]["port"],
      kubectl_json({"get", "pods", "-l",
                    "app=frontend"})["items"][0]["spec"]["containers"][0]["ports"][0]["hostPort"]);
  json rs = kubectl_json({"get", "rs", "-l", "app=frontend"});
  ASSERT_EQ(rs["items"].size(), 1u);
  EXPECT_EQ(rs["items"][0]["metadata"]["ownerReferences"][0]["kind"], "Deployment");
  EXPECT_EQ(rs["items"][0]["status"]["readyReplicas"], 1);
}

TEST_F(KubectlTest, TopPodReadsPodMetrics) {
  KubectlResult top;
  // CPU is known after two samples (a second apart).
  ASSERT_TRUE(eventually(
      [&] {
        top = kubectl({"top", "pod"});
        return top.exit_code == 0 && contains(top.out, "frontend-") &&
               contains(top.out, "productcatalog-");
      },
      std::chrono::seconds(20)))
      << top.describe();
  EXPECT_TRUE(contains(header_of(top.out), "CPU(cores)")) << top.out;
  EXPECT_TRUE(contains(top.out, "Mi")) << top.out;  // memory from VmRSS
}

TEST_F(KubectlTest, TheAdminTokenSecret) {
  json secret = kubectl_json({"get", "secret", "admin-token"});
  EXPECT_EQ(secret["type"], "Opaque");
  ASSERT_TRUE(secret["data"]["admin-token"].is_string());
  KubectlResult decoded = kubectl({"get", "secret", "admin-token", "-o",
                                   "go-template={{index .data \"admin-token\" | base64decode}}"});
  ASSERT_EQ(decoded.exit_code, 0) << decoded.describe();
  // It is the token the pods were given as ADMIN_TOKEN (what their fault knobs answer to).
  json pods = shop_->pods("productcatalog");
  ASSERT_EQ(pods.size(), 1u);
  std::ifstream environ("/proc/" + std::to_string(pods[0]["pid"].get<int>()) + "/environ");
  std::string env((std::istreambuf_iterator<char>(environ)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(contains(env, std::string("ADMIN_TOKEN=") + decoded.out + '\0')) << decoded.out;
}

TEST_F(KubectlTest, PodProxyReachesThePod) {
  std::string frontend = pod_names("frontend").at(0);
  std::string catalog = pod_names("productcatalog").at(0);
  KubectlResult health =
      kubectl({"get", "--raw", "/api/v1/namespaces/default/pods/" + frontend + "/proxy/_healthz"});
  EXPECT_EQ(health.exit_code, 0) << health.describe();
  EXPECT_TRUE(contains(health.out, "ok")) << health.describe();
  KubectlResult metrics = kubectl(
      {"get", "--raw", "/api/v1/namespaces/default/pods/" + catalog + ":metrics/proxy/metrics"});
  EXPECT_EQ(metrics.exit_code, 0) << metrics.describe();
  EXPECT_TRUE(contains(metrics.out, "# TYPE")) << metrics.describe();
  KubectlResult by_number = kubectl(
      {"get", "--raw", "/api/v1/namespaces/default/pods/http:" + catalog + ":9464/proxy/metrics"});
  EXPECT_EQ(by_number.exit_code, 0) << by_number.describe();
  KubectlResult no_port =
      kubectl({"get", "--raw", "/api/v1/namespaces/default/pods/" + catalog + ":nope/proxy/"});
  EXPECT_NE(no_port.exit_code, 0);
  EXPECT_TRUE(contains(no_port.err, "BadRequest")) << no_port.describe();
  KubectlResult no_pod = kubectl({"get", "--raw", "/api/v1/namespaces/default/pods/nope/proxy/"});
  EXPECT_TRUE(contains(no_pod.err, "(NotFound): pods \"nope\" not found")) << no_pod.describe();
}

TEST_F(KubectlTest, BadRequestsGetKubectlsErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const Case cases[] = {
      {{"get", "foo"}, "the server doesn't have a resource type \"foo\""},
      {{"get", "pod", "nope"}, "Error from server (NotFound): pods \"nope\" not found"},
      {{"get", "deploy", "nope"},
       "Error from server (NotFound): deployments.apps \"nope\" not found"},
      {{"get", "pod", "nope", "-n", "other"}, "(NotFound)"},
      {{"get", "pods", "-l", "a in (b"}, "(BadRequest)"},
      {{"get", "pods", "--field-selector", "spec.nope=x"}, "field label not supported: spec.nope"},
      {{"create", "deployment", "x", "--image", "y"},
       "the server does not allow this method on the requested resource"},
      {{"delete", "svc", "frontend"}, "(MethodNotAllowed)"},
      {{"get", "--raw", "/api/v1/nothing"}, "(NotFound)"},
      {{"get", "--raw", "/openapi/v2"}, "(NotFound)"},
  };
  for (const Case& c : cases) {
    KubectlResult r = kubectl(c.args);
    EXPECT_NE(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(contains(r.err, c.err)) << c.err << "\n" << r.describe();
  }
  KubectlResult other = kubectl({"get", "pods", "-n", "other"});
  EXPECT_EQ(other.exit_code, 0) << other.describe();
  EXPECT_TRUE(contains(other.err, "No resources found in other namespace.")) << other.describe();
  // A wrong token: a copy of the kubeconfig with another one.
  std::ifstream in(shop_->state_dir() + "/kubeconfig");
  std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = config.find(shop_->info().token);
  ASSERT_NE(at, std::string::npos);
  config.replace(at, shop_->info().token.size(), "not-the-token");
  Kubectl wrong(shop_->dir().write("wrong-kubeconfig", config), shop_->dir().path() / "wrong");
  KubectlResult denied = wrong.run({"get", "pods"});
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_TRUE(contains(denied.err, "You must be logged in to the server")) << denied.describe();
}

}  // namespace
}  // namespace kubectl_test
