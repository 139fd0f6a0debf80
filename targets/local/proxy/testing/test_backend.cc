#include "targets/local/proxy/testing/test_backend.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

namespace stampede::local::testing {
namespace net = boost::asio;
using tcp = net::ip::tcp;

// One accepted connection; kept alive by its pending operations.
class TestBackend::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(TestBackend& backend, tcp::socket socket)
      : backend_(backend), socket_(std::move(socket)), buffer_(64 * 1024) {}

  void start() {
    const std::string& greeting = backend_.options_.greeting;
    if (greeting.empty()) {
      after_greeting();
      return;
    }
    net::async_write(socket_, net::buffer(greeting),
                     [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                       if (ec) return self->ended(ec);
                       self->after_greeting();
                     });
  }

 private:
  void after_greeting() {
    if (backend_.options_.half_close_first) {
      boost::system::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
    }
    read();
  }

  void read() {
    socket_.async_read_some(net::buffer(buffer_),
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        size_t n) { self->on_read(ec, n); });
  }

  void on_read(const boost::system::error_code& ec, size_t n) {
    if (ec) return ended(ec);
    backend_.bytes_received_ += n;
    const std::string_view chunk(buffer_.data(), n);
    const std::string& trigger = backend_.options_.reset_trigger;
    if (!trigger.empty() && chunk.find(trigger) != std::string_view::npos) {
      boost::system::error_code ignored;
      socket_.set_option(net::socket_base::linger(true, 0), ignored);
      socket_.close(ignored);
      return;
    }
    if (backend_.options_.half_close_first) {
      std::lock_guard lock(backend_.mu_);
      backend_.received_.append(chunk);
      read();
      return;
    }
    net::async_write(
        socket_, net::buffer(buffer_.data(), n),
        [self = shared_from_this()](const boost::system::error_code& write_ec, size_t) {
          if (write_ec) return self->ended(write_ec);
          self->read();
        });
  }

  void ended(const boost::system::error_code& ec) {
    boost::system::error_code ignored;
    if (ec == net::error::eof) {
      ++backend_.eofs_seen_;
      // Echo mode: everything read was written back; pass the half-close on.
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
    } else if (ec == net::error::connection_reset || ec == net::error::broken_pipe) {
      ++backend_.resets_seen_;
    }
    socket_.close(ignored);
  }

  TestBackend& backend_;
  tcp::socket socket_;
  std::vector<char> buffer_;
};

TestBackend::TestBackend(BackendOptions options) : options_(std::move(options)), acceptor_(io_) {
  boost::system::error_code ec;
  const tcp::endpoint endpoint(net::ip::address_v4::loopback(), 0);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_.local_endpoint(ec).port();
  if (ec) throw std::runtime_error("test backend: " + ec.message());
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

TestBackend::~TestBackend() {
  stop();
}

void TestBackend::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) return;  // closed by stop()
    ++accepted_;
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (options_.silent) {
      held_.push_back(std::move(socket));
    } else {
      std::make_shared<Session>(*this, std::move(socket))->start();
    }
    accept();
  });
}

std::string TestBackend::received() const {
  std::lock_guard lock(mu_);
  return received_;
}

void TestBackend::stop() {
  if (!thread_.joinable()) return;
  // Pending sessions are destroyed with the io_context; their sockets close then.
  io_.stop();
  thread_.join();
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace stampede::local::testing
