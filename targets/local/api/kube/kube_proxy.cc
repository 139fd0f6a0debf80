#include "targets/local/api/kube/kube_proxy.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <set>

#include "targets/local/api/kube/render_context.h"
#include "targets/local/probe/socket_util.h"

namespace stampede::local::kube {

using nlohmann::json;
namespace bhttp = boost::beast::http;

namespace {

// A pod that does not answer within this long (paused, hung) frees its handler thread: the API
// has a few, shared by every request, and clients give up sooner anyway.
constexpr auto kTimeout = std::chrono::seconds(10);
constexpr uint64_t kMaxBody = uint64_t{64} << 20;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Headers a proxy never forwards (RFC 9110 hop-by-hop), plus those it sets itself.
bool dropped(const std::string& name) {
  static const std::set<std::string> kDropped = {
      "authorization",       "host", "connection", "keep-alive",        "proxy-authenticate",
      "proxy-authorization", "te",   "trailer",    "transfer-encoding", "upgrade",
      "content-length"};
  return kDropped.count(lower(name)) != 0;
}

struct Upstream {
  int code = 200;
  std::string error;
  bhttp::response<bhttp::string_body> response;
};

Upstream forward(uint16_t port, const std::string& head, const std::string& body, bool head_only) {
  Upstream out;
  Deadline deadline = std::chrono::steady_clock::now() + kTimeout;
  auto fd = connect_before(kLocalIp, port, deadline);
  if (!fd.ok()) {
    out.code = 503;
    out.error = "error trying to reach service: " + fd.error().message();
    return out;
  }
  if (auto s = send_all_before(fd.value().get(), head + body, deadline); !s.ok()) {
    out.code = 503;
    out.error = "error trying to reach service: " + s.error().message();
    return out;
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.body_limit(kMaxBody);
  if (head_only) parser.skip(true);
  std::string buffer;
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    auto n = read_some_before(fd.value().get(), buffer, deadline);
    if (!n.ok()) {
      out.code = 503;
      out.error = "error trying to reach service: " + n.error().message();
      return out;
    }
    if (n.value() == 0) {
      parser.put_eof(ec);
      break;
    }
    while (!buffer.empty() && !parser.is_done()) {
      size_t used = parser.put(boost::asio::buffer(buffer), ec);
      buffer.erase(0, used);
      if (ec == bhttp::error::need_more) {
        ec = {};
        break;
      }
      if (ec) break;
    }
    if (ec) break;
  }
  if (ec || !parser.is_done()) {
    out.code = 503;
    out.error = "error trying to reach service: " +
                (ec ? ec.message() : std::string("the pod closed the connection"));
    return out;
  }
  out.response = parser.release();
  return out;
}

}  // namespace

ProxyName split_proxy_name(const std::string& text) {
  ProxyName n;
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t colon = text.find(':', pos);
    if (colon == std::string::npos) colon = text.size();
    parts.push_back(text.substr(pos, colon - pos));
    pos = colon + 1;
  }
  if (parts.size() == 1) {
    n.name = parts[0];
  } else if (parts.size() == 2) {
    n.name = parts[0];
    n.port = parts[1];
  } else if (parts.size() == 3 && (parts[0] == "http" || parts[0] == "https")) {
    n.scheme = parts[0];
    n.name = parts[1];
    n.port = parts[2];
  } else {
    n.valid = false;
  }
  if (n.name.empty()) n.valid = false;
  return n;
}

http::Reply proxy_to_pod(const http::Request& request, const KubeRequest& r, const Route& route,
                         const ObjectStore& store) {
  ProxyName target = split_proxy_name(route.name);
  if (!target.valid)
    return status_reply(request, 400, "invalid pod request \"" + route.name + "\"");
  ObjectPtr pod = route.namespace_ == kNamespace ? store.get("pods", target.name) : nullptr;
  if (!pod) return status_reply(request, not_found("pods", "", target.name));
  if (target.scheme == "https") {
    return status_reply(request, 400, "the local runtime's pods serve plain http, not https");
  }
  const json& container = (*pod)["spec"]["containers"][0];
  uint16_t port = 0;
  std::string known;
  for (const json& p : container.value("ports", json::array())) {
    std::string name = p.value("name", "");
    std::string number = std::to_string(p.value("containerPort", 0));
    known += (known.empty() ? "" : ", ") + name + " " + number;
    bool wanted = target.port.empty() || target.port == name || target.port == number;
    if (wanted && port == 0) port = static_cast<uint16_t>(p.value("hostPort", 0));
  }
  if (port == 0) {
    return status_reply(request, 400,
                        "pod \"" + target.name + "\" has no port \"" + target.port +
                            "\" (its ports: " + known + ")");
  }
  const json& statuses = (*pod)["status"]["containerStatuses"];
  if (!statuses.is_array() || statuses.empty() || !statuses[0]["state"].contains("running")) {
    return status_reply(
        request, 503,
        "error trying to reach service: pod " + target.name + " has no running container");
  }
  std::string head = r.method + " " + route.proxy_path +
                     (r.raw_query.empty() ? "" : "?" + r.raw_query) + " HTTP/1.1\r\n";
  for (const auto& field : request) {
    std::string name(http::to_std(field.name_string()));
    if (dropped(name)) continue;
    head += name + ": " + std::string(http::to_std(field.value())) + "\r\n";
  }
  head += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  head += "X-Forwarded-For: 127.0.0.1\r\nConnection: close\r\n";
  if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
    head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  }
  head += "\r\n";
  Upstream up = forward(port, head, r.body, r.method == "HEAD");
  if (up.code != 200) return status_reply(request, up.code, up.error);
  http::Response response(up.response.result(), request.version());
  for (const auto& field : up.response) {
    std::string name(http::to_std(field.name_string()));
    if (dropped(name)) continue;
    response.insert(field.name_string(), field.value());
  }
  response.body() = std::move(up.response.body());
  return {std::move(response)};
}

}  // namespace stampede::local::kube
