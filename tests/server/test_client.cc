#include "tests/server/test_client.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

namespace stampede::testserver {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

TestClient::TestClient(std::uint16_t port) : socket_(context_) {
  socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  socket_.set_option(tcp::no_delay(true));
}

TestClient::Request TestClient::make_request(http::verb method, const std::string& target,
                                             const std::string& body, const Headers& headers) {
  Request request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = body;
  return request;
}

TestClient::Response TestClient::request(http::verb method, const std::string& target,
                                         const std::string& body, const Headers& headers) {
  return send(make_request(method, target, body, headers));
}

TestClient::Response TestClient::send(Request request) {
  beast::error_code ec;
  Response response = try_send(std::move(request), ec);
  if (ec) throw boost::system::system_error(ec);
  return response;
}

TestClient::Response TestClient::try_send(Request request, beast::error_code& ec) {
  const bool head = request.method() == http::verb::head;
  if (request.method() != http::verb::get || !request.body().empty()) request.prepare_payload();
  http::write(socket_, request, ec);
  if (ec) return {};
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  parser.skip(head);
  http::read(socket_, buffer_, parser, ec);
  if (ec) return {};
  return parser.release();
}

}  // namespace stampede::testserver
