#include "targets/local/api/kube/kube_reads.h"

#include <time.h>

#include <cstdlib>

#include "targets/local/api/kube/render_context.h"
#include "targets/local/api/kube/render_workloads.h"

namespace stampede::local::kube {

using nlohmann::json;
namespace bhttp = boost::beast::http;

namespace {

constexpr int64_t kMaxLogReply = 4 << 20;  // larger log answers are streamed

int64_t wall_now_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// The resource a (sub)resource's objects are printed as: pods/log has none, deployments/status
// is a Deployment.
const ResourceInfo& base_of(const ResourceInfo& r) {
  if (!r.is_subresource()) return r;
  const ResourceInfo* base =
      find_resource(r.group, r.version, r.name.substr(0, r.name.find('/')), true);
  return base != nullptr ? *base : r;
}

TableOptions table_options(const Negotiated& format, const ListOptions& options) {
  TableOptions t;
  t.api_version = format.table_version;
  t.include = options.include;
  return t;
}

std::string namespace_of(const Route& route) {
  return route.resource->namespaced && route.namespaced_path ? route.namespace_ : "";
}

bool parse_count(const std::string& text, int64_t& out) {
  if (text.empty() || text.size() > 15) return false;
  char* end = nullptr;
  out = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0' && out >= 0;
}

}  // namespace

http::Reply KubeReads::get(const http::Request& request, const Route& route,
                           const Negotiated& format, const ListOptions& options) {
  const ResourceInfo& r = *route.resource;
  const ResourceInfo& base = base_of(r);
  std::string resource_name = base.name;
  bool in_scope = !r.namespaced || route.namespace_ == kNamespace;
  ObjectPtr object = in_scope ? store_.get(store_key(r), route.name) : nullptr;
  if (!object) return status_reply(request, not_found(resource_name, r.group, route.name));
  json answer = route.subresource == "scale" ? scale_of(*object) : *object;
  if (format.table) {
    std::string rv = answer["metadata"].value("resourceVersion", "");
    return object_reply(request, 200,
                        make_table(route.subresource == "scale" ? r : base, {&answer}, rv,
                                   wall_now_ms(), table_options(format, options)),
                        content_type_of(format));
  }
  return object_reply(request, 200, answer);
}

http::Reply KubeReads::list(const http::Request& request, const Route& route,
                            const Negotiated& format, const ListOptions& options) {
  const ResourceInfo& r = *route.resource;
  auto filter = make_filter(r, namespace_of(route), options.label_selector, options.field_selector);
  if (!filter.ok()) return status_reply(request, 400, filter.error().message());
  Listing listing = store_.list(store_key(r));
  // Outside `default` nothing exists: an empty list, as for a namespace with nothing in it.
  bool other_namespace = route.namespaced_path && route.namespace_ != kNamespace;
  std::vector<const json*> selected;
  if (!other_namespace) {
    for (const ObjectPtr& o : listing.items) {
      if (filter.value().matches(*o)) selected.push_back(o.get());
    }
  }
  const std::string rv = std::to_string(listing.rv);
  if (format.table) {
    return object_reply(request, 200,
                        make_table(r, selected, rv, wall_now_ms(), table_options(format, options)),
                        content_type_of(format));
  }
  json items = json::array();
  for (const json* o : selected) {
    json item = *o;
    item.erase("kind");
    item.erase("apiVersion");
    items.push_back(std::move(item));
  }
  return object_reply(request, 200,
                      {{"kind", list_kind(r)},
                       {"apiVersion", r.group_version()},
                       {"metadata", {{"resourceVersion", rv}}},
                       {"items", std::move(items)}});
}

http::Reply KubeReads::watch(const http::Request& request, const Route& route,
                             const Negotiated& format, const ListOptions& options) {
  const ResourceInfo& r = *route.resource;
  std::string ns = namespace_of(route);
  auto filter = make_filter(r, ns, options.label_selector, options.field_selector);
  if (!filter.ok()) return status_reply(request, 400, filter.error().message());
  WatchRequest w;
  w.resource = &r;
  // Another namespace holds nothing: its filter passes no object, the watch stays empty.
  w.filter = std::move(filter).value();
  w.from_rv = options.resource_version;
  w.bookmarks = options.bookmarks;
  w.deadline = std::chrono::steady_clock::now() + options.timeout;
  w.table = format.table;
  w.table_options = table_options(format, options);
  http::Reply reply;
  reply.response = http::make_response(request, bhttp::status::ok, content_type_of(format), "");
  reply.stream = hub_.watch(std::move(w));
  return reply;
}

http::Reply KubeReads::logs(const http::Request& request, const KubeRequest& r,
                            const Route& route) {
  bool in_scope = route.namespace_ == kNamespace;
  auto info = in_scope ? logs_.find(route.name) : std::nullopt;
  if (!info || !store_.get("pods", route.name)) {
    return status_reply(request, not_found("pods", "", route.name));
  }
  LogQuery q;
  q.container = r.query.get("container").value_or("");
  std::string follow = r.query.get("follow").value_or("false");
  std::string previous = r.query.get("previous").value_or("false");
  q.follow = follow == "true" || follow == "1";
  q.previous = previous == "true" || previous == "1";
  for (const char* name : {"tailLines", "limitBytes"}) {
    auto v = r.query.get(name);
    if (!v) continue;
    int64_t n = 0;
    if (!parse_count(*v, n)) {
      return status_reply(
          request, 400, std::string(name) + ": must be a non-negative integer, got \"" + *v + "\"");
    }
    (std::string(name) == "tailLines" ? q.tail_lines : q.limit_bytes) = n;
  }
  LogRange range = resolve_log_range(route.name, *info, q);
  if (range.code != 200) return status_reply(request, range.code, range.error);
  int64_t limit = q.limit_bytes.value_or(-1);
  bool streamed = range.end < 0 ||
                  std::min(range.end - range.begin, limit < 0 ? range.end : limit) > kMaxLogReply;
  if (!streamed) {
    std::string body =
        read_range(info->path, range.begin, range.end, limit < 0 ? range.end - range.begin : limit);
    return {http::make_response(request, bhttp::status::ok, "text/plain", std::move(body))};
  }
  http::Reply reply;
  reply.response = http::make_response(request, bhttp::status::ok, "text/plain", "");
  reply.stream =
      streamer_.stream(route.name, info->path, range.begin, range.end, limit, info->restarts);
  return reply;
}

}  // namespace stampede::local::kube
