#include "engine/output/pushgateway.h"

#include <curl/curl.h>
#include <prometheus/collectable.h>
#include <prometheus/gateway.h>
#include <prometheus/metric_family.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <memory>
#include <thread>

#include "common/prometheus/text_format.h"

namespace stampede {
namespace {

namespace pc = ::prometheus;  // prometheus-cpp (ours is stampede::prometheus)

bool grouping_value(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Our registry's series as prometheus-cpp's families, copied once: the push thread never
// touches the registry.
class SnapshotCollectable final : public pc::Collectable {
 public:
  explicit SnapshotCollectable(const std::vector<prometheus::FamilySnapshot>& families) {
    for (const prometheus::FamilySnapshot& f : families) {
      if (f.children.empty()) continue;  // rendered as nothing on /metrics too
      pc::MetricFamily out;
      out.name = f.name;
      out.help = f.help;
      out.type = f.type == "counter" ? pc::MetricType::Counter
                 : f.type == "gauge" ? pc::MetricType::Gauge
                                     : pc::MetricType::Histogram;
      for (const prometheus::ChildSnapshot& c : f.children) {
        pc::ClientMetric m;
        for (size_t i = 0; i < f.label_names.size() && i < c.label_values.size(); ++i) {
          m.label.push_back({f.label_names[i], c.label_values[i]});
        }
        if (out.type == pc::MetricType::Counter) m.counter.value = c.value;
        if (out.type == pc::MetricType::Gauge) m.gauge.value = c.value;
        if (out.type == pc::MetricType::Histogram) {
          m.histogram.sample_count = c.cumulative.empty() ? 0 : c.cumulative.back();
          m.histogram.sample_sum = c.sum;
          // The +Inf bucket is the serializer's (sample_count).
          for (size_t i = 0; i < f.bounds.size() && i < c.cumulative.size(); ++i) {
            m.histogram.bucket.push_back({c.cumulative[i], f.bounds[i]});
          }
        }
        out.metric.push_back(std::move(m));
      }
      families_.push_back(std::move(out));
    }
  }
  std::vector<pc::MetricFamily> Collect() const override { return families_; }

 private:
  std::vector<pc::MetricFamily> families_;
};

std::string reason(int code) {
  if (code < 0) return curl_easy_strerror(static_cast<CURLcode>(-code));
  return "HTTP " + std::to_string(code);
}

}  // namespace

std::string PushgatewayTarget::url() const {
  std::string out = base + ":" + port + "/metrics/job/" + job;
  for (const auto& [name, value] : labels) out += "/" + name + "/" + value;
  return out;
}

std::string default_push_instance() {
  if (const char* index = std::getenv("JOB_COMPLETION_INDEX"); index != nullptr && *index) {
    return index;
  }
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') return host;
  return "unknown";
}

Result<PushgatewayTarget> pushgateway_target(const PushgatewayFlags& flags,
                                             const std::string& instance) {
  PushgatewayTarget t;
  const std::string& url = flags.url;
  auto bad_url = [&](const std::string& why) {
    return Error("--pushgateway " + url + ": " + why +
                 " (expected http://HOST[:PORT], e.g. http://127.0.0.1:9091)");
  };
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return bad_url("no scheme");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return bad_url("the scheme must be http or https");
  std::string rest = url.substr(scheme_end + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) return bad_url("a path prefix is not supported");
  if (rest.find('@') != std::string::npos)
    return bad_url("credentials in the URL are not supported");
  std::string host = rest, port = scheme == "https" ? "443" : "80";
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    char* end = nullptr;
    long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || p < 1 || p > 65535) return bad_url("bad port");
  }
  if (host.empty() || host == "[]") return bad_url("no host");
  t.base = scheme + "://" + host;
  t.port = port;

  if (!grouping_value(flags.job)) {
    return Error("--pushgateway-job " + flags.job +
                 ": must be letters, digits, _ . : or - (it is a URL path segment)");
  }
  t.job = flags.job;
  for (const std::string& kv : flags.labels) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error("--pushgateway-label " + kv + ": expected KEY=VALUE");
    }
    std::string name = kv.substr(0, eq), value = kv.substr(eq + 1);
    if (!prometheus::valid_label_name(name) || name == "job") {
      return Error("--pushgateway-label " + kv + ": " + name +
                   (name == "job" ? " is --pushgateway-job" : " is not a label name"));
    }
    if (!grouping_value(value)) {
      return Error("--pushgateway-label " + kv +
                   ": the value must be letters, digits, _ . : or - (it is a URL path segment)");
    }
    if (!t.labels.emplace(name, value).second) {
      return Error("--pushgateway-label " + kv + ": " + name + " is given twice");
    }
  }
  if (!t.labels.count("instance")) {
    if (!grouping_value(instance)) {
      return Error("--pushgateway: the default instance \"" + instance +
                   "\" is not a valid grouping value; set --pushgateway-label instance=NAME");
    }
    t.labels["instance"] = instance;
  }
  return t;
}

Status push_to_gateway(const PushgatewayTarget& target, const prometheus::Registry& registry,
                       std::chrono::milliseconds timeout) {
  auto collectable = std::make_shared<SnapshotCollectable>(registry.collect());
  pc::Labels labels(target.labels.begin(), target.labels.end());
  auto gateway = std::make_shared<pc::Gateway>(target.base, target.port, target.job, labels);
  gateway->RegisterCollectable(collectable);
  // prometheus-cpp's curl call has no timeout of its own: the push runs on a thread of its own
  // that owns what it uses, and is given up on (not joined) after `timeout`.
  auto done = std::make_shared<std::promise<int>>();
  std::future<int> code = done->get_future();
  std::thread([gateway, collectable, done] {
    // prometheus-cpp's PushAdd() is the HTTP PUT: it replaces the whole group.
    done->set_value(gateway->PushAdd());
  }).detach();
  if (code.wait_for(timeout) != std::future_status::ready) {
    return Error("push to " + target.url() + ": no answer within " +
                 std::to_string(timeout.count() / 1000) + " s");
  }
  int status = code.get();
  if (status < 200 || status >= 300)
    return Error("push to " + target.url() + ": " + reason(status));
  return Status::Ok();
}

}  // namespace stampede
