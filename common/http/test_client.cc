#include "common/http/test_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <stdexcept>
#include <thread>

namespace stampede::http::testing {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

TestClient::TestClient(uint16_t port, const std::string& host) : socket_(context_) {
  beast::error_code ec;
  socket_.connect(tcp::endpoint(net::ip::make_address(host), port), ec);
  if (ec)
    throw std::runtime_error("connect " + host + ":" + std::to_string(port) + ": " + ec.message());
}

bool TestClient::can_connect(uint16_t port) {
  net::io_context context;
  tcp::socket socket(context);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  return !ec;
}

Request TestClient::make_request(bhttp::verb method, const std::string& target,
                                 const std::string& body, const Headers& headers) {
  Request request(method, target, 11);
  request.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = body;
  if (!body.empty() || method == bhttp::verb::post) request.prepare_payload();
  return request;
}

Response TestClient::request(bhttp::verb method, const std::string& target, const std::string& body,
                             const Headers& headers) {
  send(make_request(method, target, body, headers));
  return read(method == bhttp::verb::head);
}

void TestClient::send(const Request& request) {
  bool done = false;
  beast::error_code result;
  bhttp::async_write(socket_, request, [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  run_until(done, "write request");
  if (result) throw std::runtime_error("write request: " + result.message());
}

void TestClient::send_raw(const std::string& bytes) {
  bool done = false;
  beast::error_code result;
  net::async_write(socket_, net::buffer(bytes), [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  run_until(done, "write raw");
  if (result) throw std::runtime_error("write raw: " + result.message());
}

Response TestClient::read(bool head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64u << 20);
  parser.skip(head);
  bool done = false;
  beast::error_code result;
  bhttp::async_read(socket_, buffer_, parser, [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  run_until(done, "read response");
  if (result) throw std::runtime_error("read response: " + result.message());
  return parser.release();
}

std::string TestClient::read_some_raw() {
  if (buffer_.size() > 0) {
    std::string out = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return out;
  }
  char data[4096];
  bool done = false;
  beast::error_code result;
  size_t count = 0;
  socket_.async_read_some(net::buffer(data), [&](beast::error_code ec, std::size_t n) {
    result = ec;
    count = n;
    done = true;
  });
  run_until(done, "read");
  if (result && result != net::error::eof) throw std::runtime_error("read: " + result.message());
  return std::string(data, count);
}

bool TestClient::closed_by_server() {
  if (buffer_.size() > 0) return false;
  char byte;
  bool done = false;
  beast::error_code result;
  socket_.async_read_some(net::buffer(&byte, 1), [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  run_until(done, "read");
  return result == net::error::eof || result == net::error::connection_reset;
}

size_t TestClient::available() {
  beast::error_code ec;
  return buffer_.size() + socket_.available(ec);
}

void TestClient::close() {
  beast::error_code ignored;
  socket_.close(ignored);
}

void TestClient::run_until(const bool& done, const char* what) {
  context_.restart();
  context_.run_for(kTimeout);
  if (done) return;
  beast::error_code ignored;
  socket_.cancel(ignored);
  context_.restart();
  context_.run();
  throw std::runtime_error(std::string(what) + ": no answer within the test timeout");
}

std::unique_ptr<Server> start_server(ServerOptions options, Handler handler) {
  auto server = Server::start(std::move(options), std::move(handler));
  if (!server.ok()) throw std::runtime_error(server.error().message());
  return std::move(server).value();
}

void Gate::pass() {
  entered_.fetch_add(1);
  opened_.wait_for(std::chrono::minutes(1));
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace stampede::http::testing
