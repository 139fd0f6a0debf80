// Opening a listening TCP socket the way every server here does: SO_REUSEADDR (a restarted
// service rebinds while old connections sit in TIME_WAIT; Linux still refuses two listeners on
// one port), dual-stack for "::", bound and listening. Header-only, so the local Service proxy
// can use it without linking the HTTP server.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <sstream>
#include <string>

#include "common/result.h"

namespace stampede::http {

// "127.0.0.1:8080", "[::1]:8080".
inline std::string describe_endpoint(const boost::asio::ip::tcp::endpoint& endpoint) {
  std::ostringstream out;
  out << endpoint;
  return out.str();
}

// Opens, binds and listens `acceptor` on `endpoint`; the error says "bind <endpoint>: <why>".
inline Status listen_on(boost::asio::ip::tcp::acceptor& acceptor,
                        const boost::asio::ip::tcp::endpoint& endpoint) {
  namespace net = boost::asio;
  boost::system::error_code ec;
  auto fail = [&] { return Error("bind " + describe_endpoint(endpoint) + ": " + ec.message()); };
  if (acceptor.open(endpoint.protocol(), ec)) return fail();
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec)) return fail();
  if (endpoint.address().is_v6()) {
    acceptor.set_option(net::ip::v6_only(false), ec);  // "::" takes IPv4 too
    ec.clear();
  }
  if (acceptor.bind(endpoint, ec)) return fail();
  if (acceptor.listen(net::socket_base::max_listen_connections, ec)) return fail();
  return Status();
}

}  // namespace stampede::http
