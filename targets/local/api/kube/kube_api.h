// KubeApi: the Kubernetes API that `stampede up` serves beside its /v1 control API (the same
// port and bearer token; docs/local-runtime-api.md), faithful enough for kubectl 1.31 and for
// stampede's one Kubernetes client. It owns the object store, the renderer (installed as the
// runtime's observer, so objects follow the runtime within a tick), the watch hub and the log
// streamer. handle() answers every request whose path is not under /v1: discovery, /version,
// the health checks (the last three also without a token, as kube-apiserver allows anonymous
// access to them), reads, watches, writes, pods/log and pods/proxy; every error is a Status.
// Thread-safe: handle() runs on the API's handler threads; stop() must not run in a handler.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/http/server.h"
#include "common/result.h"
#include "targets/local/api/kube/kube_actions.h"
#include "targets/local/api/kube/kube_logs.h"
#include "targets/local/api/kube/kube_reads.h"
#include "targets/local/api/kube/kube_renderer.h"
#include "targets/local/api/kube/kube_store.h"
#include "targets/local/api/kube/kube_watch.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

// How start() sets the API up.
struct KubeApiOptions {
  std::string token;       // the bearer token (the control API's)
  bool extensions = true;  // serve local.stampede.dev/v1
  size_t history = 10000;  // changes kept for watches
};

// The facade (see above): owns the store, renderer, hub and streamer; thread-safe.
class KubeApi {
 public:
  // Renders the runtime's objects once and installs the renderer as its observer.
  // Errors: the runtime did not answer.
  static Result<std::unique_ptr<KubeApi>> start(Runtime& runtime, KubeApiOptions options);
  ~KubeApi();  // stop()
  KubeApi(const KubeApi&) = delete;
  KubeApi& operator=(const KubeApi&) = delete;

  // Answers one request (any path outside /v1).
  http::Reply handle(const http::Request& request);
  // The port the API listens on (for discovery's serverAddressByClientCIDRs).
  void set_port(uint16_t port) { port_ = port; }
  // Removes the observer, ends every watch and followed log; idempotent. Call before the
  // runtime stops.
  void stop();

  const ObjectStore& store() const { return store_; }

 private:
  KubeApi(Runtime& runtime, KubeApiOptions options, RenderContext ctx);
  http::Reply dispatch(const http::Request& request, const KubeRequest& r);

  Runtime& rt_;
  const KubeApiOptions options_;
  ObjectStore store_;
  LogIndex logs_;
  KubeRenderer renderer_;
  WatchHub hub_;
  LogStreamer streamer_;
  KubeReads reads_;
  KubeActions actions_;
  std::atomic<uint16_t> port_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace stampede::local::kube
