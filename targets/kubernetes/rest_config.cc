#include "targets/kubernetes/rest_config.h"

#include <cctype>
#include <charconv>

namespace stampede::kube {

std::string ServerUrl::host_for_url() const {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string ServerUrl::base() const {
  return scheme + "://" + host_for_url() + ":" + std::to_string(port) + prefix;
}

Result<ServerUrl> parse_server_url(const std::string& server) {
  auto fail = [&](const std::string& why) { return Error("server \"" + server + "\": " + why); };
  ServerUrl url;
  size_t colon = server.find("://");
  if (colon == std::string::npos) return fail("not a URL (expected https://host[:port])");
  url.scheme = server.substr(0, colon);
  for (char& c : url.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (url.scheme != "https" && url.scheme != "http") {
    return fail("the scheme must be https or http");
  }
  std::string rest = server.substr(colon + 3);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) url.prefix = rest.substr(slash);
  if (url.prefix.find_first_of("?#") != std::string::npos) {
    return fail("a query or fragment is not allowed");
  }
  while (!url.prefix.empty() && url.prefix.back() == '/') url.prefix.pop_back();
  if (authority.find('@') != std::string::npos) return fail("user info is not allowed");
  std::string port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return fail("unterminated IPv6 address");
    url.host = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return fail("unexpected text after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    size_t port_colon = authority.rfind(':');
    url.host = authority.substr(0, port_colon);
    if (port_colon != std::string::npos) port_text = authority.substr(port_colon + 1);
  }
  if (url.host.empty()) return fail("no host");
  if (url.host.find(':') != std::string::npos && authority[0] != '[') {
    return fail("an IPv6 address must be in brackets");
  }
  url.port = url.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return fail("bad port '" + port_text + "'");
    }
    url.port = port;
  }
  return url;
}

}  // namespace stampede::kube
