#include "shop-reference/frontend/frontend_harness.h"

#include <sstream>
#include <stdexcept>

namespace shop::testing {

namespace http = boost::beast::http;

FrontendHarness::FrontendHarness(const std::function<void(FrontendConfig&)>& tweak) {
  FrontendConfig config = shop.config();
  if (tweak) tweak(config);
  frontend = std::make_unique<Frontend>(config, runtime);
  auto started = frontend->listen("127.0.0.1", 0);
  if (!started.ok()) throw std::runtime_error(started.error().message());
  server = std::move(started.value());
}

FrontendHarness::~FrontendHarness() {
  // Handlers may still hold the frontend: stop serving before it goes.
  if (server) server->shutdown(std::chrono::milliseconds(0));
  server.reset();
  frontend.reset();
}

stampede::http::Response Browser::request(http::verb method, const std::string& target,
                                          const std::string& body, Headers headers) {
  std::string jar;
  for (const auto& [name, value] : cookies) jar += (jar.empty() ? "" : "; ") + name + "=" + value;
  if (!jar.empty()) headers.emplace_back("Cookie", jar);
  stampede::http::testing::TestClient client(port_);
  auto response = client.request(method, target, body, headers);
  for (const auto& header : set_cookies(response)) {
    auto eq = header.find('=');
    auto semi = header.find(';');
    std::string name = header.substr(0, eq);
    std::string value = header.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
    if (header.find("Max-Age=0") != std::string::npos) {
      cookies.erase(name);
    } else {
      cookies[name] = value;
    }
  }
  return response;
}

stampede::http::Response Browser::post_form(const std::string& target, const std::string& body,
                                            Headers headers) {
  headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return request(http::verb::post, target, body, std::move(headers));
}

stampede::http::Response Browser::send_json(http::verb method, const std::string& target,
                                            const std::string& body) {
  return request(method, target, body, {{"Content-Type", "application/json"}});
}

std::vector<std::string> set_cookies(const stampede::http::Response& response) {
  std::vector<std::string> out;
  auto range = response.equal_range(http::field::set_cookie);
  for (auto it = range.first; it != range.second; ++it) out.emplace_back(it->value());
  return out;
}

double metric_value(const std::string& metrics, const std::string& series) {
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return 0;
}

}  // namespace shop::testing
