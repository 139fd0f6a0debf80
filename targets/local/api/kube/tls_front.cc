#include "targets/local/api/kube/tls_front.h"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace stampede::local::kube {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kHandshakeTimeout = std::chrono::seconds(30);

// One relayed connection: TLS from the client, plain TCP to the API server. Lives on the front's
// io thread, kept alive by its pending handlers.
class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(tcp::socket client, ssl::context& tls, uint16_t backend_port)
      : client_(std::move(client), tls),
        backend_(client_.get_executor()),
        timer_(client_.get_executor()),
        backend_port_(backend_port) {}

  void start() {
    auto self = shared_from_this();
    timer_.expires_after(kHandshakeTimeout);
    timer_.async_wait([self](error_code ec) {
      if (!ec) self->close();
    });
    client_.async_handshake(ssl::stream_base::server, [self](error_code ec) {
      self->timer_.cancel();
      if (ec) return self->close();
      tcp::endpoint to(asio::ip::make_address_v4("127.0.0.1"), self->backend_port_);
      self->backend_.async_connect(to, [self](error_code ec) {
        if (ec) return self->close();
        self->up();
        self->down();
      });
    });
  }

 private:
  // Client to API server.
  void up() {
    auto self = shared_from_this();
    client_.async_read_some(asio::buffer(up_), [self](error_code ec, size_t n) {
      if (ec) {
        // The client is done sending: so is the relay; the answer still comes back.
        error_code ignored;
        self->backend_.shutdown(tcp::socket::shutdown_send, ignored);
        return;
      }
      asio::async_write(self->backend_, asio::buffer(self->up_, n), [self](error_code ec, size_t) {
        if (ec) return self->close();
        self->up();
      });
    });
  }

  // API server to client. Everything read was written before the next read, so when the server
  // closes, the client has had it all.
  void down() {
    auto self = shared_from_this();
    backend_.async_read_some(asio::buffer(down_), [self](error_code ec, size_t n) {
      if (ec) return self->close();
      asio::async_write(self->client_, asio::buffer(self->down_, n), [self](error_code ec, size_t) {
        if (ec) return self->close();
        self->down();
      });
    });
  }

  void close() {
    error_code ignored;
    client_.lowest_layer().close(ignored);
    backend_.close(ignored);
    timer_.cancel();
  }

  ssl::stream<tcp::socket> client_;
  tcp::socket backend_;
  asio::steady_timer timer_;
  uint16_t backend_port_;
  std::array<char, 16 * 1024> up_{};
  std::array<char, 16 * 1024> down_{};
};

}  // namespace

TlsFront::TlsFront(uint16_t backend_port)
    : tls_(ssl::context::tls_server), acceptor_(io_), backend_port_(backend_port) {}

Result<std::unique_ptr<TlsFront>> TlsFront::start(const TlsIdentity& identity,
                                                  uint16_t backend_port, uint16_t port) {
  std::unique_ptr<TlsFront> front(new TlsFront(backend_port));
  error_code ec;
  front->tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                              ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                              ssl::context::no_tlsv1_1,
                          ec);
  if (!ec) {
    front->tls_.use_certificate_chain(
        asio::buffer(identity.certificate_pem.data(), identity.certificate_pem.size()), ec);
  }
  if (!ec) {
    front->tls_.use_private_key(asio::buffer(identity.key_pem.data(), identity.key_pem.size()),
                                ssl::context::pem, ec);
  }
  if (ec) return Error("Kubernetes API TLS: " + ec.message());
  tcp::endpoint at(asio::ip::make_address_v4("127.0.0.1"), port);
  front->acceptor_.open(at.protocol(), ec);
  if (!ec) front->acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) front->acceptor_.bind(at, ec);
  if (!ec) front->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error("Kubernetes API TLS: bind 127.0.0.1:" + std::to_string(port) + ": " +
                 ec.message());
  }
  front->port_ = front->acceptor_.local_endpoint().port();
  front->accept();
  TlsFront* f = front.get();
  front->thread_ = std::thread([f] { f->io_.run(); });
  return front;
}

void TlsFront::accept() {
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<Relay>(std::move(socket), tls_, backend_port_)->start();
    accept();
  });
}

TlsFront::~TlsFront() {
  stop();
}

void TlsFront::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    error_code ignored;
    acceptor_.close(ignored);
  });
  io_.stop();
  thread_.join();
}

}  // namespace stampede::local::kube
