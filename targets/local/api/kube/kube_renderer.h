// KubeRenderer: renders the Kubernetes objects from the runtime's state into the object store,
// on the runtime's control thread — after a tick or a call, when something moved (the event
// log's next sequence number, an HPA sync) or a second has passed (availability that comes with
// time, CPU metrics), and at once after an action through the Kubernetes API. The store numbers
// only the objects that changed. Not thread-safe: control thread only.
#pragma once

#include <cstdint>

#include "targets/local/api/kube/kube_logs.h"
#include "targets/local/api/kube/kube_store.h"
#include "targets/local/api/kube/render_context.h"
#include "targets/local/api/kube/render_events.h"
#include "targets/local/api/kube/render_hpa.h"
#include "targets/local/api/kube/render_workloads.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

// The renderer (see above); owns what it remembers between renders. Control thread only.
class KubeRenderer {
 public:
  // The store and the log index must outlive the renderer.
  KubeRenderer(Runtime& runtime, ObjectStore& store, LogIndex& logs, RenderContext ctx);

  // The runtime's observer: renders when something moved.
  void observe();
  // Renders now (after an action, so that the answer is the object as it is now).
  void render_now();
  const RenderContext& context() const { return ctx_; }

 private:
  void render(int64_t now_ns);
  uint64_t hpa_syncs() const;

  Runtime& rt_;
  ObjectStore& store_;
  LogIndex& logs_;
  const RenderContext ctx_;
  WorkloadRenderer workloads_;
  HpaRenderer hpas_;
  EventTranslator events_;
  uint64_t seen_seq_ = 0;
  uint64_t seen_syncs_ = 0;
  int64_t rendered_ns_ = 0;
  int64_t metrics_ns_ = 0;
};

}  // namespace stampede::local::kube
