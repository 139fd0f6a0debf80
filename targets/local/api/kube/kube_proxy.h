// pods/proxy: /api/v1/namespaces/default/pods/{name}[:{port}]/proxy[/{path}] (also
// {scheme}:{name}:{port}), where the port is a container port name or the chart's
// containerPort number (default: the first port). The method, path, query, body and request
// headers go to 127.0.0.1:<the pod's own loopback port> — minus Authorization (the API server
// keeps the credential it authenticated), Host and the hop-by-hop headers — and the pod's
// status, headers and body come back. A pod that is not there is 404, a port it does not have
// 400, a pod with no running container or a refused connection 503 ("error trying to reach
// service: ..."). Blocks the calling handler thread for up to 60 s. Thread-safe.
#pragma once

#include "common/http/server.h"
#include "targets/local/api/kube/kube_router.h"
#include "targets/local/api/kube/kube_store.h"

namespace stampede::local::kube {

// The parts of a pods/proxy name; a plain value.
struct ProxyName {
  std::string scheme;  // "" or "http"/"https"
  std::string name;
  std::string port;  // "" for the first port
  bool valid = true;
};
// Splits "name", "name:port" or "scheme:name:port".
ProxyName split_proxy_name(const std::string& text);

http::Reply proxy_to_pod(const http::Request& request, const KubeRequest& r, const Route& route,
                         const ObjectStore& store);

}  // namespace stampede::local::kube
