// The reads of the local Kubernetes API, all served from the object store (never from the
// runtime's control thread): get and list as the objects and their List kinds (items without
// kind/apiVersion, metadata.resourceVersion the store's) or as meta.k8s.io Tables, watches
// through the watch hub, and pods/log. Objects outside namespace `default` do not exist: a
// named one is 404, a list is empty. A list with a resourceVersion is served from now (the
// store keeps no old states). Thread-safe.
#pragma once

#include "common/http/server.h"
#include "targets/local/api/kube/kube_logs.h"
#include "targets/local/api/kube/kube_router.h"
#include "targets/local/api/kube/kube_store.h"
#include "targets/local/api/kube/kube_watch.h"

namespace stampede::local::kube {

// The reads (see above). Holds references only; thread-safe.
class KubeReads {
 public:
  // Everything must outlive the reads.
  KubeReads(const ObjectStore& store, WatchHub& hub, const LogIndex& logs, LogStreamer& streamer)
      : store_(store), hub_(hub), logs_(logs), streamer_(streamer) {}

  http::Reply get(const http::Request& request, const Route& route, const Negotiated& format,
                  const ListOptions& options);
  http::Reply list(const http::Request& request, const Route& route, const Negotiated& format,
                   const ListOptions& options);
  http::Reply watch(const http::Request& request, const Route& route, const Negotiated& format,
                    const ListOptions& options);
  http::Reply logs(const http::Request& request, const KubeRequest& r, const Route& route);

 private:
  const ObjectStore& store_;
  WatchHub& hub_;
  const LogIndex& logs_;
  LogStreamer& streamer_;
};

}  // namespace stampede::local::kube
