#include "targets/local/proxy/endpoint_text.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace stampede::local {

Result<Endpoint> parse_endpoint(const std::string& text) {
  auto fail = [&](const std::string& why) { return Error("'" + text + "': " + why); };
  Endpoint endpoint;
  std::string rest = text;
  if (const size_t eq = rest.find('='); eq != std::string::npos) {
    endpoint.pod = rest.substr(0, eq);
    rest = rest.substr(eq + 1);
    if (endpoint.pod.empty()) return fail("empty pod name before '='");
  } else {
    endpoint.pod = text;
  }
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos) return fail("expected HOST:PORT");
  std::string host = rest.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) return fail("host '" + host + "' is not an IP address literal");
  const std::string port_text = rest.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return fail("port '" + port_text + "' is not a number from 1 to 65535");
  }
  endpoint.host = host;
  endpoint.port = static_cast<uint16_t>(port);
  return endpoint;
}

}  // namespace stampede::local
