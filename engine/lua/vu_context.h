// VuContext and VuHost: the contract between the Lua API functions and the worker.
//
// A VU is a Lua coroutine; its VuContext is reachable from any C function through the
// coroutine's extra space (vu_of()). API functions that wait (http.*, sleep) hand work to the
// VuHost and then yield; the host resumes the coroutine with the results. Everything here
// belongs to one worker thread.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/http/cookie_jar.h"
#include "engine/http/http_exchange.h"
#include "engine/http/transport.h"
#include "engine/http/url.h"
#include "engine/metrics/metric_registry.h"
#include "engine/metrics/tag_set.h"

namespace stampede {

// One HTTP request as the script asked for it, plus what the metrics need. Pooled by the host.
struct VuContext;

struct HttpCall {
  HttpExchange exchange;
  VuContext* vu = nullptr;         // the VU that made the call
  std::string name;                // the `name` tag; empty means the URL
  std::vector<Tag> tags;           // per-request tags from params.tags
  std::string cookies;             // "a=1; b=2" from params.cookies, sent besides the VU's jar
  Url url;                         // the parsed request URL (of the current hop)
  Transport* transport = nullptr;  // the transport the current hop was started on
  int redirects_left = 10;

  void clear() {
    exchange.request.clear();
    exchange.response.clear();
    name.clear();
    tags.clear();
    cookies.clear();
    redirects_left = 10;
    vu = nullptr;
    transport = nullptr;
  }
};

class VuHost {
 public:
  virtual ~VuHost() = default;
  // A cleared call from the pool, queued on `vu` until http_submit().
  virtual HttpCall* http_call(VuContext& vu) = 0;
  // Returns the calls queued on `vu` to the pool unsent (after a bad argument).
  virtual void http_discard(VuContext& vu) = 0;
  // Starts the calls queued on `vu`. The API function must yield right after; the host resumes
  // with one response (batch == false) or a table of responses in call order.
  virtual void http_submit(VuContext& vu, bool batch) = 0;
  // Parks `vu` for `duration`; the API function must yield right after.
  virtual void sleep(VuContext& vu, Nanos duration) = 0;
  // Records one sample of `metric` tagged with the VU's current tags plus `extra`.
  virtual void add_sample(VuContext& vu, int metric, double value,
                          const std::vector<Tag>& extra) = 0;
};

struct VuContext {
  int64_t id = 0;         // run-wide, 1-based
  int64_t iteration = 0;  // iterations this VU has started, 0-based index of the current one
  int64_t scenario_iteration = 0;         // run-wide index of the current iteration in its scenario
  const std::string* scenario = nullptr;  // scenario name; owned by the plan
  std::string group;                      // "::outer::inner" or "" at the top level
  CookieJar cookies;
  VuHost* host = nullptr;
  lua_State* thread = nullptr;  // the coroutine; anchored in the registry by thread_ref
  int thread_ref = LUA_NOREF;
  int state_ref = LUA_NOREF;  // per-VU table behind vu.<field>; created on first write
  bool waiting = false;       // set by an API function right before it yields
};

// The VU running on coroutine L, or nullptr in the init context (top-level script code).
inline VuContext* vu_of(lua_State* L) {
  return *static_cast<VuContext**>(lua_getextraspace(L));
}
inline void bind_vu(lua_State* thread, VuContext* vu) {
  *static_cast<VuContext**>(lua_getextraspace(thread)) = vu;
}

}  // namespace stampede
