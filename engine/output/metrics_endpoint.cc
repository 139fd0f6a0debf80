#include "engine/output/metrics_endpoint.h"

#include <cstdlib>

#include "common/prometheus/text_format.h"

namespace stampede {

Result<ListenAddress> parse_listen_address(const std::string& text) {
  auto bad = [&] {
    return Error("--metrics-addr " + text + ": expected HOST:PORT, e.g. 127.0.0.1:9464");
  };
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) return bad();
  ListenAddress out;
  out.host = text.substr(0, colon);
  std::string port = text.substr(colon + 1);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  if (out.host.empty() || out.host == "localhost") out.host = "127.0.0.1";
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535) return bad();
  out.port = static_cast<uint16_t>(p);
  return out;
}

MetricsEndpoint::~MetricsEndpoint() {
  if (server_) server_->shutdown(std::chrono::milliseconds(500));
}

Result<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::start(const ListenAddress& address,
                                                                const RunMetrics& metrics) {
  if (Status st = metrics.status(); !st.ok()) return st.error();
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  http::ServerOptions options;
  options.bind = address.host;
  options.port = address.port;
  const RunMetrics* source = &metrics;
  auto server = http::Server::start(options, [source](const http::Request& req, const http::Peer&) {
    namespace bh = boost::beast::http;
    namespace pm = prometheus;
    std::string_view target = http::to_std(req.target());
    if (target != "/metrics" && target.rfind("/metrics?", 0) != 0) {
      return http::Reply{http::make_response(req, bh::status::not_found, "text/plain",
                                             "stampede serves /metrics\n")};
    }
    if (req.method() != bh::verb::get && req.method() != bh::verb::head) {
      return http::Reply{
          http::make_response(req, bh::status::method_not_allowed, "text/plain", "GET /metrics\n")};
    }
    return http::Reply{
        http::make_response(req, bh::status::ok, pm::kContentType, source->render())};
  });
  if (!server.ok()) return server.error().with_context("--metrics-addr");
  endpoint->server_ = std::move(server).value();
  return endpoint;
}

}  // namespace stampede
