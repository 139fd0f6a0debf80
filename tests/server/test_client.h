#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stampede::testserver {

// A minimal blocking HTTP/1.x client for the tests: one loopback connection, one request at a
// time, so keep-alive behaviour is observable. Not thread-safe. I/O errors throw
// boost::system::system_error except from try_send().
class TestClient {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Connects to 127.0.0.1:port.
  explicit TestClient(std::uint16_t port);

  // Builds an HTTP/1.1 request with Host set, sends it and reads the response.
  Response request(boost::beast::http::verb method, const std::string& target,
                   const std::string& body = {}, const Headers& headers = {});
  Response get(const std::string& target, const Headers& headers = {}) {
    return request(boost::beast::http::verb::get, target, {}, headers);
  }

  // Sends `request` (prepare_payload applied) and reads the response.
  Response send(Request request);
  // Like send(), but returns the I/O error in `ec` instead of throwing.
  Response try_send(Request request, boost::beast::error_code& ec);

  // Builds an HTTP/1.1 request with Host set, without sending it.
  static Request make_request(boost::beast::http::verb method, const std::string& target,
                              const std::string& body = {}, const Headers& headers = {});

  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  boost::asio::io_context context_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace stampede::testserver
